import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, randomUUID } from 'node:crypto';
import { accessTokenIssuer, tenantEndpoints } from '../endpoints';
import { checkClaims, decodeJwt, JwtError, signJwt, verifyJwtSignature } from '../jwt/jwt';
import { PublicJwk } from '../jwt/jwks';

/** Our access tokens are ES256: small, fast to sign, and their public keys can be published. */
export const ACCESS_TOKEN_ALG = 'ES256' as const;

export interface GeneratedSigningKey {
  kid: string;
  algorithm: typeof ACCESS_TOKEN_ALG;
  privateKeyPem: string;
  publicJwk: PublicJwk;
}

/** RFC 7638 thumbprint: a kid derived from the key itself. */
function thumbprint(jwk: PublicJwk): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

export function generateSigningKey(): GeneratedSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' }) as PublicJwk;
  const kid = thumbprint(jwk);
  return {
    kid,
    algorithm: ACCESS_TOKEN_ALG,
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicJwk: { ...jwk, kid, use: 'sig', alg: ACCESS_TOKEN_ALG },
  };
}

export const privateKeyOf = (pem: string): KeyObject => createPrivateKey(pem);
export const publicKeyOf = (jwk: PublicJwk): KeyObject => createPublicKey({ key: jwk, format: 'jwk' });

export interface AccessTokenGrant {
  publicBaseUrl: string;
  tenantId: string;
  /** who the token was issued to: the OAuth client id, or the federated credential */
  subject: string;
  ttlSeconds: number;
  /** seconds since the epoch */
  now: number;
  key: { kid: string; privateKey: KeyObject };
}

export interface IssuedAccessToken {
  accessToken: string;
  expiresIn: number;
  jti: string;
}

/**
 * A short-lived bearer token for one tenant's SCIM API. `aud` is the tenant's SCIM base URL, so a
 * token of one tenant is refused on every other tenant's URLs.
 */
export function issueAccessToken(g: AccessTokenGrant): IssuedAccessToken {
  const jti = randomUUID();
  const claims = {
    iss: accessTokenIssuer(g.publicBaseUrl),
    aud: tenantEndpoints(g.publicBaseUrl, g.tenantId).scimBaseUrl,
    sub: g.subject,
    tid: g.tenantId,
    iat: g.now,
    exp: g.now + g.ttlSeconds,
    jti,
  };
  // RFC 9068's media type, so an access token is never mistaken for an ID token or an assertion
  const accessToken = signJwt(claims, { kid: g.key.kid, alg: ACCESS_TOKEN_ALG, privateKey: g.key.privateKey }, 'at+jwt');
  return { accessToken, expiresIn: g.ttlSeconds, jti };
}

export interface VerifiedAccessToken {
  tenantId: string;
  subject: string;
  jti: string;
  expiresAt: number;
}

export const looksLikeJwt = (token: string) => /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);

/** Verifies one of our access tokens: known, unretired key; ES256; our issuer; audience = the tenant it names; not expired. */
export function verifyAccessToken(
  token: string,
  o: { publicBaseUrl: string; now: number; keyFor: (kid: string) => KeyObject | undefined },
): VerifiedAccessToken {
  const jwt = decodeJwt(token);
  if (jwt.header.typ !== 'at+jwt') throw new JwtError('not an access token');
  const key = jwt.header.kid === undefined ? undefined : o.keyFor(jwt.header.kid);
  if (!key) throw new JwtError('unknown or retired signing key');
  verifyJwtSignature(jwt, key, [ACCESS_TOKEN_ALG]);
  const tenantId = jwt.claims.tid;
  if (typeof tenantId !== 'string') throw new JwtError('no tenant');
  // our own clock signed it: no skew
  checkClaims(jwt.claims, {
    issuer: accessTokenIssuer(o.publicBaseUrl),
    audience: tenantEndpoints(o.publicBaseUrl, tenantId).scimBaseUrl,
    now: o.now,
    skewSeconds: 0,
  });
  if (typeof jwt.claims.sub !== 'string' || typeof jwt.claims.jti !== 'string') throw new JwtError('malformed access token');
  return { tenantId, subject: jwt.claims.sub, jti: jwt.claims.jti, expiresAt: jwt.claims.exp! };
}
