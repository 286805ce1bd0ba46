import {
  clearedSessionCookie,
  csrfMatches,
  hashCredential,
  isSafeMethod,
  issueSession,
  readCookie,
  sessionCookie,
  sessionCookieHash,
  sessionIsLive,
} from './console-session';

describe('console session', () => {
  const now = new Date('2026-12-06T10:00:00Z');

  const key = 'k'.repeat(32);

  it('issues a random cookie and CSRF token, stores only the cookie hash, expires after the ttl', () => {
    const a = issueSession(now, 28800, key);
    const b = issueSession(now, 28800, key);
    expect(a.cookieValue).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.cookieValue).not.toBe(b.cookieValue);
    expect(a.csrfToken).not.toBe(a.cookieValue);
    expect(a.cookieHash).toBe(sessionCookieHash(a.cookieValue, key));
    expect(a.cookieHash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.cookieHash).not.toContain(a.cookieValue);
    expect(a.expiresAt.toISOString()).toBe('2026-12-06T18:00:00.000Z');
    expect(() => issueSession(now, 0, key)).toThrow(RangeError);
  });

  it('keys the stored hash with the admin token: another token finds no session', () => {
    expect(sessionCookieHash('cookie', key)).toBe(sessionCookieHash('cookie', key));
    expect(sessionCookieHash('cookie', key)).not.toBe(sessionCookieHash('cookie', 'j'.repeat(32)));
    expect(() => sessionCookieHash('cookie', '')).toThrow(RangeError);
  });

  it('hashes as SHA-256 hex', () => {
    expect(hashCredential('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('reads its cookie among others and refuses malformed values', () => {
    expect(readCookie('a=1; scimflow_console=abc_DEF-1; b=2', 'scimflow_console')).toBe('abc_DEF-1');
    expect(readCookie('scimflow_consolex=abc', 'scimflow_console')).toBeUndefined();
    expect(readCookie('scimflow_console=a%20b', 'scimflow_console')).toBeUndefined();
    expect(readCookie('scimflow_console=', 'scimflow_console')).toBeUndefined();
    expect(readCookie(undefined, 'scimflow_console')).toBeUndefined();
    expect(readCookie('garbage', 'scimflow_console')).toBeUndefined();
  });

  it('sets an HttpOnly, SameSite=Strict cookie, Secure on https, and clears it', () => {
    expect(sessionCookie('v', 28800, { secure: false })).toBe('scimflow_console=v; HttpOnly; SameSite=Strict; Path=/; Max-Age=28800');
    expect(sessionCookie('v', 60, { secure: true })).toBe('scimflow_console=v; HttpOnly; SameSite=Strict; Path=/; Max-Age=60; Secure');
    expect(clearedSessionCookie({ secure: false })).toBe('scimflow_console=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0');
  });

  it('needs CSRF only on methods that change something, and compares it exactly', () => {
    expect(isSafeMethod('GET')).toBe(true);
    expect(isSafeMethod('HEAD')).toBe(true);
    for (const m of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) expect(isSafeMethod(m)).toBe(false);
    expect(csrfMatches('tok', 'tok')).toBe(true);
    expect(csrfMatches('tok2', 'tok')).toBe(false);
    expect(csrfMatches(undefined, 'tok')).toBe(false);
    expect(csrfMatches('', '')).toBe(false);
    expect(csrfMatches(['tok', 'tok'], 'tok')).toBe(false);
  });

  it('a session is live until it expires or is revoked', () => {
    const later = new Date(now.getTime() + 1000);
    expect(sessionIsLive({ expiresAt: later, revokedAt: null }, now)).toBe(true);
    expect(sessionIsLive({ expiresAt: now, revokedAt: null }, now)).toBe(false);
    expect(sessionIsLive({ expiresAt: later, revokedAt: now }, now)).toBe(false);
    expect(sessionIsLive(undefined, now)).toBe(false);
  });
});
