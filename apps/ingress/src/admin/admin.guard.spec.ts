import { ExecutionContext } from '@nestjs/common';
import { sessionCookieHash } from '@scimflow/access';
import { IngressConfig } from '@scimflow/config';
import { ConsoleSession, ConsoleSessions, NewConsoleSession } from '@scimflow/persistence';
import { ScimError } from '@scimflow/scim';
import { OperatorSessions } from '../console/operator-sessions';
import { AdminGuard } from './admin.guard';

/** The sessions table in memory: the guard's decisions, not Postgres, are under test here (e2e: console-session). */
class MemorySessions {
  readonly rows = new Map<string, ConsoleSession>();
  async create(s: NewConsoleSession): Promise<ConsoleSession> {
    const row = { id: String(this.rows.size + 1), csrfToken: s.csrfToken, createdAt: new Date(), expiresAt: s.expiresAt, revokedAt: null };
    this.rows.set(s.cookieHash, row);
    return row;
  }
  async find(hash: string) {
    return this.rows.get(hash);
  }
  async revoke(hash: string) {
    const row = this.rows.get(hash);
    if (row) row.revokedAt = new Date();
    return !!row;
  }
}

const ADMIN_TOKEN = 'a'.repeat(40);

function setup(adminToken = ADMIN_TOKEN) {
  const config = Object.assign(new IngressConfig(), { ADMIN_TOKEN: adminToken, PUBLIC_BASE_URL: 'https://scim.example.com' });
  const store = new MemorySessions();
  const sessions = new OperatorSessions(config, store as unknown as ConsoleSessions);
  const guard = new AdminGuard(sessions);
  const check = (method: string, headers: Record<string, string>) =>
    guard.canActivate({
      switchToHttp: () => ({ getRequest: () => ({ method, headers, url: '/admin/tenants', originalUrl: '/admin/tenants' }) }),
    } as unknown as ExecutionContext);
  return { sessions, store, check };
}

const status = async (p: Promise<unknown>) => {
  try {
    await p;
    return 200;
  } catch (e) {
    if (e instanceof ScimError) return e.status;
    throw e;
  }
};

describe('AdminGuard', () => {
  it('is off (503) without ADMIN_TOKEN, for the bearer token and sign-in alike', async () => {
    const { check, sessions } = setup('');
    expect(await status(check('GET', { authorization: `Bearer ${ADMIN_TOKEN}` }))).toBe(503);
    expect(await status(check('GET', { cookie: 'scimflow_console=abc' }))).toBe(503);
    expect(await status(sessions.signIn(ADMIN_TOKEN))).toBe(503);
  });

  it('takes the bearer admin token, and refuses another', async () => {
    const { check } = setup();
    expect(await status(check('POST', { authorization: `Bearer ${ADMIN_TOKEN}` }))).toBe(200);
    expect(await status(check('GET', { authorization: 'Bearer nope' }))).toBe(401);
    expect(await status(check('GET', {}))).toBe(401);
  });

  it('takes a live session cookie; writes need its CSRF token', async () => {
    const { check, sessions } = setup();
    const signed = await sessions.signIn(ADMIN_TOKEN);
    expect(signed.setCookie).toMatch(/; Secure$/);
    const cookie = signed.setCookie.split(';')[0];
    expect(await status(check('GET', { cookie }))).toBe(200);
    expect(await status(check('HEAD', { cookie }))).toBe(200);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      expect(await status(check(method, { cookie }))).toBe(403);
      expect(await status(check(method, { cookie, 'x-csrf-token': 'wrong' }))).toBe(403);
      expect(await status(check(method, { cookie, 'x-csrf-token': signed.csrfToken }))).toBe(200);
    }
    // an Authorization header is judged as given, cookie or not
    expect(await status(check('GET', { cookie, authorization: 'Bearer nope' }))).toBe(401);
  });

  it('refuses a wrong admin token at sign-in, and expired, revoked or unknown sessions', async () => {
    const { check, sessions, store } = setup();
    expect(await status(sessions.signIn('nope'))).toBe(401);
    const signed = await sessions.signIn(ADMIN_TOKEN);
    const cookie = signed.setCookie.split(';')[0];
    const row = store.rows.get(sessionCookieHash(cookie.split('=')[1], ADMIN_TOKEN))!;
    row.expiresAt = new Date(Date.now() - 1);
    expect(await status(check('GET', { cookie }))).toBe(401);
    row.expiresAt = new Date(Date.now() + 60_000);
    expect(await status(check('GET', { cookie }))).toBe(200);
    row.revokedAt = new Date();
    expect(await status(check('GET', { cookie }))).toBe(401);
    expect(await status(check('GET', { cookie: 'scimflow_console=unknown' }))).toBe(401);
  });

  it('a session exchanged for another admin token does not open the admin API', async () => {
    const before = setup('b'.repeat(40));
    const signed = await before.sessions.signIn('b'.repeat(40));
    const after = setup();
    for (const [hash, row] of before.store.rows) after.store.rows.set(hash, row);
    expect(await status(after.check('GET', { cookie: signed.setCookie.split(';')[0] }))).toBe(401);
  });
});
