import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The console's session cookie: an opaque random value; the server keeps only its SHA-256. */
export const SESSION_COOKIE = 'scimflow_console';
/** The header a cookie-authenticated write must carry, equal to the session's CSRF token. */
export const CSRF_HEADER = 'x-csrf-token';

export interface IssuedSession {
  /** the cookie value, sent once in Set-Cookie; never stored */
  cookieValue: string;
  /** what the server stores and looks the session up by */
  cookieHash: string;
  csrfToken: string;
  expiresAt: Date;
}

/** 256 random bits each for the cookie and the CSRF token; `adminToken` keys the stored hash (see sessionCookieHash). */
export function issueSession(now: Date, ttlSeconds: number, adminToken: string): IssuedSession {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) throw new RangeError('ttlSeconds must be a positive integer');
  const cookieValue = randomBytes(32).toString('base64url');
  return {
    cookieValue,
    cookieHash: sessionCookieHash(cookieValue, adminToken),
    csrfToken: randomBytes(32).toString('base64url'),
    expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
  };
}

/**
 * What a session is stored and found by: HMAC-SHA256 of the cookie value keyed with the admin token the session was
 * exchanged for. A copy of the table signs nobody in, and changing ADMIN_TOKEN ends every session at once.
 */
export function sessionCookieHash(cookieValue: string, adminToken: string): string {
  if (!adminToken) throw new RangeError('sessions need an admin token');
  return createHmac('sha256', adminToken).update(cookieValue).digest('hex');
}

/** SHA-256 (hex) of a high-entropy random credential: enough to store it, since it cannot be guessed from its hash. */
export function hashCredential(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** One cookie's value from a Cookie header; undefined if absent or malformed. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    return /^[A-Za-z0-9_-]{1,128}$/.test(value) ? value : undefined;
  }
  return undefined;
}

export interface SessionCookieOptions {
  /** add Secure (the console is served over https) */
  secure: boolean;
}

/** Set-Cookie of a new session: HttpOnly (no script reads it), SameSite=Strict (no cross-site request carries it). */
export function sessionCookie(value: string, maxAgeSeconds: number, o: SessionCookieOptions): string {
  return `${SESSION_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeSeconds}${o.secure ? '; Secure' : ''}`;
}

/** Set-Cookie that removes the session cookie from the browser. */
export function clearedSessionCookie(o: SessionCookieOptions): string {
  return `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0${o.secure ? '; Secure' : ''}`;
}

/** Methods that change nothing and therefore need no CSRF token. */
export function isSafeMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD';
}

/** Constant-time comparison of the presented CSRF token with the session's; absent never matches. */
export function csrfMatches(presented: string | string[] | undefined, expected: string): boolean {
  if (typeof presented !== 'string' || !presented || !expected) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** A stored session as the guard judges it. */
export interface StoredSession {
  expiresAt: Date;
  revokedAt: Date | null;
}

export function sessionIsLive(s: StoredSession | undefined, now: Date): s is StoredSession {
  return !!s && s.revokedAt === null && s.expiresAt.getTime() > now.getTime();
}
