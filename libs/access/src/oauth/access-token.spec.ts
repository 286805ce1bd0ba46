import { KeyObject } from 'node:crypto';
import { base64url, decodeJwt, JwtError, signJwt } from '../jwt/jwt';
import { generateSigningKey, issueAccessToken, looksLikeJwt, privateKeyOf, publicKeyOf, verifyAccessToken } from './access-token';

const BASE = 'https://scim.example.com';
const NOW = 1_700_000_000;
const k1 = generateSigningKey();
const k2 = generateSigningKey();
const publicKeys = new Map<string, KeyObject>([
  [k1.kid, publicKeyOf(k1.publicJwk)],
  [k2.kid, publicKeyOf(k2.publicJwk)],
]);
const keyFor = (kid: string) => publicKeys.get(kid);

const issue = (o: Partial<{ tenantId: string; ttl: number; now: number; key: typeof k1 }> = {}) =>
  issueAccessToken({
    publicBaseUrl: BASE,
    tenantId: o.tenantId ?? 'tenant-a',
    subject: 'sfc_client',
    ttlSeconds: o.ttl ?? 3600,
    now: o.now ?? NOW,
    key: { kid: (o.key ?? k1).kid, privateKey: privateKeyOf((o.key ?? k1).privateKeyPem) },
  });

describe('signing keys', () => {
  it('are P-256 with a thumbprint kid and a public JWK without private parts', () => {
    expect(k1.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(k1.kid).not.toBe(k2.kid);
    expect(k1.publicJwk).toEqual({ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String), kid: k1.kid, use: 'sig', alg: 'ES256' });
    expect(k1.privateKeyPem).toMatch(/BEGIN PRIVATE KEY/);
  });
});

describe('access tokens', () => {
  it('carry iss, aud (the tenant base URL), sub, tid, iat, exp, jti and the kid', () => {
    const issued = issue();
    expect(issued.expiresIn).toBe(3600);
    expect(looksLikeJwt(issued.accessToken)).toBe(true);
    const { header, claims } = decodeJwt(issued.accessToken);
    expect(header).toEqual({ alg: 'ES256', typ: 'at+jwt', kid: k1.kid });
    expect(claims).toEqual({ iss: BASE, aud: `${BASE}/scim/v2/tenant-a`, sub: 'sfc_client', tid: 'tenant-a', iat: NOW, exp: NOW + 3600, jti: issued.jti });
  });

  it('verify until they expire (no skew)', () => {
    const { accessToken, jti } = issue({ ttl: 60 });
    expect(verifyAccessToken(accessToken, { publicBaseUrl: BASE, now: NOW + 59, keyFor })).toEqual({
      tenantId: 'tenant-a',
      subject: 'sfc_client',
      jti,
      expiresAt: NOW + 60,
    });
    expect(() => verifyAccessToken(accessToken, { publicBaseUrl: BASE, now: NOW + 60, keyFor })).toThrow(/expired/);
  });

  it('verify with any known key, so tokens signed before a rotation stay valid', () => {
    const old = issue({ key: k1 }).accessToken;
    const fresh = issue({ key: k2 }).accessToken;
    expect(verifyAccessToken(old, { publicBaseUrl: BASE, now: NOW, keyFor }).tenantId).toBe('tenant-a');
    expect(verifyAccessToken(fresh, { publicBaseUrl: BASE, now: NOW, keyFor }).tenantId).toBe('tenant-a');
    // once the old key is retired, its tokens are refused
    expect(() => verifyAccessToken(old, { publicBaseUrl: BASE, now: NOW, keyFor: (kid) => (kid === k2.kid ? publicKeys.get(kid) : undefined) })).toThrow(
      /unknown or retired signing key/,
    );
  });

  it('are refused by another deployment (issuer) and when the tenant claim is changed', () => {
    const { accessToken } = issue();
    expect(() => verifyAccessToken(accessToken, { publicBaseUrl: 'https://other.example', now: NOW, keyFor })).toThrow(JwtError);
    const [h, p, s] = accessToken.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const tampered = `${h}.${base64url(JSON.stringify({ ...claims, tid: 'tenant-b', aud: `${BASE}/scim/v2/tenant-b` }))}.${s}`;
    expect(() => verifyAccessToken(tampered, { publicBaseUrl: BASE, now: NOW, keyFor })).toThrow(/signature does not verify/);
  });

  it('refuses a JWT that is not an access token (typ), even when signed by our key', () => {
    const idLike = signJwt(
      { iss: BASE, aud: `${BASE}/scim/v2/tenant-a`, tid: 'tenant-a', sub: 'x', exp: NOW + 60, jti: 'j' },
      { kid: k1.kid, alg: 'ES256', privateKey: privateKeyOf(k1.privateKeyPem) },
    );
    expect(() => verifyAccessToken(idLike, { publicBaseUrl: BASE, now: NOW, keyFor })).toThrow(/not an access token/);
  });

  it('looksLikeJwt tells access tokens from secret tokens', () => {
    expect(looksLikeJwt('scimflow_abcdefabcdef_' + 'x'.repeat(43))).toBe(false);
    expect(looksLikeJwt('a.b.c')).toBe(true);
    expect(looksLikeJwt('a.b.')).toBe(false);
  });
});
