import { randomBytes, randomUUID } from 'node:crypto';
import { ScimctlConfig, validateConfig } from '../../libs/config/src';
import { RequestLog } from '../../libs/persistence/src';
import { requestsVerb } from '../../apps/scimctl/src/verbs/requests.verbs';
import { RequestLogCapture } from '../../apps/ingress/src/request-log/request-log-capture';
import { adminRequest } from '../support/admin-client';
import { patchOps, ScimClient } from '../support/scim-client';
import { useSystem } from '../support/system';

/**
 * The SCIM request log against the real system: Entra-style requests are found through the admin API and scimctl
 * with the normalisations scimflow applied, no credential is stored anywhere in a row, requests for tenants that do
 * not exist are not recorded, and retention drops a whole old partition.
 */
const ADMIN_TOKEN = randomBytes(32).toString('base64url');
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

describe('request log', () => {
  const system = useSystem({ env: { ADMIN_TOKEN } });

  const admin = (method: string, path: string, body?: unknown) => adminRequest(system.baseUrl, ADMIN_TOKEN, method, path, body);
  const flush = () => system.ingress.get(RequestLogCapture).flush();

  it('records Entra-style requests with their notes, redacted, and finds them through the admin API and scimctl', async () => {
    const tenant = await admin('POST', '/tenants', { name: 'request log' });
    expect(tenant.status).toBe(201);
    const { tenantId, scimBaseUrl, token, tokenUrl, clientId, clientSecret } = tenant.body;
    const scim = new ScimClient(scimBaseUrl, token);

    const created = await scim.post('/Users', { schemas: [USER], userName: 'ada@contoso.example', active: true, password: 'Hunter2-secret-pw' });
    expect(created.status).toBe(201);
    const userId: string = created.body.id;
    const disabled = await scim.patch(`/Users/${userId}`, patchOps({ op: 'Replace', path: 'active', value: 'False' }));
    expect(disabled.status).toBe(200);
    const mobile = await scim.patch(`/Users/${userId}`, patchOps({ op: 'Replace', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0100' }));
    expect(mobile.status).toBe(200);

    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
    const issued = await fetch(tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    expect(issued.status).toBe(200);
    const accessToken: string = ((await issued.json()) as { access_token: string }).access_token;
    const badToken = `scimflow_abcdefghij12_${randomBytes(32).toString('base64url')}`;
    const refused = await fetch(`${scimBaseUrl}/Users?access_token=${accessToken}`, { headers: { authorization: `Bearer ${badToken}` } });
    expect(refused.status).toBe(401);
    // a tenant that does not exist: answered, never recorded
    const guessed = randomUUID();
    expect((await fetch(`${system.baseUrl}/scim/v2/${guessed}/Users`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    await flush();

    const list = await admin('GET', `/tenants/${tenantId}/requests`);
    expect(list.status).toBe(200);
    const entries: any[] = list.body;
    expect(entries.map((e) => `${e.method} ${e.status}`)).toEqual(['GET 401', 'POST 200', 'PATCH 200', 'PATCH 200', 'POST 201']);
    for (let i = 1; i < entries.length; i++) expect(entries[i - 1].at >= entries[i].at).toBe(true);

    const [unauthorised, tokenCall, filtered, deactivation, creation] = entries;
    expect(deactivation.notes).toEqual(['op "Replace" read as "replace"', 'active "False" read as false']);
    expect(deactivation.path).toBe(`/scim/v2/${tenantId}/Users/${userId}`);
    expect(JSON.parse(deactivation.requestBody).Operations[0]).toEqual({ op: 'Replace', path: 'active', value: 'False' });
    expect(JSON.parse(deactivation.responseBody).active).toBe(false);
    expect(deactivation.sourceIp).toBe('127.0.0.1');
    expect(deactivation.latencyMs).toBeGreaterThan(0);
    expect(deactivation.requestId).toBe(disabled.headers.get('x-request-id'));
    expect(filtered.notes).toContain('Replace on the filtered path phoneNumbers[type eq "mobile"].value creates the element if none matches');
    expect(JSON.parse(creation.requestBody).password).toBe('[redacted]');
    expect(tokenCall.path).toBe(`/oauth/${tenantId}/token`);
    expect(JSON.parse(tokenCall.requestBody)).toEqual({ grant_type: 'client_credentials', client_id: clientId, client_secret: '[redacted]' });
    expect(JSON.parse(tokenCall.responseBody)).toMatchObject({ access_token: '[redacted]', token_type: 'Bearer' });
    expect(unauthorised.path).toBe(`/scim/v2/${tenantId}/Users?access_token=[redacted]`);
    expect(JSON.parse(unauthorised.responseBody).status).toBe('401');

    // filters, paging and one entry
    const patches = await admin('GET', `/tenants/${tenantId}/requests?method=PATCH&status=200&q=${userId}`);
    expect(patches.body.map((e: { id: string }) => e.id)).toEqual([filtered.id, deactivation.id]);
    expect((await admin('GET', `/tenants/${tenantId}/requests?status=401`)).body.map((e: { id: string }) => e.id)).toEqual([unauthorised.id]);
    const page = await admin('GET', `/tenants/${tenantId}/requests?limit=2&before=${tokenCall.id}`);
    expect(page.body.map((e: { id: string }) => e.id)).toEqual([filtered.id, deactivation.id]);
    const one = await admin('GET', `/tenants/${tenantId}/requests/${deactivation.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(deactivation);
    expect((await admin('GET', `/tenants/${tenantId}/requests/${randomUUID()}`)).status).toBe(404);
    expect((await admin('GET', `/tenants/${guessed}/requests`)).status).toBe(404);
    expect((await admin('GET', `/tenants/${tenantId}/requests?status=abc`)).status).toBe(400);
    expect((await admin('GET', `/tenants/${tenantId}/requests?before=nope`)).status).toBe(400);

    // no credential anywhere in the stored rows
    const rows: unknown[] = await system.db.query(`SELECT * FROM scim_request_log WHERE tenant_id = $1`, [tenantId]);
    expect(rows).toHaveLength(5);
    const stored = JSON.stringify(rows);
    for (const secret of [clientSecret, token, accessToken, badToken, 'Hunter2-secret-pw', ...accessToken.split('.').filter((p) => p.length >= 20)])
      expect(stored).not.toContain(secret);
    expect((await system.db.query(`SELECT count(*)::int AS n FROM scim_request_log WHERE tenant_id = $1`, [guessed]))[0].n).toBe(0);

    // scimctl requests reads the same log
    const lines: string[] = [];
    const config = validateConfig(ScimctlConfig, { ...process.env });
    await requestsVerb.run(['--tenant', tenantId, '--status', '401', '--limit', '5'], { config, out: (l) => lines.push(l) });
    expect(lines.map((l) => JSON.parse(l).id)).toEqual([unauthorised.id]);

    // deleting the tenant deletes its log
    expect((await admin('DELETE', `/tenants/${tenantId}`)).status).toBe(204);
    expect((await system.db.query(`SELECT count(*)::int AS n FROM scim_request_log WHERE tenant_id = $1`, [tenantId]))[0].n).toBe(0);
  });

  it('drops whole partitions older than the retention, keeping the recent ones', async () => {
    const log = new RequestLog(system.db);
    const tenant = await admin('POST', '/tenants', { name: 'retention' });
    const tenantId: string = tenant.body.tenantId;
    const now = new Date();
    const old = new Date(now.getTime() - 40 * 86_400_000);
    const created = await log.ensurePartitions(old, 0);
    expect(created).toContain(`scim_request_log_p${old.toISOString().slice(0, 10).replace(/-/g, '')}`);
    await log.append([
      { tenantId, at: old, method: 'GET', path: '/scim/v2/x/Users', status: 200, latencyMs: 1 },
      { tenantId, at: now, method: 'GET', path: '/scim/v2/x/Groups', status: 200, latencyMs: 1 },
      { tenantId: randomUUID(), at: now, method: 'GET', path: '/scim/v2/y/Users', status: 200, latencyMs: 1 },
    ]);
    expect((await log.list(tenantId)).map((e) => e.path)).toEqual(['/scim/v2/x/Groups', '/scim/v2/x/Users']);

    const dropped = await log.dropExpired(now, 30);
    expect(created).toHaveLength(2); // the day before `old`, and `old`'s
    expect(dropped).toEqual(created);
    const remaining = await log.partitionNames();
    for (const name of dropped) expect(remaining).not.toContain(name);
    expect(remaining).toContain(`scim_request_log_p${now.toISOString().slice(0, 10).replace(/-/g, '')}`);
    expect((await log.list(tenantId)).map((e) => e.path)).toEqual(['/scim/v2/x/Groups']);
    expect(await log.dropExpired(now, 30)).toEqual([]);
  });
});
