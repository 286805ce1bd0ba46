import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/persistence/src';
import { ProcessSystem } from '../support/process-system';
import { WebhookReceiver } from '../support/webhook-receiver';

/**
 * Credentials never reach a log file: the three apps run as real processes, at their most talkative log level,
 * writing to files; a run uses every kind of credential (admin token, tenant tokens, OAuth client secrets, access
 * tokens, webhook secrets), also in the places where they are refused (`?access_token=`, a form body), and then
 * every log file of the run is searched for each of them.
 */
const ADMIN_TOKEN = randomBytes(32).toString('base64url');
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const FORM = 'application/x-www-form-urlencoded';

type Answer = { status: number; headers: Headers; body: any };

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text };
}

/** The strings that must not be in a log: each credential, and each of its parts long enough to be a secret on its own. */
function needles(secrets: string[]): string[] {
  const parts = secrets.flatMap((s) => [s, ...s.split(/[._]/).filter((p) => p.length >= 20)]);
  return [...new Set(parts)];
}

describe('credentials in logs', () => {
  const logDir = mkdtempSync(path.join(os.tmpdir(), 'scimflow-logs-'));
  const receiver = new WebhookReceiver();
  let system: ProcessSystem;
  let hookUrl = '';

  beforeAll(async () => {
    hookUrl = await receiver.start();
    system = await ProcessSystem.create(
      {
        DATABASE_URL: process.env.DATABASE_URL!,
        KAFKA_BROKERS: process.env.KAFKA_BROKERS!,
        KAFKA_TOPIC_PREFIX: `${process.env.KAFKA_TOPIC_PREFIX}logs.`,
        ADMIN_TOKEN,
        LOG_LEVEL: 'verbose',
      },
      { logDir },
    );
    await system.startAll();
  }, 120_000);

  afterAll(async () => {
    await system?.stopAll();
    await receiver.stop();
    rmSync(logDir, { recursive: true, force: true });
  });

  it('writes no token or secret it was given to any log file, refused or accepted', async () => {
    const base = system.baseUrl;
    const admin = (method: string, p: string, body?: unknown, extra: { query?: string; token?: string } = {}) =>
      call(`${base}/admin${p}${extra.query ?? ''}`, {
        method,
        headers: { authorization: `Bearer ${extra.token ?? ADMIN_TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const used: string[] = [ADMIN_TOKEN];

    const tenant = await admin('POST', '/tenants', { name: 'logs' });
    expect(tenant.status).toBe(201);
    const { tenantId, scimBaseUrl, token, tokenUrl, clientId, clientSecret } = tenant.body;
    used.push(token, clientSecret);
    const second = await admin('POST', `/tenants/${tenantId}/tokens`, { description: 'second' });
    expect(second.status).toBe(201);
    used.push(second.body.token);
    const rotated = await admin('POST', `/tenants/${tenantId}/client/secret`);
    expect(rotated.status).toBe(201);
    const newSecret: string = rotated.body.clientSecret;
    used.push(newSecret);
    const hook = await admin('POST', `/tenants/${tenantId}/subscriptions`, { url: hookUrl, eventTypes: ['dev.scimflow.user.*'] });
    expect(hook.status).toBe(201);
    used.push(hook.body.secret);
    const ownSecret = `whsec_${randomBytes(32).toString('base64')}`;
    const hook2 = await admin('POST', `/tenants/${tenantId}/subscriptions`, {
      url: `${base}/nowhere`,
      eventTypes: ['dev.scimflow.group.*'],
      secret: ownSecret,
    });
    used.push(ownSecret);
    expect(hook2.status).toBe(201);

    // the token endpoint: client_secret_basic, client_secret_post (the secret in a form body), and a wrong secret
    const basic = await call(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': FORM, authorization: `Basic ${Buffer.from(`${clientId}:${newSecret}`).toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    expect(basic.status).toBe(200);
    const post = await call(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: newSecret }).toString(),
    });
    expect(post.status).toBe(200);
    const wrong = await call(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
    });
    expect(wrong.status).toBe(401);
    const accessToken: string = basic.body.access_token;
    used.push(accessToken, post.body.access_token);

    // SCIM writes with a secret token and with an access token; the webhook delivery signs with the subscription's secret
    const scim = (p: string, init: RequestInit & { bearer?: string; query?: string } = {}) =>
      call(`${scimBaseUrl}${p}${init.query ?? ''}`, {
        ...init,
        headers: { 'content-type': 'application/scim+json', ...(init.bearer ? { authorization: `Bearer ${init.bearer}` } : {}), ...(init.headers as object) },
      });
    const created = await scim('/Users', {
      method: 'POST',
      bearer: token,
      body: JSON.stringify({ schemas: [USER], userName: 'logs@contoso.example', active: true }),
    });
    expect(created.status).toBe(201);
    expect((await scim(`/Users/${created.body.id}`, { bearer: accessToken })).status).toBe(200);
    expect((await scim('/Users', { bearer: second.body.token })).status).toBe(200);

    // refused: a valid token in the URL (with and without the header), in a form body, and the admin token in the URL
    const invalidRequest = expect.stringMatching(/^Bearer realm="scimflow", error="invalid_request", error_description="[^"]+"$/);
    for (const answer of [
      await scim('/Users', { query: `?access_token=${accessToken}` }),
      await scim('/Users', { bearer: token, query: `?filter=userName%20eq%20%22x%22&access_token=${token}` }),
      await scim('/Users/x', {
        method: 'DELETE',
        headers: { 'content-type': FORM },
        body: new URLSearchParams({ access_token: second.body.token }).toString(),
      }),
      await admin('GET', '/tenants', undefined, { query: `?access_token=${ADMIN_TOKEN}` }),
    ]) {
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toEqual(invalidRequest);
      expect(answer.body).toMatchObject({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '401',
        detail: expect.stringMatching(/only in the Authorization header/),
      });
    }
    // a SCIM write with a form body is refused for its content type before anything reads the body: 415, and not logged either
    const formWrite = await scim('/Users', {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: new URLSearchParams({ access_token: second.body.token }).toString(),
    });
    expect(formWrite.status).toBe(415);
    // other credential-looking parameters in URLs are not used for anything, and not logged either
    const odd = `odd_${randomBytes(24).toString('hex')}`;
    used.push(odd);
    expect((await scim('/Users', { bearer: token, query: `?client_secret=${odd}&code=${odd}&token=${odd}` })).status).toBe(200);
    expect(
      (await call(`${tokenUrl}?client_secret=${odd}`, { method: 'POST', headers: { 'content-type': FORM }, body: 'grant_type=client_credentials' })).status,
    ).toBe(401);

    const deadline = Date.now() + 30_000;
    while (receiver.eventsFor(created.body.id).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(receiver.eventsFor(created.body.id)).toHaveLength(1);

    // the apps flush their logs at exit
    await system.stopAll();
    const files = readdirSync(logDir).map((f) => path.join(logDir, f));
    expect(files.map((f) => path.basename(f)).sort()).toEqual(['ingress.log', 'notifier.log', 'reconciler.log']);
    const ingressLog = readFileSync(path.join(logDir, 'ingress.log'), 'utf8');
    // the search is meaningful: the refused request and its redacted URL are in the log
    expect(ingressLog).toMatch(/"url":"\/scim\/v2\/[^"]+\/Users\?access_token=\[redacted\]"[^\n]*"statusCode":401/);
    expect(ingressLog).toContain('"url":"/admin/tenants?access_token=[redacted]"');
    const found = files.flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      return needles(used)
        .filter((n) => text.includes(n))
        .map(
          (n) =>
            `${path.basename(f)}: ${n.slice(0, 12)}… in ${text
              .split('\n')
              .find((l) => l.includes(n))
              ?.slice(0, 300)}`,
        );
    });
    expect(found).toEqual([]);

    // nor to the request log (written by the ingress before it exits)
    const db = new DataSource(dataSourceOptions(process.env.DATABASE_URL!, { extra: { max: 1 } }));
    await db.initialize();
    try {
      const rows: { path: string; status: number }[] = await db.query(`SELECT * FROM scim_request_log WHERE tenant_id = $1`, [tenantId]);
      expect(rows).toContainEqual(expect.objectContaining({ path: `/scim/v2/${tenantId}/Users?access_token=[redacted]`, status: 401 }));
      expect(
        rows
          .filter((r) => r.path.startsWith(`/oauth/${tenantId}/token`))
          .map((r) => r.status)
          .sort(),
      ).toEqual([200, 200, 401, 401]);
      const stored = JSON.stringify(rows);
      expect(
        needles(used)
          .filter((n) => stored.includes(n))
          .map((n) => `${n.slice(0, 12)}…`),
      ).toEqual([]);
    } finally {
      await db.destroy();
    }
  }, 120_000);
});
