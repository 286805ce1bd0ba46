import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;

/**
 * Long-lived bearer credentials look like `<prefix>_<id>_<secret>`: the id finds the row, the secret is verified
 * against its hash. Entra's secret tokens are `scimflow_…`, product credentials (events API, state pull) `sfp_…`,
 * so neither is ever taken for the other.
 */
const SECRET_TOKEN = 'scimflow';
const PRODUCT_CREDENTIAL = 'sfp';
const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 };

export interface IssuedToken {
  id: string;
  /** shown once; only `secretHash` is stored */
  token: string;
  secretHash: string;
}

export interface ParsedCredential {
  id: string;
  secret: string;
}

async function issue(prefix: string): Promise<IssuedToken> {
  const id = randomBytes(9)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0')
    .slice(0, 12);
  const secret = randomBytes(32).toString('base64url');
  return { id, token: `${prefix}_${id}_${secret}`, secretHash: await hashSecret(secret) };
}

function parse(prefix: string, credential: string): ParsedCredential | undefined {
  const m = /^([a-z]+)_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/.exec(credential);
  return m && m[1] === prefix ? { id: m[2], secret: m[3] } : undefined;
}

/** A tenant's secret token (Entra's "Secret Token"). */
export function issueToken(): Promise<IssuedToken> {
  return issue(SECRET_TOKEN);
}

export function parseToken(token: string): ParsedCredential | undefined {
  return parse(SECRET_TOKEN, token);
}

/** A product credential: a downstream service's bearer credential for one tenant's events API and state pull. */
export function issueProductCredential(): Promise<IssuedToken> {
  return issue(PRODUCT_CREDENTIAL);
}

export function parseProductCredential(credential: string): ParsedCredential | undefined {
  return parse(PRODUCT_CREDENTIAL, credential);
}

/** Slow, salted hash: a stolen table does not yield usable tokens. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(secret, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt') return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scrypt(secret, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(actual, expected);
}

/** Cache key for a verified token: never the token itself. */
export function tokenFingerprint(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
