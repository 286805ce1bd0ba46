import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { verifyWebhook } from '../../packages/client/src';
import { patchOps, ScimClient } from '../support/scim-client';
import { useSystem } from '../support/system';
import { adminRequest } from '../support/admin-client';

/**
 * The admin API's webhook routes, on the whole system: a tenant and its subscription made over /admin, users
 * changed over SCIM, the signed events received, the delivery log, a dead letter and its redrive.
 */

const ADMIN_TOKEN = randomBytes(32).toString('base64url');
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

interface Received {
  headers: http.IncomingHttpHeaders;
  raw: string;
  event: { id: string; type: string; sequence: number };
}

describe('admin API: webhook subscriptions, delivery log, dead letters', () => {
  const system = useSystem({ env: { ADMIN_TOKEN, WEBHOOK_RETRY_HORIZON_MS: '1500' } });
  let server: http.Server;
  let hookUrl: string;
  const received: Received[] = [];
  let refuse = false;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        if (refuse) return void res.writeHead(500).end('refused for the test');
        received.push({ headers: req.headers, raw, event: JSON.parse(raw) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((r) => server?.close(() => r()) ?? r());
  });

  const admin = (method: string, path: string, body?: unknown, token = ADMIN_TOKEN) => adminRequest(system.baseUrl, token, method, path, body);

  const waitFor = async (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('manages a subscription end to end: create, signed delivery, log, rotation, dead letter, redrive, disable, delete', async () => {
    const tenant = await admin('POST', '/tenants', { name: 'webhooks via admin' });
    expect(tenant.status).toBe(201);
    const tenantId: string = tenant.body.tenantId;
    const scim = new ScimClient(tenant.body.scimBaseUrl, tenant.body.token);

    const created = await admin('POST', `/tenants/${tenantId}/subscriptions`, { url: hookUrl, eventTypes: ['dev.scimflow.user.*'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      tenantId,
      url: hookUrl,
      eventTypes: ['dev.scimflow.user.*'],
      enabled: true,
      disabledReason: null,
      secret: expect.stringMatching(/^whsec_/),
    });
    const id: string = created.body.id;
    const secret: string = created.body.secret;
    expect((await admin('GET', `/tenants/${tenantId}/subscriptions`)).body).toEqual([
      expect.objectContaining({ id, secrets: [{ createdAt: expect.any(String), expiresAt: null }] }),
    ]);
    expect(JSON.stringify((await admin('GET', `/subscriptions/${id}`)).body)).not.toContain(secret.slice(6));

    // a SCIM write reaches the receiver as a signed CloudEvent
    const user = await scim.post('/Users', { schemas: [USER], userName: 'hook@contoso.example', active: true });
    expect(user.status).toBe(201);
    await waitFor('user.created', () => received.length === 1);
    expect(received[0].event).toMatchObject({ type: 'dev.scimflow.user.created.v1', sequence: 1, tenantid: tenantId });
    expect(verifyWebhook({ secret, headers: received[0].headers, body: received[0].raw })).toEqual({ ok: true });

    // the attempt is recorded after the receiver answered: the receiver can see the event before the log does
    await waitFor('delivery log', async () => (await admin('GET', `/subscriptions/${id}/deliveries?status=delivered`)).body.length > 0);
    const log = await admin('GET', `/subscriptions/${id}/deliveries?status=delivered`);
    expect(log.status).toBe(200);
    expect(log.body).toEqual([expect.objectContaining({ eventId: received[0].event.id, attempt: 1, status: 'delivered', httpStatus: 204 })]);
    expect((await admin('GET', `/subscriptions/${id}/deliveries?status=nope`)).status).toBe(400);

    // rotation: both secrets sign the next event
    const rotated = await admin('POST', `/subscriptions/${id}/rotate-secret`, { overlapSeconds: 3600 });
    expect(rotated.status).toBe(200);
    expect(await scim.patch(`/Users/${user.body.id}`, patchOps({ op: 'replace', path: 'title', value: 'rotated' }))).toMatchObject({ status: 200 });
    await waitFor('user.updated', () => received.length === 2);
    for (const s of [secret, rotated.body.secret])
      expect(verifyWebhook({ secret: s, headers: received[1].headers, body: received[1].raw })).toEqual({ ok: true });

    // a refused event becomes a dead letter after the (short) horizon, and is redriven once
    refuse = true;
    expect(await scim.patch(`/Users/${user.body.id}`, patchOps({ op: 'replace', path: 'title', value: 'refused' }))).toMatchObject({ status: 200 });
    await waitFor('a dead letter', async () => (await admin('GET', `/subscriptions/${id}/dead-letters`)).body.length === 1);
    const [letter] = (await admin('GET', `/subscriptions/${id}/dead-letters`)).body;
    expect(letter).toMatchObject({ subscriptionId: id, lastStatus: 500, lastResponseExcerpt: 'refused for the test', redrivenAt: null });
    const shown = await admin('GET', `/dead-letters/${letter.id}`);
    expect(shown.body.event).toMatchObject({ sequence: 3, data: { user: expect.objectContaining({ title: 'refused' }) } });

    refuse = false;
    expect((await admin('POST', `/dead-letters/${letter.id}/redrive`)).body).toEqual({ redriven: [letter.id], skipped: [] });
    await waitFor('the redriven event', () => received.length === 3);
    expect(received[2].event.id).toBe(letter.eventId);
    expect((await admin('POST', `/dead-letters/${letter.id}/redrive`)).body).toEqual({
      redriven: [],
      skipped: [{ id: letter.id, reason: 'already redriven' }],
    });
    expect((await admin('GET', `/subscriptions/${id}/dead-letters?all=true`)).body).toEqual([
      expect.objectContaining({ id: letter.id, redrivenAt: expect.any(String) }),
    ]);

    // disable, enable, delete
    expect((await admin('POST', `/subscriptions/${id}/disable`, { reason: 'maintenance' })).body).toMatchObject({
      enabled: false,
      disabledReason: 'maintenance',
    });
    expect((await admin('POST', `/subscriptions/${id}/enable`)).body).toMatchObject({ enabled: true, disabledReason: null });
    expect((await admin('DELETE', `/subscriptions/${id}`)).status).toBe(204);
    expect((await admin('GET', `/subscriptions/${id}`)).status).toBe(404);
  });

  it('answers bad input and unknown ids with SCIM error bodies, and requires the admin credential', async () => {
    const tenant = (await admin('POST', '/tenants', { name: 'webhooks errors' })).body;
    const badUrl = await admin('POST', `/tenants/${tenant.tenantId}/subscriptions`, { url: 'ftp://product.example' });
    expect(badUrl).toMatchObject({
      status: 400,
      body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], scimType: 'invalidValue', detail: expect.stringMatching(/http/) },
    });
    expect((await admin('POST', `/tenants/${tenant.tenantId}/subscriptions`, { url: hookUrl, eventTypes: ['not a type'] })).status).toBe(400);
    expect((await admin('POST', `/tenants/${tenant.tenantId}/subscriptions`, { url: hookUrl, secret: 'whsec_short' })).status).toBe(400);
    expect((await admin('POST', `/tenants/${tenant.tenantId}/subscriptions`, { url: hookUrl, color: 'red' })).status).toBe(400);
    expect((await admin('POST', '/tenants/00000000-0000-4000-8000-000000000000/subscriptions', { url: hookUrl })).status).toBe(404);
    for (const path of ['/subscriptions/nope', '/subscriptions/00000000-0000-4000-8000-000000000000/deliveries', '/dead-letters/nope'])
      expect(await admin('GET', path)).toMatchObject({ status: 404, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'] } });
    expect((await admin('GET', `/tenants/${tenant.tenantId}/subscriptions`, undefined, 'wrong')).status).toBe(401);

    const doc = (await (await fetch(`${system.baseUrl}/admin/docs-json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/admin/tenants/{tenantId}/subscriptions',
        '/admin/subscriptions/{id}/rotate-secret',
        '/admin/subscriptions/{id}/deliveries',
        '/admin/dead-letters/{id}/redrive',
      ]),
    );
  });
});
