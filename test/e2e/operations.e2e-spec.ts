import { RunningSystem, useSystem } from '../support/system';
import { ScimClient } from '../support/scim-client';
import { WebhookReceiver } from '../support/webhook-receiver';
import { sample } from '../support/prometheus';

const url = async (app: RunningSystem['ingress']) => (await app.getUrl()).replace('[::1]', '127.0.0.1');

/** What an SRE and Kubernetes see of each app: liveness, readiness with reasons, Prometheus metrics. */
describe('operations endpoints', () => {
  const system = useSystem();

  it('reports ready with each probe once Kafka and Postgres are reachable and consumers are assigned', async () => {
    const expected: Record<string, string[]> = {
      ingress: ['postgres', 'kafka-producer', 'command-outcomes-consumer'],
      reconciler: ['postgres', 'kafka-producer', 'commands-consumer'],
      notifier: ['postgres', 'kafka-producer', 'events-consumer'],
    };
    for (const [name, probes] of Object.entries(expected)) {
      const app = system[name as 'ingress' | 'reconciler' | 'notifier'];
      let body: any;
      for (let i = 0; i < 100; i++) {
        const res = await fetch(`${await url(app)}/readyz`);
        body = await res.json();
        if (res.status === 200) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(body.status).toBe('ok');
      for (const p of probes) expect(body.info[p]).toEqual({ status: 'up' });
      expect((await fetch(`${await url(app)}/healthz`)).status).toBe(200);
    }
  });

  it('exposes request, command and lag metrics in Prometheus format', async () => {
    const tenant = await system.createTenant('ops metrics');
    const scim = new ScimClient(tenant.scimBaseUrl, tenant.token);
    expect((await scim.post('/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'metrics@contoso.example' })).status).toBe(201);
    expect((await scim.get('/Users?filter=userName%20eq%20%22x%22')).status).toBe(200);

    const ingress = await (await fetch(`${await url(system.ingress)}/metrics`)).text();
    expect(
      sample(ingress, 'scimflow_http_requests_total', {
        method: 'POST',
        route: '/scim/v2/:tenantId/Users',
        status: '201',
        tenant: tenant.tenantId,
        app: 'ingress',
      }),
    ).toBe(1);
    expect(sample(ingress, 'scimflow_http_request_duration_seconds_count', { method: 'GET', route: '/scim/v2/:tenantId/Users', status: '200' })).toBe(1);
    expect(ingress).toMatch(/^scimflow_process_resident_memory_bytes\{app="ingress"\} \d+/m);

    // the write is answered after its commit; its event is published right after, asynchronously: wait for it
    const reconcilerMetrics = async () => (await fetch(`${await url(system.reconciler)}/metrics`)).text();
    let reconciler = await reconcilerMetrics();
    for (let i = 0; i < 100 && !(sample(reconciler, 'scimflow_outbox_published_total', { app: 'reconciler' })! >= 1); i++) {
      await new Promise((r) => setTimeout(r, 100));
      reconciler = await reconcilerMetrics();
    }
    expect(sample(reconciler, 'scimflow_commands_applied_total', { resource: 'User', action: 'create', status: '201' })).toBeGreaterThanOrEqual(1);
    expect(sample(reconciler, 'scimflow_command_apply_duration_seconds_count', { resource: 'User', action: 'create' })).toBeGreaterThanOrEqual(1);
    expect(sample(reconciler, 'scimflow_consumer_lag', { group: 'scimflow-reconciler', topic: /scim\.commands$/, partition: /^\d+$/ })).toBeGreaterThanOrEqual(
      0,
    );
    expect(sample(reconciler, 'scimflow_outbox_published_total', { app: 'reconciler' })).toBeGreaterThanOrEqual(1);
  });

  it("exposes delivery attempts, the delivery backlog, the DLQ size and the notifier's lag", async () => {
    const receiver = new WebhookReceiver();
    const tenant = await system.createTenant('ops delivery metrics', [await receiver.start()]);
    try {
      const scim = new ScimClient(tenant.scimBaseUrl, tenant.token);
      const created = await scim.post('/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'delivered@contoso.example' });
      expect(created.status).toBe(201);
      await receiver.waitFor(() => receiver.eventsFor(created.body.id).length > 0);

      let notifier = '';
      for (let i = 0; i < 50; i++) {
        // the attempt is counted when its answer is in, just before the receiver's response reaches the test
        notifier = await (await fetch(`${await url(system.notifier)}/metrics`)).text();
        if (sample(notifier, 'scimflow_webhook_attempts_total', { tenant: tenant.tenantId, result: 'delivered' })) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(sample(notifier, 'scimflow_webhook_attempts_total', { tenant: tenant.tenantId, result: 'delivered', app: 'notifier' })).toBe(1);
      expect(sample(notifier, 'scimflow_webhook_attempt_duration_seconds_count', { result: 'delivered' })).toBeGreaterThanOrEqual(1);
      expect(sample(notifier, 'scimflow_webhook_pending_deliveries', { app: 'notifier' })).toBeGreaterThanOrEqual(0);
      expect(sample(notifier, 'scimflow_webhook_dead_letters', { app: 'notifier' })).toBeGreaterThanOrEqual(0);
      expect(
        sample(notifier, 'scimflow_consumer_lag', { group: 'scimflow-notifier', topic: /scim\.user-changed$/, partition: /^\d+$/ }),
      ).toBeGreaterThanOrEqual(0);
    } finally {
      await receiver.stop();
    }
  });

  it("echoes the caller's request id", async () => {
    const tenant = await system.createTenant('ops logs');
    const res = await fetch(`${tenant.scimBaseUrl}/Users`, { headers: { authorization: `Bearer ${tenant.token}`, 'x-request-id': 'req-123' } });
    expect(res.headers.get('x-request-id')).toBe('req-123');
  });
});
