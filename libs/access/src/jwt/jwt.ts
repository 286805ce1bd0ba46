import { constants, KeyObject, sign, verify } from 'node:crypto';

/**
 * JSON Web Tokens (RFC 7519) with asymmetric signatures only, on node:crypto. Symmetric (HS*) and
 * `none` are refused on purpose: an HS256 token "signed" with a public key is the classic
 * algorithm-confusion attack, and nothing here needs a shared secret.
 */
export const JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

export interface JwtHeader {
  alg: string;
  kid?: string;
  typ?: string;
  [k: string]: unknown;
}

export interface JwtClaims {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  jti?: string;
  [k: string]: unknown;
}

export interface DecodedJwt {
  header: JwtHeader;
  claims: JwtClaims;
  signingInput: string;
  signature: Buffer;
}

/** Why a token was refused; `reason` is safe to show to the client that sent it. */
export class JwtError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'JwtError';
  }
}

/** Larger tokens are refused before any parsing or crypto. */
export const MAX_JWT_LENGTH = 16 * 1024;
const B64URL = /^[A-Za-z0-9_-]*$/;

export const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

function parseJsonPart(part: string, what: string): Record<string, unknown> {
  if (!B64URL.test(part)) throw new JwtError(`the ${what} is not base64url`);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new JwtError(`the ${what} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new JwtError(`the ${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

/** Splits and parses a compact JWS without checking anything but its shape. */
export function decodeJwt(token: string): DecodedJwt {
  if (typeof token !== 'string' || token.length > MAX_JWT_LENGTH) throw new JwtError('not a JWT');
  const parts = token.split('.');
  if (parts.length !== 3) throw new JwtError('not a JWT (expected three dot-separated parts)');
  const header = parseJsonPart(parts[0], 'header') as JwtHeader;
  if (typeof header.alg !== 'string') throw new JwtError('the header has no "alg"');
  if (header.kid !== undefined && typeof header.kid !== 'string') throw new JwtError('"kid" is not a string');
  if (header.crit !== undefined) throw new JwtError('"crit" header parameters are not supported');
  const claims = parseJsonPart(parts[1], 'payload') as JwtClaims;
  if (!B64URL.test(parts[2])) throw new JwtError('the signature is not base64url');
  return { header, claims, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2], 'base64url') };
}

const DIGEST: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };
const CURVE: Record<string, string> = { ES256: 'prime256v1', ES384: 'secp384r1', ES512: 'secp521r1' };

export function isJwtAlgorithm(alg: string): alg is JwtAlgorithm {
  return (JWT_ALGORITHMS as readonly string[]).includes(alg);
}

/** Node's signing options for an algorithm; throws if the key is of the wrong type for it. */
function signatureOptions(alg: JwtAlgorithm, key: KeyObject) {
  const family = alg.slice(0, 2);
  const digest = DIGEST[alg.slice(2)];
  if (family === 'ES') {
    const curve = (key.asymmetricKeyDetails as { namedCurve?: string } | undefined)?.namedCurve;
    if (key.asymmetricKeyType !== 'ec' || curve !== CURVE[alg]) throw new JwtError(`the key does not fit ${alg}`);
    // JWS uses the fixed-size r||s form (RFC 7518 §3.4), not DER
    return { digest, options: { key, dsaEncoding: 'ieee-p1363' as const } };
  }
  if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'rsa-pss') throw new JwtError(`the key does not fit ${alg}`);
  if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw new JwtError('RSA keys shorter than 2048 bits are refused');
  if (family === 'PS') return { digest, options: { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } };
  return { digest, options: { key } };
}

export function signJwt(claims: JwtClaims, key: { kid: string; alg: JwtAlgorithm; privateKey: KeyObject }, typ = 'JWT'): string {
  const header = { alg: key.alg, typ, kid: key.kid };
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const { digest, options } = signatureOptions(key.alg, key.privateKey);
  return `${input}.${base64url(sign(digest, Buffer.from(input), options))}`;
}

/** Checks the signature with a key the caller chose by `kid`; the header's `alg` must be one of `allowed`. */
export function verifyJwtSignature(jwt: DecodedJwt, publicKey: KeyObject, allowed: readonly JwtAlgorithm[] = JWT_ALGORITHMS): void {
  const alg = jwt.header.alg;
  if (!isJwtAlgorithm(alg) || !allowed.includes(alg)) throw new JwtError(`algorithm "${alg}" is not accepted`);
  const { digest, options } = signatureOptions(alg, publicKey);
  if (!verify(digest, Buffer.from(jwt.signingInput), options, jwt.signature)) throw new JwtError('the signature does not verify');
}

export interface ClaimExpectations {
  issuer: string;
  /** the token's `aud` (a string or an array) must contain this */
  audience: string;
  /** when given, `sub` must equal it */
  subject?: string;
  /** seconds since the epoch */
  now: number;
  /** tolerated clock difference, seconds */
  skewSeconds: number;
}

const isNumericDate = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Registered claims (RFC 7519 §4.1) checked against expectations; `exp` is required. */
export function checkClaims(claims: JwtClaims, e: ClaimExpectations): void {
  if (claims.iss !== e.issuer) throw new JwtError(`issuer "${String(claims.iss)}" is not the trusted issuer`);
  const audiences = ([] as unknown[]).concat(claims.aud ?? []);
  if (!audiences.includes(e.audience)) throw new JwtError(`audience ${JSON.stringify(claims.aud ?? null)} does not contain "${e.audience}"`);
  if (e.subject !== undefined && claims.sub !== e.subject) throw new JwtError(`subject "${String(claims.sub)}" is not the trusted subject`);
  if (!isNumericDate(claims.exp)) throw new JwtError('"exp" is missing');
  if (claims.exp + e.skewSeconds <= e.now) throw new JwtError('the token has expired');
  if (claims.nbf !== undefined && (!isNumericDate(claims.nbf) || claims.nbf - e.skewSeconds > e.now)) throw new JwtError('the token is not valid yet ("nbf")');
  if (claims.iat !== undefined && (!isNumericDate(claims.iat) || claims.iat - e.skewSeconds > e.now))
    throw new JwtError('the token was issued in the future ("iat")');
}
