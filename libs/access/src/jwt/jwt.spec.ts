import { createSecretKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { base64url, checkClaims, decodeJwt, JwtAlgorithm, JwtError, signJwt, verifyJwtSignature } from './jwt';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ec384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const ec521 = generateKeyPairSync('ec', { namedCurve: 'P-521' });
const keys: Record<string, { privateKey: KeyObject; publicKey: KeyObject }> = {
  RS256: rsa,
  RS384: rsa,
  RS512: rsa,
  PS256: rsa,
  PS384: rsa,
  PS512: rsa,
  ES256: ec256,
  ES384: ec384,
  ES512: ec521,
};

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof JwtError) return e.reason;
    throw e;
  }
  throw new Error('expected a JwtError');
}

describe('signJwt / verifyJwtSignature', () => {
  it.each(Object.keys(keys) as JwtAlgorithm[])('%s round-trips and detects tampering', (alg) => {
    const token = signJwt({ sub: 'x', exp: 10 }, { kid: 'k1', alg, privateKey: keys[alg].privateKey });
    const jwt = decodeJwt(token);
    expect(jwt.header).toEqual({ alg, typ: 'JWT', kid: 'k1' });
    expect(jwt.claims).toEqual({ sub: 'x', exp: 10 });
    expect(() => verifyJwtSignature(jwt, keys[alg].publicKey)).not.toThrow();

    const [h, , s] = token.split('.');
    const forged = decodeJwt(`${h}.${base64url(JSON.stringify({ sub: 'admin', exp: 10 }))}.${s}`);
    expect(reasonOf(() => verifyJwtSignature(forged, keys[alg].publicKey))).toBe('the signature does not verify');
  });

  it('ES256 signatures are the 64-byte JWS form, not DER', () => {
    const token = signJwt({}, { kid: 'k', alg: 'ES256', privateKey: ec256.privateKey });
    expect(Buffer.from(token.split('.')[2], 'base64url')).toHaveLength(64);
  });

  it('refuses a key of another kind than the algorithm names', () => {
    const token = signJwt({}, { kid: 'k', alg: 'ES256', privateKey: ec256.privateKey });
    const jwt = decodeJwt(token);
    expect(reasonOf(() => verifyJwtSignature(jwt, rsa.publicKey))).toMatch(/does not fit ES256/);
    expect(reasonOf(() => verifyJwtSignature(jwt, ec384.publicKey))).toMatch(/does not fit ES256/);
  });

  it('refuses alg "none", HS256 (algorithm confusion) and algorithms outside the allowed list', () => {
    const payload = base64url(JSON.stringify({ sub: 'x' }));
    const none = decodeJwt(`${base64url(JSON.stringify({ alg: 'none' }))}.${payload}.`);
    expect(reasonOf(() => verifyJwtSignature(none, rsa.publicKey))).toBe('algorithm "none" is not accepted');
    const hs = decodeJwt(`${base64url(JSON.stringify({ alg: 'HS256' }))}.${payload}.AAAA`);
    expect(reasonOf(() => verifyJwtSignature(hs, rsa.publicKey))).toBe('algorithm "HS256" is not accepted');
    const rs = decodeJwt(signJwt({}, { kid: 'k', alg: 'RS256', privateKey: rsa.privateKey }));
    expect(reasonOf(() => verifyJwtSignature(rs, rsa.publicKey, ['ES256']))).toBe('algorithm "RS256" is not accepted');
  });

  it('refuses short RSA keys', () => {
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(reasonOf(() => signJwt({}, { kid: 'k', alg: 'RS256', privateKey: weak.privateKey }))).toMatch(/2048/);
  });

  it('refuses a symmetric key', () => {
    const jwt = decodeJwt(signJwt({}, { kid: 'k', alg: 'RS256', privateKey: rsa.privateKey }));
    expect(reasonOf(() => verifyJwtSignature(jwt, createSecretKey(Buffer.alloc(32))))).toMatch(/does not fit/);
  });
});

describe('decodeJwt', () => {
  const h = base64url(JSON.stringify({ alg: 'RS256' }));
  const p = base64url(JSON.stringify({ sub: 'x' }));
  it.each([
    ['', 'not a JWT (expected three dot-separated parts)'],
    ['a.b', 'not a JWT (expected three dot-separated parts)'],
    ['a.b.c.d', 'not a JWT (expected three dot-separated parts)'],
    [`${h}.${p}.a+b`, 'the signature is not base64url'],
    [`a=.${p}.`, 'the header is not base64url'],
    [`${base64url('nope')}.${p}.`, 'the header is not JSON'],
    [`${base64url('[1]')}.${p}.`, 'the header is not a JSON object'],
    [`${base64url('{}')}.${p}.`, 'the header has no "alg"'],
    [`${base64url('{"alg":"RS256","kid":5}')}.${p}.`, '"kid" is not a string'],
    [`${base64url('{"alg":"RS256","crit":["x"]}')}.${p}.`, '"crit" header parameters are not supported'],
    [`${h}.${base64url('"str"')}.`, 'the payload is not a JSON object'],
    [`${h}.${'A'.repeat(20000)}.`, 'not a JWT'],
  ])('refuses %p', (token, reason) => {
    expect(reasonOf(() => decodeJwt(token))).toBe(reason);
  });
});

describe('checkClaims', () => {
  const base = { issuer: 'https://issuer.example', audience: 'api://scimflow', subject: 'sp-1', now: 1000, skewSeconds: 60 };
  const good = { iss: 'https://issuer.example', aud: 'api://scimflow', sub: 'sp-1', exp: 1100, nbf: 900, iat: 900 };
  it('accepts good claims, aud as string or array', () => {
    expect(() => checkClaims(good, base)).not.toThrow();
    expect(() => checkClaims({ ...good, aud: ['other', 'api://scimflow'] }, base)).not.toThrow();
    expect(() => checkClaims({ ...good, sub: 'anything' }, { ...base, subject: undefined })).not.toThrow();
  });
  it.each([
    ['wrong issuer', { iss: 'https://evil.example' }, /issuer "https:\/\/evil.example" is not the trusted issuer/],
    ['missing issuer', { iss: undefined }, /issuer "undefined"/],
    ['wrong audience', { aud: 'api://other' }, /audience "api:\/\/other" does not contain "api:\/\/scimflow"/],
    ['audience list without ours', { aud: ['a', 'b'] }, /does not contain/],
    ['missing audience', { aud: undefined }, /audience null/],
    ['wrong subject', { sub: 'sp-2' }, /subject "sp-2" is not the trusted subject/],
    ['missing exp', { exp: undefined }, /"exp" is missing/],
    ['non-numeric exp', { exp: '1100' }, /"exp" is missing/],
    ['expired beyond the skew', { exp: 940 }, /expired/],
    ['expired exactly at the skew edge', { exp: 940 }, /expired/],
    ['nbf in the future beyond the skew', { nbf: 1061 }, /not valid yet/],
    ['iat in the future beyond the skew', { iat: 1061 }, /issued in the future/],
    ['non-numeric nbf', { nbf: 'x' }, /not valid yet/],
  ])('refuses %s', (_name, change, reason) => {
    expect(reasonOf(() => checkClaims({ ...good, ...change } as never, base))).toMatch(reason);
  });
  it('tolerates clock skew within the limit', () => {
    expect(() => checkClaims({ ...good, exp: 941, nbf: 1060, iat: 1060 }, base)).not.toThrow();
    expect(reasonOf(() => checkClaims({ ...good, exp: 999 }, { ...base, skewSeconds: 0 }))).toMatch(/expired/);
  });
});
