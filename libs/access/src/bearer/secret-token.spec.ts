import { hashSecret, issueProductCredential, issueToken, parseProductCredential, parseToken, tokenFingerprint, verifySecret } from './secret-token';

describe('secret tokens', () => {
  it('issues tokens that parse back to their id and verify against their hash', async () => {
    const issued = await issueToken();
    const parsed = parseToken(issued.token);
    expect(parsed?.id).toBe(issued.id);
    expect(await verifySecret(parsed!.secret, issued.secretHash)).toBe(true);
  });

  it('rejects a wrong secret', async () => {
    const issued = await issueToken();
    const other = await issueToken();
    expect(await verifySecret(parseToken(other.token)!.secret, issued.secretHash)).toBe(false);
  });

  it('never stores the secret in clear', async () => {
    const issued = await issueToken();
    expect(issued.secretHash).not.toContain(parseToken(issued.token)!.secret);
    expect(issued.secretHash).toMatch(/^scrypt\$/);
  });

  it('salts hashes', async () => {
    expect(await hashSecret('same')).not.toBe(await hashSecret('same'));
  });

  it.each(['', 'Bearer x', 'scimflow_short_x', 'scimflow_abcdefabcdef_tooshort'])('does not parse %p', (t) => {
    expect(parseToken(t)).toBeUndefined();
  });

  it('tells secret tokens and product credentials apart', async () => {
    const token = await issueToken();
    const credential = await issueProductCredential();
    expect(token.token).toMatch(/^scimflow_/);
    expect(credential.token).toMatch(/^sfp_/);
    expect(parseProductCredential(credential.token)).toEqual({ id: credential.id, secret: credential.token.slice(17) });
    expect([parseToken(credential.token), parseProductCredential(token.token)]).toEqual([undefined, undefined]);
  });

  it('fingerprints without revealing the token', () => {
    expect(tokenFingerprint('abc')).not.toContain('abc');
    expect(tokenFingerprint('abc')).toBe(tokenFingerprint('abc'));
  });
});
