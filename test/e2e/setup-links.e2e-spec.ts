import { randomBytes } from 'node:crypto';
import { ScimctlConfig, validateConfig } from '../../libs/config/src';
import { setupLinkCreateVerb, setupLinkListVerb, setupLinkRevokeVerb } from '../../apps/scimctl/src/verbs/setup-links.verbs';
import { RequestLogCapture } from '../../apps/ingress/src/request-log/request-log-capture';
import { adminRequest } from '../support/admin-client';
import { ScimClient } from '../support/scim-client';
import { useSystem } from '../support/system';

/**
 * Setup links against the real system: a link opens its own tenant's setup data only; Entra's Test Connection (and a
 * refused one) shows up live; credentials regenerated through the link authenticate; revoked, expired and disabled
 * links are one 401; failures show with a plain-words hint.
 */
const ADMIN_TOKEN = randomBytes(32).toString('base64url');
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const INVALID = 'This setup link is not valid (expired or revoked): ask your provider for a new one';

describe('setup links', () => {
  const system = useSystem({ env: { ADMIN_TOKEN } });

  const admin = (method: string, path: string, body?: unknown) => adminRequest(system.baseUrl, ADMIN_TOKEN, method, path, body);
  const flush = () => system.ingress.get(RequestLogCapture).flush();
  const setup = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${system.baseUrl}/console/api/setup${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
  const tokenOf = (url: string) => {
    expect(url).toMatch(new RegExp(`^${system.baseUrl.replace(/\./g, '\\.')}/console/setup#sfsl_[A-Za-z0-9_-]{43}$`));
    return url.split('#')[1];
  };
  const newTenant = async (name: string, profile = 'workforce') => {
    const res = await admin('POST', '/tenants', { name, profile });
    expect(res.status).toBe(201);
    return res.body as { tenantId: string; token: string; scimBaseUrl: string; tokenUrl: string; clientId: string };
  };
  const newLink = async (tenantId: string, body: Record<string, unknown> = {}) => {
    const res = await admin('POST', `/tenants/${tenantId}/setup-links`, body);
    expect(res.status).toBe(201);
    return { id: res.body.id as string, token: tokenOf(res.body.url), expiresAt: res.body.expiresAt as string };
  };
  const entraTestConnection = (scimBaseUrl: string, token: string) =>
    fetch(`${scimBaseUrl}/Users?filter=${encodeURIComponent('userName eq "x"')}`, { headers: { authorization: `Bearer ${token}` } });

  it("answers the tenant's setup data, shows Entra's Test Connection, regenerates credentials", async () => {
    const a = await newTenant('Contoso A');
    const link = await newLink(a.tenantId, { productName: 'Workforce Cloud', logoUrl: 'https://cdn.example.com/logo.png', expiresInSeconds: 3600 });
    expect(Date.parse(link.expiresAt) - Date.now()).toBeGreaterThan(3590 * 1000);
    // only the hash is stored
    expect(JSON.stringify(await system.db.query(`SELECT * FROM setup_links`))).not.toContain(link.token);

    const data = await setup(link.token, 'GET', '');
    expect(data.status).toBe(200);
    expect(data.headers.get('cache-control')).toBe('no-store');
    expect(data.body).toMatchObject({
      tenant: { name: 'Contoso A', profile: 'workforce', profileTitle: 'Workforce platform' },
      productName: 'Workforce Cloud',
      logoUrl: 'https://cdn.example.com/logo.png',
      expiresAt: link.expiresAt,
      scimBaseUrl: a.scimBaseUrl,
      tokenUrl: a.tokenUrl,
      authMethods: ['secret-token', 'oauth-client-credentials'],
      allowedSourceIps: [],
    });
    expect(data.body.mappings.find((m: { target: string }) => m.target === 'userType').note).toMatch(/Premium, Standard/);

    // nothing yet
    const since = new Date().toISOString();
    expect((await setup(link.token, 'GET', `/test-connection?since=${since}`)).body).toEqual({ lastRequest: null });

    // Entra's Test Connection with the tenant's token
    expect((await entraTestConnection(a.scimBaseUrl, a.token)).status).toBe(200);
    await flush();
    const passed = await setup(link.token, 'GET', `/test-connection?since=${since}`);
    expect(passed.status).toBe(200);
    expect(passed.body.lastRequest).toMatchObject({
      sourceIp: '127.0.0.1',
      method: 'GET',
      status: 200,
      passedAuth: true,
      passedAllowList: true,
      ok: true,
      detail: null,
    });
    expect(passed.body.lastRequest.path).toBe(`/scim/v2/${a.tenantId}/Users?filter=${encodeURIComponent('userName eq "x"')}`);
    expect(Date.parse(passed.body.lastRequest.at)).toBeGreaterThanOrEqual(Date.parse(since));

    // a wrong token is recorded and shows as failed auth
    expect((await entraTestConnection(a.scimBaseUrl, `scimflow_abcdefghij12_${randomBytes(32).toString('base64url')}`)).status).toBe(401);
    await flush();
    const refused = (await setup(link.token, 'GET', `/test-connection?since=${since}`)).body.lastRequest;
    expect(refused).toMatchObject({ status: 401, passedAuth: false, passedAllowList: true, ok: false });
    expect(refused.detail).toMatch(/Authentication required/);

    // the allow-list's refusal is recorded and shows as failed allow-list
    expect((await admin('PUT', `/tenants/${a.tenantId}/allowed-source-ips`, { allowedSourceIps: ['198.51.100.0/24'] })).status).toBe(200);
    expect((await entraTestConnection(a.scimBaseUrl, a.token)).status).toBe(403);
    await flush();
    expect((await setup(link.token, 'GET', `/test-connection?since=${since}`)).body.lastRequest).toMatchObject({
      status: 403,
      passedAuth: true,
      passedAllowList: false,
      ok: false,
    });
    expect((await setup(link.token, 'GET', '')).body.allowedSourceIps).toEqual(['198.51.100.0/24']);
    expect((await admin('PUT', `/tenants/${a.tenantId}/allowed-source-ips`, { allowedSourceIps: [] })).status).toBe(200);

    // a new secret token authenticates, and the old one still does
    const issued = await setup(link.token, 'POST', '/credentials', { kind: 'secret-token' });
    expect(issued.status).toBe(201);
    expect(issued.body.token).toMatch(/^scimflow_/);
    expect((await entraTestConnection(a.scimBaseUrl, issued.body.token)).status).toBe(200);
    expect((await entraTestConnection(a.scimBaseUrl, a.token)).status).toBe(200);
    // a new client secret gets an access token
    const secret = await setup(link.token, 'POST', '/credentials', { kind: 'oauth-client-secret' });
    expect(secret.status).toBe(201);
    expect(secret.body).toMatchObject({ tokenUrl: a.tokenUrl, clientId: a.clientId });
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: secret.body.clientId, client_secret: secret.body.clientSecret });
    expect((await fetch(a.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() })).status).toBe(
      200,
    );
    expect((await setup(link.token, 'POST', '/credentials', { kind: 'password' })).status).toBe(400);
    // both audited as issued through the link
    const audit = await admin('GET', `/tenants/${a.tenantId}/audit`);
    expect(
      audit.body
        .filter((e: { commandId: string }) => e.commandId === `setup-link:${link.id}`)
        .map((e: { action: string }) => e.action)
        .sort(),
    ).toEqual(['oauth-client-secret.rotate', 'secret-token.create']);

    // the operator sees the link, used, never its token
    const listed = await admin('GET', `/tenants/${a.tenantId}/setup-links`);
    expect(listed.body.links).toEqual([expect.objectContaining({ id: link.id, productName: 'Workforce Cloud', revokedAt: null, expiresAt: link.expiresAt })]);
    expect(listed.body.links[0].lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed.body)).not.toContain(link.token);
  });

  it('revoked, expired, unknown, malformed and disabled-tenant links are one 401', async () => {
    const t = await newTenant('Revocations', 'appsec');
    const revoked = await newLink(t.tenantId);
    expect((await setup(revoked.token, 'GET', '')).status).toBe(200);
    expect((await admin('DELETE', `/tenants/${t.tenantId}/setup-links/${revoked.id}`)).status).toBe(204);
    expect((await admin('DELETE', `/tenants/${t.tenantId}/setup-links/${revoked.id}`)).status).toBe(404);
    const expired = await newLink(t.tenantId);
    await system.db.query(`UPDATE setup_links SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired.id]);
    const disabledLink = await newLink(t.tenantId);
    const answers = [
      await setup(revoked.token, 'GET', ''),
      await setup(expired.token, 'GET', '/status'),
      await setup(`sfsl_${randomBytes(32).toString('base64url')}`, 'GET', ''),
      await setup('not-a-link', 'GET', '/test-connection'),
      await setup(expired.token, 'POST', '/credentials', { kind: 'secret-token' }),
    ];
    for (const a of answers) {
      expect(a.status).toBe(401);
      expect(a.body).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401', detail: INVALID });
    }
    expect((await admin('POST', `/tenants/${t.tenantId}/disable`)).status).toBe(200);
    expect((await setup(disabledLink.token, 'GET', '')).body.detail).toBe(INVALID);
    expect((await admin('POST', `/tenants/${t.tenantId}/enable`)).status).toBe(200);
    expect((await setup(disabledLink.token, 'GET', '')).status).toBe(200);
    expect((await admin('DELETE', `/tenants/${t.tenantId}`)).status).toBe(204);
    expect((await setup(disabledLink.token, 'GET', '')).status).toBe(401);

    // bad creation requests
    const u = await newTenant('Bad requests', 'appsec');
    for (const body of [
      { expiresInSeconds: 299 },
      { expiresInSeconds: 2592001 },
      { logoUrl: 'http://insecure.example.com/l.png' },
      { productName: 'x'.repeat(81) },
      { other: 1 },
    ])
      expect((await admin('POST', `/tenants/${u.tenantId}/setup-links`, body)).status).toBe(400);
    expect((await admin('POST', `/tenants/00000000-0000-4000-8000-000000000000/setup-links`, {})).status).toBe(404);
  });

  it("tenant B's link never sees tenant A's data", async () => {
    const a = await newTenant('Tenant A', 'appsec');
    const b = await newTenant('Tenant B', 'surecloud');
    const linkB = await newLink(b.tenantId);
    const since = new Date().toISOString();
    const scimA = new ScimClient(a.scimBaseUrl, a.token);
    expect((await scimA.post('/Users', { schemas: [USER], userName: 'only-a@contoso.example', active: true })).status).toBe(201);
    expect((await entraTestConnection(a.scimBaseUrl, a.token)).status).toBe(200);
    // A's token against B's URL: refused, recorded for B (the request named B), never A's
    expect((await entraTestConnection(b.scimBaseUrl, a.token)).status).toBe(401);
    await flush();

    const data = await setup(linkB.token, 'GET', '');
    expect(data.body.tenant.name).toBe('Tenant B');
    expect(data.body.scimBaseUrl).toBe(b.scimBaseUrl);
    const check = await setup(linkB.token, 'GET', `/test-connection?since=${since}`);
    expect(check.body.lastRequest.path).toContain(b.tenantId);
    expect(check.body.lastRequest.passedAuth).toBe(false);
    const status = await setup(linkB.token, 'GET', '/status');
    expect(status.body).toMatchObject({ users: 0, groups: 0 });
    const everything = JSON.stringify([data.body, check.body, status.body]);
    for (const secret of [a.tenantId, 'Tenant A', 'only-a@contoso.example', a.token]) expect(everything).not.toContain(secret);
    // a link's credentials are its tenant's
    const issued = await setup(linkB.token, 'POST', '/credentials', { kind: 'secret-token' });
    expect((await entraTestConnection(a.scimBaseUrl, issued.body.token)).status).toBe(401);
    expect((await entraTestConnection(b.scimBaseUrl, issued.body.token)).status).toBe(200);
    // and the operator's revoke of A's link id through B does nothing
    const linkA = await newLink(a.tenantId);
    expect((await admin('DELETE', `/tenants/${b.tenantId}/setup-links/${linkA.id}`)).status).toBe(404);
    expect((await setup(linkA.token, 'GET', '')).status).toBe(200);
  });

  it('status shows the users and failures with a plain-words fix', async () => {
    const t = await newTenant('Status', 'workforce');
    const link = await newLink(t.tenantId);
    const scim = new ScimClient(t.scimBaseUrl, t.token);
    const good = {
      schemas: [USER],
      userName: 'ada@contoso.example',
      active: true,
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      emails: [{ type: 'work', value: 'ada@contoso.example', primary: true }],
    };
    expect((await scim.post('/Users', good)).status).toBe(201);
    expect(
      (await scim.post('/Users', { ...good, userName: 'gold@contoso.example', emails: [{ type: 'work', value: 'gold@contoso.example' }], userType: 'Gold' }))
        .status,
    ).toBe(400);
    expect((await scim.get('/Users/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    await flush();
    // a wrong client secret at the token endpoint, later
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: t.clientId, client_secret: 'sfcs_wrong' });
    expect((await fetch(t.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() })).status).toBe(
      401,
    );
    await flush();

    const status = await setup(link.token, 'GET', '/status');
    expect(status.status).toBe(200);
    expect(status.body.users).toBe(1);
    expect(status.body.groups).toBe(0);
    expect(status.body.lastRequestAt).not.toBeNull();
    expect(status.body.lastCycleAt).not.toBeNull();
    // the GET answered 404 is Entra's normal lookup, not a failure; newest first
    expect(status.body.recentFailures).toHaveLength(2);
    const [tokenFailure, userType] = status.body.recentFailures;
    expect(tokenFailure).toMatchObject({ method: 'POST', status: 401, path: `/oauth/${t.tenantId}/token` });
    expect(tokenFailure.hint).toMatch(/OAuth client credentials are wrong/);
    expect(userType).toMatchObject({ method: 'POST', status: 400, path: `/scim/v2/${t.tenantId}/Users` });
    expect(userType.detail).toMatch(/userType must be one of Premium, Standard/);
    expect(userType.hint).toMatch(/set a default in Entra's userType mapping/);
  });

  it('scimctl creates, lists and revokes setup links', async () => {
    const t = await newTenant('CLI', 'segura');
    const config = validateConfig(ScimctlConfig, { ...process.env });
    const lines: string[] = [];
    const out = (l: string) => lines.push(l);
    await setupLinkCreateVerb.run([t.tenantId, '--expires', '2d', '--product-name', 'Segura'], { config, out });
    const token = tokenOf(lines[0]);
    const data = await setup(token, 'GET', '');
    expect(data.status).toBe(200);
    expect(data.body.productName).toBe('Segura');
    expect(Math.round((Date.parse(data.body.expiresAt) - Date.now()) / 3600_000)).toBe(48);
    lines.length = 0;
    await setupLinkListVerb.run([t.tenantId], { config, out });
    const listed = lines.map((l) => JSON.parse(l));
    expect(listed).toHaveLength(1);
    lines.length = 0;
    await setupLinkRevokeVerb.run([t.tenantId, listed[0].id], { config, out });
    expect(JSON.parse(lines[0])).toEqual({ id: listed[0].id, revoked: true });
    expect((await setup(token, 'GET', '')).status).toBe(401);
    await expect(setupLinkRevokeVerb.run([t.tenantId, listed[0].id], { config, out })).rejects.toThrow(/no active setup link/);
  });
});
