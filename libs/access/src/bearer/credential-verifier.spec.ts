import * as secretToken from './secret-token';
import { issueProductCredential, issueToken, IssuedToken } from './secret-token';
import { CredentialRecords, ProductCredentialVerifier, SecretTokenVerifier, StoredProductCredential, StoredSecretToken } from './credential-verifier';

const TENANT = '00000000-0000-4000-8000-000000000001';

/** Credentials in memory, as a store keeps them: revocable, with the reads and uses counted. */
class Credentials<R extends StoredSecretToken> implements CredentialRecords<R> {
  readonly rows = new Map<string, R & { revoked: boolean }>();
  reads = 0;
  uses = 0;

  add(row: R): void {
    this.rows.set(row.id, { ...row, revoked: false });
  }

  async active(id: string): Promise<R | undefined> {
    this.reads++;
    const row = this.rows.get(id);
    if (!row || row.revoked) return undefined;
    const { revoked: _, ...stored } = row;
    return stored as unknown as R;
  }

  async markUsed(): Promise<void> {
    this.uses++;
  }
}

describe('SecretTokenVerifier', () => {
  let now = 1_000_000;
  let tokens: Credentials<StoredSecretToken>;
  let issued: IssuedToken;

  beforeAll(async () => {
    issued = await issueToken();
  });
  beforeEach(() => {
    now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    tokens = new Credentials<StoredSecretToken>();
    tokens.add({ id: issued.id, tenantId: TENANT, secretHash: issued.secretHash });
  });
  afterEach(() => jest.restoreAllMocks());

  it('answers the tenant and token id of an active token, and notes its use', async () => {
    expect(await new SecretTokenVerifier(tokens).authenticate(issued.token)).toEqual({ tenantId: TENANT, tokenId: issued.id });
    expect(tokens.uses).toBe(1);
  });

  it('gives one answer for an unknown, malformed or wrong token', async () => {
    const verifier = new SecretTokenVerifier(tokens);
    const forged = issued.token.slice(0, -4) + (issued.token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    for (const token of [(await issueToken()).token, 'not a token', forged]) expect(await verifier.authenticate(token)).toBeUndefined();
    expect(tokens.uses).toBe(0);
  });

  it('trusts a proven token without reading it, then re-reads only its row, not the slow hash', async () => {
    const verifier = new SecretTokenVerifier(tokens, 100);
    const slowHash = jest.spyOn(secretToken, 'verifySecret');
    await verifier.authenticate(issued.token);
    now += 50;
    await verifier.authenticate(issued.token);
    expect([tokens.reads, slowHash.mock.calls.length]).toEqual([1, 1]);
    now += 100;
    expect(await verifier.authenticate(issued.token)).toMatchObject({ tenantId: TENANT });
    expect([tokens.reads, slowHash.mock.calls.length]).toEqual([2, 1]);
  });

  it('refuses a proven token once it is revoked and its trust runs out', async () => {
    const verifier = new SecretTokenVerifier(tokens, 100);
    await verifier.authenticate(issued.token);
    tokens.rows.get(issued.id)!.revoked = true;
    expect(await verifier.authenticate(issued.token)).toBeDefined();
    now += 150;
    expect(await verifier.authenticate(issued.token)).toBeUndefined();
  });

  it('refuses a forgotten (revoked) token at once', async () => {
    const verifier = new SecretTokenVerifier(tokens);
    await verifier.authenticate(issued.token);
    tokens.rows.get(issued.id)!.revoked = true;
    verifier.forget(issued.id);
    expect(await verifier.authenticate(issued.token)).toBeUndefined();
  });

  it('proves the secret again when the row holds another hash', async () => {
    const verifier = new SecretTokenVerifier(tokens, 100);
    await verifier.authenticate(issued.token);
    tokens.rows.get(issued.id)!.secretHash = (await issueToken()).secretHash;
    now += 150;
    expect(await verifier.authenticate(issued.token)).toBeUndefined();
  });

  it('lets concurrent requests of an unproven token share one verification', async () => {
    const verifier = new SecretTokenVerifier(tokens);
    const answers = await Promise.all([1, 2, 3].map(() => verifier.authenticate(issued.token)));
    expect(answers.every((a) => a?.tokenId === issued.id)).toBe(true);
    expect([tokens.reads, tokens.uses]).toEqual([1, 1]);
  });
});

describe('ProductCredentialVerifier', () => {
  it("answers the credential's tenant and whether it is active, read again when the trust runs out; never a secret token", async () => {
    let now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const credentials = new Credentials<StoredProductCredential>();
    const issued = await issueProductCredential();
    credentials.add({ id: issued.id, tenantId: TENANT, secretHash: issued.secretHash, tenantActive: true });
    const verifier = new ProductCredentialVerifier(credentials, 100);
    expect(await verifier.authenticate(issued.token)).toEqual({ tenantId: TENANT, credentialId: issued.id, tenantActive: true });
    credentials.rows.get(issued.id)!.tenantActive = false;
    now += 150;
    expect(await verifier.authenticate(issued.token)).toMatchObject({ tenantActive: false });

    const token = await issueToken();
    credentials.add({ id: token.id, tenantId: TENANT, secretHash: token.secretHash, tenantActive: true });
    expect(await verifier.authenticate(token.token)).toBeUndefined();
    jest.restoreAllMocks();
  });
});
