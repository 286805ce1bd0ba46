import { randomBytes } from 'node:crypto';
import { sessionCookieHash } from '../../libs/access/src';
import { useSystem } from '../support/system';

/**
 * The console's operator session against the real ingress and Postgres: ADMIN_TOKEN exchanged for an HttpOnly,
 * SameSite=Strict cookie that the admin API accepts; writes need the CSRF token; sign-out and expiry end it.
 */
const ADMIN_TOKEN = randomBytes(32).toString('base64url');

describe('console session', () => {
  const system = useSystem({ env: { ADMIN_TOKEN } });

  const call = (method: string, path: string, headers: Record<string, string> = {}, body?: unknown) =>
    fetch(`${system.baseUrl}${path}`, {
      method,
      headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const signIn = async () => {
    const res = await call('POST', '/console/api/session', {}, { adminToken: ADMIN_TOKEN });
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie')!;
    const body = (await res.json()) as { csrfToken: string; expiresAt: string };
    return { setCookie, cookie: setCookie.split(';')[0], value: setCookie.split(';')[0].split('=')[1], ...body };
  };

  it('signs in, reads and writes the admin API with the cookie (writes need CSRF), signs out', async () => {
    const s = await signIn();
    expect(s.setCookie).toMatch(/^scimflow_console=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=28800$/);
    expect(s.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(s.expiresAt) - Date.now()).toBeGreaterThan(28700 * 1000);
    // only a hash of the cookie is stored
    const stored = JSON.stringify(await system.db.query(`SELECT * FROM console_sessions`));
    expect(stored).not.toContain(s.value);
    expect(stored).toContain(sessionCookieHash(s.value, ADMIN_TOKEN));

    const current = await call('GET', '/console/api/session', { cookie: s.cookie });
    expect(current.status).toBe(200);
    expect(await current.json()).toEqual({ csrfToken: s.csrfToken, expiresAt: s.expiresAt });

    const list = await call('GET', '/admin/tenants', { cookie: s.cookie });
    expect(list.status).toBe(200);
    expect(Array.isArray(await list.json())).toBe(true);

    const noCsrf = await call('POST', '/admin/tenants', { cookie: s.cookie }, { name: 'no csrf' });
    expect(noCsrf.status).toBe(403);
    expect(((await noCsrf.json()) as { detail: string }).detail).toMatch(/CSRF/);
    const wrongCsrf = await call('POST', '/admin/tenants', { cookie: s.cookie, 'x-csrf-token': 'x'.repeat(43) }, { name: 'wrong csrf' });
    expect(wrongCsrf.status).toBe(403);
    const names = (await system.db.query(`SELECT name FROM tenants`)).map((r: { name: string }) => r.name);
    expect(names).not.toContain('no csrf');
    expect(names).not.toContain('wrong csrf');

    const created = await call('POST', '/admin/tenants', { cookie: s.cookie, 'x-csrf-token': s.csrfToken }, { name: 'with csrf' });
    expect(created.status).toBe(201);
    const tenantId = ((await created.json()) as { tenantId: string }).tenantId;
    const deleted = await call('DELETE', `/admin/tenants/${tenantId}`, { cookie: s.cookie, 'x-csrf-token': s.csrfToken });
    expect(deleted.status).toBe(204);

    // sign-out needs the CSRF token too
    expect((await call('DELETE', '/console/api/session', { cookie: s.cookie })).status).toBe(403);
    const out = await call('DELETE', '/console/api/session', { cookie: s.cookie, 'x-csrf-token': s.csrfToken });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toBe('scimflow_console=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0');
    // the cookie kept by a client no longer works anywhere
    expect((await call('GET', '/console/api/session', { cookie: s.cookie })).status).toBe(401);
    const after = await call('GET', '/admin/tenants', { cookie: s.cookie });
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401' });
  });

  it('refuses a wrong admin token and a malformed body', async () => {
    const wrong = await call('POST', '/console/api/session', {}, { adminToken: `${ADMIN_TOKEN}x` });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(await wrong.json()).toMatchObject({ status: '401' });
    expect((await call('POST', '/console/api/session', {}, {})).status).toBe(400);
    expect((await call('POST', '/console/api/session', {}, { adminToken: ADMIN_TOKEN, extra: 1 })).status).toBe(400);
    expect((await call('GET', '/console/api/session')).status).toBe(401);
    expect((await call('GET', '/admin/tenants', { cookie: 'scimflow_console=forged' })).status).toBe(401);
  });

  it('an expired session is refused', async () => {
    const s = await signIn();
    await system.db.query(`UPDATE console_sessions SET expires_at = now() - interval '1 second' WHERE cookie_hash = $1`, [
      sessionCookieHash(s.value, ADMIN_TOKEN),
    ]);
    expect((await call('GET', '/console/api/session', { cookie: s.cookie })).status).toBe(401);
    expect((await call('GET', '/admin/tenants', { cookie: s.cookie })).status).toBe(401);
  });

  it('the bearer admin token still works, and an Authorization header is judged over a cookie', async () => {
    const s = await signIn();
    expect((await call('GET', '/admin/tenants', { authorization: `Bearer ${ADMIN_TOKEN}` })).status).toBe(200);
    expect((await call('GET', '/admin/tenants', { authorization: 'Bearer wrong', cookie: s.cookie })).status).toBe(401);
  });
});
