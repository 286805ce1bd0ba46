import { DataSource } from 'typeorm';
import { SecretTokenVerifier } from '../../libs/access/src';
import * as secretToken from '../../libs/access/src/bearer/secret-token';
import { dataSourceOptions } from '../../libs/persistence/src';
import { createTenant, storesOn } from '../../bench/tenants';

// The real slow hash, counted. A module's exports are read-only bindings, so it is wrapped where the module loads.
jest.mock('../../libs/access/src/bearer/secret-token', () => {
  const real = jest.requireActual<typeof import('../../libs/access/src/bearer/secret-token')>('../../libs/access/src/bearer/secret-token');
  return { ...real, verifySecret: jest.fn(real.verifySecret) };
});

/**
 * Bearer tokens are checked against their slow (scrypt) hash once; after the 30 s of trust run out, a token already
 * proven is only looked up again (revocation), so no request waits for scrypt every 30 s. Against real Postgres,
 * with the trust shortened to 100 ms.
 */
describe('verified token cache', () => {
  let ds: DataSource;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeAll(async () => {
    ds = new DataSource(dataSourceOptions(process.env.DATABASE_URL!, { extra: { max: 2 } }));
    await ds.initialize();
  });
  afterAll(async () => ds?.destroy());

  const verifier = () => new SecretTokenVerifier(storesOn(ds).secretTokens, 100);

  it('re-reads a proven token after its trust runs out without recomputing the slow hash', async () => {
    const { tenant, token } = await createTenant(ds, 'token cache');
    const tokens = verifier();
    const slowHash = jest.mocked(secretToken.verifySecret);
    slowHash.mockClear();
    expect(await tokens.authenticate(token)).toMatchObject({ tenantId: tenant.id });
    expect(slowHash).toHaveBeenCalledTimes(1);
    await sleep(150);
    expect(await tokens.authenticate(token)).toMatchObject({ tenantId: tenant.id });
    expect(await tokens.authenticate(token)).toMatchObject({ tenantId: tenant.id });
    expect(slowHash).toHaveBeenCalledTimes(1);
  });

  it('refuses a proven token once it is revoked elsewhere and its trust runs out', async () => {
    const { tenant, token } = await createTenant(ds, 'token cache revoked');
    const tokens = verifier();
    const auth = await tokens.authenticate(token);
    expect(auth).toMatchObject({ tenantId: tenant.id });
    expect(await storesOn(ds).secretTokens.revoke(tenant.id, auth!.tokenId)).toBe(true); // another process
    expect(await tokens.authenticate(token)).toMatchObject({ tenantId: tenant.id }); // still trusted for 100 ms
    await sleep(150);
    expect(await tokens.authenticate(token)).toBeUndefined();
  });

  it('still refuses a wrong secret for a known token id', async () => {
    const { token } = await createTenant(ds, 'token cache wrong secret');
    const tokens = verifier();
    expect(await tokens.authenticate(token)).toBeDefined();
    const forged = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(await tokens.authenticate(forged)).toBeUndefined();
    await sleep(150);
    expect(await tokens.authenticate(forged)).toBeUndefined();
  });
});
