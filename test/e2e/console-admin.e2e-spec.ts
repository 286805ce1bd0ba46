import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestLogCapture } from '../../apps/ingress/src/request-log/request-log-capture';
import { adminRequest } from '../support/admin-client';
import { patchOps, ScimClient } from '../support/scim-client';
import { RunningSystem, startSystem } from '../support/system';
import { WebhookReceiver } from '../support/webhook-receiver';

/**
 * The console's admin views against the real system: the overview counts a tenant's requests and failures (the
 * failure rule: 400 and above except a GET's 404), activity buckets them per hour, a user's timeline lists its commands
 * and events with their deliveries, the pipeline reads outbox, parked work and consumer lag; and the ingress serves
 * the built console with its security headers.
 */
const ADMIN_TOKEN = randomBytes(32).toString('base64url');
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

describe('console admin views', () => {
  let system: RunningSystem;
  const receiver = new WebhookReceiver();
  const consoleDir = mkdtempSync(join(tmpdir(), 'scimflow-console-'));
  const saved: Record<string, string | undefined> = {};
  let hookUrl: string;

  beforeAll(async () => {
    hookUrl = await receiver.start();
    mkdirSync(join(consoleDir, 'assets'));
    writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>scimflow console</title><script src="/console/assets/console.js"></script>');
    writeFileSync(join(consoleDir, 'assets', 'console.js'), 'document.title = "console";');
    for (const [k, v] of Object.entries({ ADMIN_TOKEN, CONSOLE_DIR: consoleDir })) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    system = await startSystem();
  });

  afterAll(async () => {
    await system?.stop();
    await receiver.stop();
    rmSync(consoleDir, { recursive: true, force: true });
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  });

  const admin = (method: string, path: string, body?: unknown) => adminRequest(system.baseUrl, ADMIN_TOKEN, method, path, body);
  const flush = () => system.ingress.get(RequestLogCapture).flush();
  const waitFor = async (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it("counts a tenant's requests and failures, buckets them per hour, and shows a user's timeline", async () => {
    const created = await admin('POST', '/tenants', { name: 'Overview', profile: 'appsec' });
    expect(created.status).toBe(201);
    const { tenantId, scimBaseUrl, token } = created.body;
    expect((await admin('POST', `/tenants/${tenantId}/subscriptions`, { url: hookUrl, eventTypes: ['dev.scimflow.user.*'] })).status).toBe(201);
    const quiet = await admin('POST', '/tenants', { name: 'Quiet', profile: 'custom' });

    const scim = new ScimClient(scimBaseUrl, token);
    const user = await scim.post('/Users', { schemas: [USER], userName: 'ada@contoso.example', active: true });
    expect(user.status).toBe(201);
    const userId: string = user.body.id;
    expect((await scim.patch(`/Users/${userId}`, patchOps({ op: 'Replace', path: 'active', value: 'False' }))).status).toBe(200);
    expect((await scim.get('/Users/00000000-0000-4000-8000-000000000000')).status).toBe(404); // Entra's lookup: not a failure
    expect((await scim.post('/Users', { schemas: [USER], active: true })).status).toBe(400);
    expect((await fetch(`${scimBaseUrl}/Users`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    await flush();

    const overview = await admin('GET', '/overview');
    expect(overview.status).toBe(200);
    expect(overview.body.failureQuarantineRatio).toBe(0.4);
    const health = overview.body.tenants.find((t: { id: string }) => t.id === tenantId);
    expect(health).toMatchObject({
      name: 'Overview',
      profile: 'appsec',
      enabled: true,
      lastRequestIp: '127.0.0.1',
      requests24h: 5,
      failures24h: 2,
      failureRatio24h: 0.4,
      users: 1,
      groups: 0,
      parkedCommands: 0,
    });
    expect(Date.parse(health.lastRequestAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(overview.body.tenants.find((t: { id: string }) => t.id === quiet.body.tenantId)).toMatchObject({
      requests24h: 0,
      failures24h: 0,
      failureRatio24h: 0,
      lastRequestAt: null,
      lastRequestIp: null,
      users: 0,
    });

    const activity = await admin('GET', `/tenants/${tenantId}/activity?hours=3`);
    expect(activity.status).toBe(200);
    const buckets: { start: string; total: number; ok: number; clientErrors: number; serverErrors: number }[] = activity.body.buckets;
    expect(buckets).toHaveLength(3);
    expect(Date.parse(buckets[1].start) - Date.parse(buckets[0].start)).toBe(3600_000);
    expect(Date.parse(buckets[2].start)).toBeLessThanOrEqual(Date.now());
    const sum = (k: 'total' | 'ok' | 'clientErrors' | 'serverErrors') => buckets.reduce((n, b) => n + b[k], 0);
    expect([sum('total'), sum('ok'), sum('clientErrors'), sum('serverErrors')]).toEqual([5, 2, 3, 0]);
    expect((await admin('GET', `/tenants/${tenantId}/activity`)).body.buckets).toHaveLength(24);
    expect((await admin('GET', `/tenants/${tenantId}/activity?hours=0`)).status).toBe(400);
    expect((await admin('GET', `/tenants/00000000-0000-4000-8000-000000000000/activity`)).status).toBe(404);

    // the user's timeline: both commands, both events, each delivered to the subscription
    await waitFor('both events delivered', async () => {
      const t = await admin('GET', `/tenants/${tenantId}/users/${userId}/timeline`);
      return t.body.events.length === 2 && t.body.events.every((e: { deliveries: { status: string }[] }) => e.deliveries[0]?.status === 'delivered');
    });
    const timeline = (await admin('GET', `/tenants/${tenantId}/users/${userId}/timeline`)).body;
    expect(timeline.user).toMatchObject({ id: userId, userName: 'ada@contoso.example', active: false });
    expect(timeline.commands.map((c: { operation: string; outcome: string; status: number }) => [c.operation, c.outcome, c.status])).toEqual([
      ['create', 'success', 201],
      ['patch', 'success', 200],
    ]);
    expect(timeline.events.map((e: { type: string; sequence: number }) => [e.type, e.sequence])).toEqual([
      ['dev.scimflow.user.created.v1', 1],
      ['dev.scimflow.user.deactivated.v1', 2],
    ]);
    expect(timeline.events[0].deliveries).toEqual([expect.objectContaining({ url: hookUrl, status: 'delivered', attempts: 1, lastError: null })]);
    expect(receiver.eventsFor(userId).map((e: { id: string }) => e.id)).toEqual(timeline.events.map((e: { eventId: string }) => e.eventId));
    // another tenant's id finds nothing of this user
    const other = (await admin('GET', `/tenants/${quiet.body.tenantId}/users/${userId}/timeline`)).body;
    expect(other).toEqual({ user: null, commands: [], events: [] });
    for (const bad of ['not-a-uuid', '%00'])
      expect((await admin('GET', `/tenants/${tenantId}/users/${bad}/timeline`)).body).toEqual({ user: null, commands: [], events: [] });
  });

  it('reads the pipeline: outbox, parked work, backlog and consumer lag per partition', async () => {
    const prefix = process.env.KAFKA_TOPIC_PREFIX ?? '';
    let pipeline: { status: number; body: any };
    await waitFor("the notifier's committed offsets", async () => {
      pipeline = await admin('GET', '/pipeline');
      return pipeline.body.consumerLag?.some((l: { group: string }) => l.group === `${prefix}scimflow-notifier`);
    });
    expect(pipeline!.status).toBe(200);
    expect(pipeline!.body).toMatchObject({
      outbox: { depth: expect.any(Number) },
      parkedCommands: 0,
      parkedRecords: 0,
      webhookBacklog: expect.any(Number),
      deadLetters: 0,
    });
    const reconciler = pipeline!.body.consumerLag.filter((l: { group: string }) => l.group === `${prefix}scimflow-reconciler`);
    expect(reconciler.length).toBeGreaterThan(0);
    for (const l of reconciler) {
      expect(l.topic).toBe(`${prefix}scim.commands`);
      expect(l.lag).toBeGreaterThanOrEqual(0);
      expect(l.partition).toBeGreaterThanOrEqual(0);
    }
    // the commands were applied: nothing left behind on the commands topic
    await waitFor('reconciler caught up', async () =>
      (await admin('GET', '/pipeline')).body.consumerLag
        .filter((l: { group: string; lag: number }) => l.group === `${prefix}scimflow-reconciler`)
        .every((l: { lag: number }) => l.lag === 0),
    );
  });

  it('describes the new endpoints in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${system.baseUrl}/admin/docs-json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    for (const [path, method] of [
      ['/admin/overview', 'get'],
      ['/admin/pipeline', 'get'],
      ['/admin/tenants/{tenantId}/activity', 'get'],
      ['/admin/tenants/{tenantId}/users/{userId}/timeline', 'get'],
      ['/admin/tenants/{tenantId}/setup-links', 'post'],
      ['/admin/tenants/{tenantId}/setup-links', 'get'],
      ['/admin/tenants/{tenantId}/setup-links/{linkId}', 'delete'],
      ['/console/api/session', 'post'],
      ['/console/api/session', 'delete'],
      ['/console/api/setup', 'get'],
      ['/console/api/setup/credentials', 'post'],
      ['/console/api/setup/test-connection', 'get'],
      ['/console/api/setup/status', 'get'],
    ])
      expect(doc.paths[path]?.[method]).toBeDefined();
    expect(doc.components.securitySchemes.scimflow_console).toEqual({ type: 'apiKey', in: 'cookie', name: 'scimflow_console' });
    const okSchema = (path: string, method: string, code = '200') =>
      (
        (doc.paths[path][method] as { responses: Record<string, { content: Record<string, { schema: { $ref: string } }> }> }).responses[code].content[
          'application/json'
        ].schema.$ref ?? ''
      )
        .split('/')
        .pop();
    expect(okSchema('/console/api/setup', 'get')).toBe('SetupSchema');
    expect(okSchema('/console/api/setup/status', 'get')).toBe('SetupStatusSchema');
    expect(okSchema('/console/api/setup/test-connection', 'get')).toBe('TestConnectionSchema');
    expect(okSchema('/admin/overview', 'get')).toBe('OverviewSchema');
    expect(okSchema('/admin/tenants/{tenantId}/setup-links', 'post', '201')).toBe('CreatedSetupLinkSchema');
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/scim'))).toEqual([]);
  });

  it('serves the built console with its security headers, and its SPA routes', async () => {
    const csp =
      "default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    for (const path of ['/console', '/console/', '/console/setup', '/console/tenants/abc']) {
      const res = await fetch(`${system.baseUrl}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toBe(csp);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await res.text()).toContain('scimflow console');
    }
    const js = await fetch(`${system.baseUrl}/console/assets/console.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('content-security-policy')).toBe(csp);
    expect(await js.text()).toBe('document.title = "console";');
    expect((await fetch(`${system.baseUrl}/console/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${system.baseUrl}/console/assets/..%2findex.html`)).status).toBe(404);
    // the API under /console is not the page
    expect((await fetch(`${system.baseUrl}/console/api/session`)).status).toBe(401);
    expect((await fetch(`${system.baseUrl}/console/api/nope`)).status).toBe(404);

    rmSync(join(consoleDir, 'index.html'));
    const notBuilt = await fetch(`${system.baseUrl}/console`);
    expect(notBuilt.status).toBe(404);
    expect(await notBuilt.json()).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '404',
      detail: 'The console was not built: run npm run build (it writes dist/console)',
    });
  });
});
