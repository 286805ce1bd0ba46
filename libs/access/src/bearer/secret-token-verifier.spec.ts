import * as secretToken from './secret-token';
import { issueToken, IssuedToken } from './secret-token';
import { SecretTokenRecords, SecretTokenVerifier, StoredSecretToken } from './secret-token-verifier';

const TENANT = '00000000-0000-4000-8000-000000000001';

/** Tokens in memory, as the store keeps them: revocable, with the reads and uses counted. */
class Tokens implements SecretTokenRecords {
  readonly rows = new Map<string, StoredSecretToken & { revoked: boolean }>();
  reads = 0;
  uses = 0;

  add(issued: IssuedToken): void {
    this.rows.set(issued.id, { id: issued.id, tenantId: TENANT, secretHash: issued.secretHash, revoked: false });
  }

  async activeToken(id: string): Promise<StoredSecretToken | undefined> {
    this.reads++;
    const row = this.rows.get(id);
    return row && !row.revoked ? { id: row.id, tenantId: row.tenantId, secretHash: row.secretHash } : undefined;
  }

  async markUsed(): Promise<void> {
    this.uses++;
  }
}

describe('SecretTokenVerifier', () => {
  let now = 1_000_000;
  let tokens: Tokens;
  let issued: IssuedToken;

  beforeAll(async () => {
    issued = await issueToken();
  });
  beforeEach(() => {
    now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    tokens = new Tokens();
    tokens.add(issued);
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
