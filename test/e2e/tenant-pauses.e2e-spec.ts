import { randomBytes } from 'node:crypto';
import { ScimctlConfig, validateConfig } from '../../libs/config/src';
import { tenantPauseVerb, tenantResumeVerb } from '../../apps/scimctl/src/verbs/tenant-admin.verbs';
import { adminRequest } from '../support/admin-client';
import { sample } from '../support/prometheus';
import { patchOps, ScimClient } from '../support/scim-client';
import { useSystem } from '../support/system';
import { useReceiver } from '../support/webhook-receiver';

/**
 * An operator's pause switches per tenant: delivery (events held in order, nothing dropped, sent on resume) and
 * intake (Entra answered 503 + Retry-After). The other tenant is never affected.
 */
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ADMIN_TOKEN = randomBytes(32).toString('base64url');

describe('tenant pauses (e2e)', () => {
  const system = useSystem({ env: { ADMIN_TOKEN } });
  const receiver = useReceiver();
  let paused: { tenantId: string; client: ScimClient };
  let other: { tenantId: string; client: ScimClient };
  const admin = (method: string, path: string) => adminRequest(system.baseUrl, ADMIN_TOKEN, method, path);
  const eventsOf = (tenantId: string) => receiver.received.map((r) => r.body).filter((e) => e.tenantid === tenantId);

  beforeAll(async () => {
    for (const name of ['paused', 'other']) {
      const t = await system.createTenant(`e2e pauses ${name}`, [receiver.url]);
      const entry = { tenantId: t.tenantId, client: new ScimClient(t.scimBaseUrl, t.token) };
      if (name === 'paused') paused = entry;
      else other = entry;
    }
  });

  it('holds a paused tenant’s events in order while its writes are still answered, and sends them all on resume', async () => {
    const pause = await admin('POST', `/tenants/${paused.tenantId}/delivery/pause`);
    expect(pause.status).toBe(200);
    expect(pause.body.deliveryPausedAt).toEqual(expect.any(String));
    expect(pause.body.intakePausedAt).toBeNull();

    const created = await paused.client.post('/Users', { schemas: [USER], userName: 'held@contoso.example', active: true });
    expect(created.status).toBe(201);
    for (const title of ['one', 'two'])
      expect((await paused.client.patch(`/Users/${created.body.id}`, patchOps({ op: 'replace', path: 'title', value: title }))).status).toBe(200);
    expect((await other.client.post('/Users', { schemas: [USER], userName: 'flows@contoso.example', active: true })).status).toBe(201);

    // the other tenant's event arrives; a while after it, still none of the paused tenant's
    await receiver.waitFor(() => eventsOf(other.tenantId).length >= 1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(eventsOf(paused.tenantId)).toEqual([]);
    const reconcilerMetrics = await (await fetch(`${(await system.reconciler.getUrl()).replace('[::1]', '127.0.0.1')}/metrics`)).text();
    expect(sample(reconcilerMetrics, 'scimflow_tenants_paused', { what: 'delivery' })).toBe(1);

    const resume = await admin('POST', `/tenants/${paused.tenantId}/delivery/resume`);
    expect(resume.status).toBe(200);
    expect(resume.body.deliveryPausedAt).toBeNull();
    await receiver.waitFor(() => eventsOf(paused.tenantId).length >= 3);
    const held = eventsOf(paused.tenantId);
    expect(held.map((e) => e.type.replace(/^.*\.user\./, ''))).toEqual(['created.v1', 'updated.v1', 'updated.v1']);
    expect(held.map((e) => e.sequence)).toEqual([1, 2, 3]);
  });

  it('does not deliver what is already queued for a paused tenant (a replay queued straight into the notifier)', async () => {
    const [{ id: subscriptionId }] = await system.db.query(`SELECT id FROM webhook_subscriptions WHERE tenant_id = $1`, [other.tenantId]);
    expect((await admin('POST', `/tenants/${other.tenantId}/delivery/pause`)).status).toBe(200);
    const started = await adminRequest(system.baseUrl, ADMIN_TOKEN, 'POST', `/subscriptions/${subscriptionId}/replays`, { from: '2020-01-01T00:00:00Z' });
    expect(started.status).toBe(201);
    const replayed = () => receiver.received.filter((r) => r.headers['webhook-replay'] === 'true' && r.body.tenantid === other.tenantId);
    let replay = started.body;
    while (replay.state === 'running') {
      await new Promise((r) => setTimeout(r, 200));
      replay = (await admin('GET', `/replays/${started.body.id}`)).body;
    }
    expect(replay).toMatchObject({ state: 'done', queued: 1 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(replayed()).toEqual([]);
    expect((await admin('POST', `/tenants/${other.tenantId}/delivery/resume`)).status).toBe(200);
    await receiver.waitFor(() => replayed().length === 1);
  });

  it('answers a paused tenant’s SCIM requests 503 + Retry-After, others as usual, and serves it again on resume (scimctl)', async () => {
    const ctx = { config: validateConfig(ScimctlConfig, process.env), out: () => undefined };
    await tenantPauseVerb.run([paused.tenantId, '--intake'], ctx);
    expect((await admin('GET', `/tenants/${paused.tenantId}`)).body.intakePausedAt).toEqual(expect.any(String));
    // scimctl writes to the database: this ingress sees it once its cached policy expires
    const deadline = Date.now() + 40_000;
    let answer = await paused.client.get('/Users?count=1');
    while (answer.status !== 503 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      answer = await paused.client.get('/Users?count=1');
    }
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('300');
    expect(answer.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '503' });
    expect(answer.body.detail).toMatch(/paused/);
    expect((await other.client.get('/Users?count=1')).status).toBe(200);

    // resuming through the admin API applies at once in the ingress that served it
    await tenantResumeVerb.run([paused.tenantId, '--intake'], ctx);
    expect((await admin('POST', `/tenants/${paused.tenantId}/intake/resume`)).status).toBe(200);
    expect((await paused.client.get('/Users?count=1')).status).toBe(200);
  });

  it('refuses unknown pause routes and tenants, and scimctl without exactly one of --intake and --delivery', async () => {
    expect((await admin('POST', `/tenants/${paused.tenantId}/intake/stop`)).status).toBe(404);
    expect((await admin('POST', `/tenants/00000000-0000-4000-8000-000000000000/delivery/pause`)).status).toBe(404);
    const ctx = { config: validateConfig(ScimctlConfig, process.env), out: () => undefined };
    await expect(tenantPauseVerb.run([paused.tenantId], ctx)).rejects.toThrow(/one of --intake or --delivery/);
    await expect(tenantPauseVerb.run([paused.tenantId, '--intake', '--delivery'], ctx)).rejects.toThrow(/one of/);
  });
});
