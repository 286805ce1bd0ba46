import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Consumer, Kafka, logLevel, Producer } from 'kafkajs';
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { run as scimctl } from '../../apps/scimctl/src/main';
import { NotifierModule } from '../../apps/notifier/src/notifier.module';
import { topicName } from '../../libs/contracts/src';
import { dataSourceOptions, DeadLetters, DeliveryLog, WebhookSubscriptions } from '../../libs/persistence/src';
import { subscriptionSettings } from '../../libs/webhooks/src';
import { createTenant, storesOn } from '../../bench/tenants';
import { sample } from '../support/prometheus';

/**
 * Webhook delivery against real Kafka and Postgres: events are put on the change-event topic as the reconciler's
 * relay does (so keys and partitions can be chosen), two notifier instances share the work, and local HTTP
 * receivers play the product systems.
 */

const USER_TYPE = 'dev.scimflow.user.updated.v1';

// ---------------------------------------------------------------- a verifier written from the Standard Webhooks spec
/**
 * Spec: signed content `{webhook-id}.{webhook-timestamp}.{body}`; HMAC-SHA256 keyed with the base64-decoded part of
 * the secret after `whsec_`; header = space-separated `v1,<base64 signature>`; timestamps within 5 minutes.
 * Returns which of the header's signatures verify with this secret.
 */
function signaturesValidFor(secret: string, headers: http.IncomingHttpHeaders, rawBody: string): number[] {
  const id = String(headers['webhook-id']);
  const timestamp = String(headers['webhook-timestamp']);
  if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return [];
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${rawBody}`).digest();
  return String(headers['webhook-signature'] ?? '')
    .split(' ')
    .map((s, i) => ({ i, parts: s.split(',') }))
    .filter(({ parts }) => parts[0] === 'v1' && parts.length === 2)
    .filter(({ parts }) => {
      const given = Buffer.from(parts[1], 'base64');
      return given.length === expected.length && timingSafeEqual(given, expected);
    })
    .map(({ i }) => i);
}

// ---------------------------------------------------------------- a scriptable receiver
interface Request {
  headers: http.IncomingHttpHeaders;
  raw: string;
  event: { id: string; type: string; sequence: number; subject: string; data: { userId: string } };
  at: number;
  answered: number | 'hung';
}
type Answer = { status: number; headers?: Record<string, string>; body?: string; delayMs?: number } | 'hang';

class Receiver {
  /** every request, in arrival order, whatever was answered */
  readonly requests: Request[] = [];
  answer: (r: Request) => Answer = () => ({ status: 204 });
  private server?: http.Server;
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        const r: Request = { headers: req.headers, raw, event: JSON.parse(raw), at: Date.now(), answered: 'hung' };
        this.requests.push(r);
        const a = this.answer(r);
        if (a === 'hang') return void setTimeout(() => res.destroy(), 2000); // far beyond the notifier's timeout
        r.answered = a.status;
        setTimeout(() => res.writeHead(a.status, a.headers).end(a.body), a.delayMs ?? 0);
      });
    });
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }

  /** requests answered 2xx */
  get accepted(): Request[] {
    return this.requests.filter((r) => typeof r.answered === 'number' && r.answered >= 200 && r.answered < 300);
  }

  /**
   * The user's events in the order they were first accepted. An event accepted again is no error: a 2xx that reaches
   * the notifier after WEBHOOK_TIMEOUT_MS (300 ms here, easily missed on a busy machine) counts as a failed attempt
   * and is retried; receivers de-duplicate on webhook-id (docs/webhooks.md).
   */
  acceptedSequences(userId: string): number[] {
    const firsts = new Map<string, number>();
    for (const r of this.accepted) if (r.event.data.userId === userId && !firsts.has(r.event.id)) firsts.set(r.event.id, r.event.sequence);
    return [...firsts.values()];
  }

  async waitFor(what: string, predicate: () => boolean, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline)
        throw new Error(`receiver: ${what} not met within ${timeoutMs} ms (${this.requests.length} requests, ${this.accepted.length} accepted)`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

// ---------------------------------------------------------------- the system under test
const prefix = () => process.env.KAFKA_TOPIC_PREFIX!;
let db: DataSource;
let producer: Producer;
let subscriptions: WebhookSubscriptions;
const receivers: Receiver[] = [];

async function receiver(answer?: (r: Request) => Answer): Promise<Receiver> {
  const r = await new Receiver().start();
  if (answer) r.answer = answer;
  receivers.push(r);
  return r;
}

async function startNotifier(): Promise<INestApplication> {
  const app = await NestFactory.create(NotifierModule, { logger: ['error', 'warn'] });
  await app.listen(0, '127.0.0.1');
  return app;
}

/** A user change event as the reconciler publishes it (only the attributes delivery looks at are realistic). */
function userEvent(tenantId: string, userId: string, sequence: number) {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: '/scimflow/reconciler',
    type: USER_TYPE,
    subject: `tenants/${tenantId}/users/${userId}`,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    dataschema: 'https://scimflow.dev/schemas/events/user-changed/v1.json',
    tenantid: tenantId,
    sequence,
    data: { userId, userName: `${userId.slice(0, 8)}@contoso.example`, active: true, commandId: randomUUID(), changes: [], note: 'Zoë ✓' },
  };
}

/** Publishes events keyed `tenantId:userId`, in the given order (one request: one partition keeps it). */
async function publish(events: ReturnType<typeof userEvent>[], partition?: number, topic: 'userChanged' | 'membershipChanged' = 'userChanged'): Promise<void> {
  await producer.send({
    topic: topicName(topic, prefix()),
    acks: -1,
    messages: events.map((e) => ({ key: `${e.tenantid}:${e.data.userId}`, value: JSON.stringify(e), partition })),
  });
}

async function tenant(name: string): Promise<string> {
  return (await createTenant(db, name)).tenant.id;
}

async function cli(...argv: string[]): Promise<any[]> {
  const lines: string[] = [];
  await scimctl(argv, (l) => lines.push(l));
  return lines.map((l) => JSON.parse(l));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

beforeAll(async () => {
  Object.assign(process.env, {
    WEBHOOK_RETRY_BASE_MS: '50',
    WEBHOOK_RETRY_MAX_MS: '400',
    WEBHOOK_TIMEOUT_MS: '300',
    WEBHOOK_LEASE_MS: '5300',
    WEBHOOK_POLL_MS: '100',
    WEBHOOK_CONCURRENCY: '4',
    WEBHOOK_RETRY_HORIZON_MS: String(10 * 60_000),
    WEBHOOK_SECRETS_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
  db = new DataSource(dataSourceOptions(process.env.DATABASE_URL!, { extra: { max: 4 } }));
  await db.initialize();
  subscriptions = storesOn(db).webhookSubscriptions;
  producer = new Kafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'e2e-webhooks', logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await db?.destroy();
  await Promise.all(receivers.map((r) => r.stop()));
});

describe('webhook delivery with two notifier instances', () => {
  let notifiers: INestApplication[] = [];

  beforeAll(async () => {
    notifiers = [await startNotifier(), await startNotifier()];
  });
  afterAll(async () => {
    for (const n of notifiers) await n.close();
  });

  it('signs every request per Standard Webhooks, sends the event byte for byte with webhook-id = event id, and keeps secrets encrypted at rest', async () => {
    const r = await receiver();
    const tenantId = await tenant('signing');
    const { subscription, secret } = await subscriptions.create(tenantId, subscriptionSettings({ url: r.url }));
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const [stored] = await db.query(`SELECT secrets FROM webhook_subscriptions WHERE id = $1`, [subscription.id]);
    expect(stored.secrets).toHaveLength(1);
    expect(stored.secrets[0].value).toMatch(/^enc:v1:/);
    expect(JSON.stringify(stored)).not.toContain(secret.slice(6));

    const userId = randomUUID();
    const events = range(3).map((s) => userEvent(tenantId, userId, s));
    await publish(events);
    await r.waitFor('3 events', () => r.accepted.length >= 3);

    expect(r.accepted.map((q) => q.raw)).toEqual(events.map((e) => JSON.stringify(e)));
    for (const [i, q] of r.accepted.entries()) {
      expect(q.headers['webhook-id']).toBe(events[i].id);
      expect(q.headers['content-type']).toBe('application/cloudevents+json');
      expect(Math.abs(Number(q.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(30);
      expect(signaturesValidFor(secret, q.headers, q.raw)).toEqual([0]);
      expect(signaturesValidFor(secret, q.headers, q.raw.replace('Zoë', 'Zoe'))).toEqual([]); // the signature covers the body
    }
  });

  it('signs with both secrets while a rotation overlaps, each signature valid for its secret, then with the new one only', async () => {
    const r = await receiver();
    const tenantId = await tenant('rotation');
    const { subscription, secret: oldSecret } = await subscriptions.create(tenantId, subscriptionSettings({ url: r.url }));
    const userId = randomUUID();

    const [rotated] = await cli('subscription', 'rotate-secret', subscription.id, '--overlap', '1h');
    const newSecret: string = rotated.secret;
    expect(newSecret).not.toBe(oldSecret);
    expect(rotated.secrets).toEqual([
      { createdAt: expect.any(String), expiresAt: null },
      { createdAt: expect.any(String), expiresAt: expect.any(String) },
    ]);

    await publish([userEvent(tenantId, userId, 1)]);
    await r.waitFor('the event', () => r.accepted.length >= 1);
    const during = r.accepted[0];
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(signaturesValidFor(newSecret, during.headers, during.raw)).toEqual([0]); // newest first
    expect(signaturesValidFor(oldSecret, during.headers, during.raw)).toEqual([1]);

    // the operator can hand both to the receiver
    const [listed] = await cli('subscription', 'list', '--tenant', tenantId, '--reveal-secrets');
    expect(listed.secrets.map((s: { secret: string }) => s.secret)).toEqual([newSecret, oldSecret]);

    // ending the overlap: only the newest secret signs
    const [again] = await cli('subscription', 'rotate-secret', subscription.id, '--overlap', '0');
    await publish([userEvent(tenantId, userId, 2)]);
    await r.waitFor('the second event', () => r.accepted.length >= 2);
    const after = r.accepted[1];
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(signaturesValidFor(again.secret, after.headers, after.raw)).toEqual([0]);
    expect(signaturesValidFor(newSecret, after.headers, after.raw)).toEqual([]);
  });

  it('holds back only the failing user for only the failing subscription: the partition, other users and other subscriptions flow on', async () => {
    const tenantId = await tenant('ordering');
    const blocked = randomUUID();
    const other = randomUUID();
    let failBlocked = true;
    const failing = await receiver((q) => (failBlocked && q.event.data.userId === blocked ? { status: 500, body: 'not today' } : { status: 204 }));
    const healthy = await receiver();
    await subscriptions.create(tenantId, subscriptionSettings({ url: failing.url }));
    await subscriptions.create(tenantId, subscriptionSettings({ url: healthy.url }));

    // both users on the same partition, interleaved: a blocked partition would stop the other user too
    const events = range(5).flatMap((s) => [userEvent(tenantId, blocked, s), userEvent(tenantId, other, s)]);
    await publish(events, 0);

    await healthy.waitFor('both users', () => healthy.acceptedSequences(blocked).length === 5 && healthy.acceptedSequences(other).length === 5);
    await failing.waitFor('the other user', () => failing.acceptedSequences(other).length === 5);
    expect(healthy.acceptedSequences(blocked)).toEqual(range(5));
    expect(healthy.acceptedSequences(other)).toEqual(range(5));
    expect(failing.acceptedSequences(other)).toEqual(range(5));
    await failing.waitFor('several retries', () => failing.requests.filter((q) => q.event.data.userId === blocked).length >= 3);
    // held back: only the first event of the blocked user was ever tried
    expect(new Set(failing.requests.filter((q) => q.event.data.userId === blocked).map((q) => q.event.sequence))).toEqual(new Set([1]));

    failBlocked = false;
    await failing.waitFor('the blocked user, once it recovers', () => failing.acceptedSequences(blocked).length === 5);
    expect(failing.acceptedSequences(blocked)).toEqual(range(5));
  });

  it('honours Retry-After, and logs each attempt with status, latency and error', async () => {
    let first = true;
    const r = await receiver(() => {
      if (!first) return { status: 200, body: 'ok' };
      first = false;
      return { status: 503, headers: { 'retry-after': '2' }, body: 'busy, come back in 2 s' };
    });
    const tenantId = await tenant('retry-after');
    const { subscription } = await subscriptions.create(tenantId, subscriptionSettings({ url: r.url }));
    const event = userEvent(tenantId, randomUUID(), 1);
    await publish([event]);
    await r.waitFor('the retry', () => r.accepted.length === 1);
    expect(r.requests).toHaveLength(2);
    expect(r.requests[1].at - r.requests[0].at).toBeGreaterThanOrEqual(1900); // the backoff alone would be ~50 ms

    await waitUntil(async () => (await cli('deliveries', 'list', '--subscription', subscription.id)).length === 2);
    const log = await cli('deliveries', 'list', '--subscription', subscription.id);
    expect(log).toEqual([
      expect.objectContaining({ eventId: event.id, attempt: 2, status: 'delivered', httpStatus: 200, error: null, redrive: false }),
      expect.objectContaining({
        eventId: event.id,
        attempt: 1,
        status: 'failed',
        httpStatus: 503,
        error: 'HTTP 503',
        responseExcerpt: 'busy, come back in 2 s',
      }),
    ]);
    expect(log[1].latencyMs).toEqual(expect.any(Number));
    expect(await cli('deliveries', 'list', '--subscription', subscription.id, '--status', 'failed', '--since', '1h')).toEqual([log[1]]);
    expect(await new DeliveryLog(db).list({ subscriptionId: subscription.id, status: 'delivered' })).toEqual([log[0]]);
  });

  it("restores a user's order across the two topics that share its sequence (membership events, user events)", async () => {
    const r = await receiver();
    const tenantId = await tenant('two topics');
    await subscriptions.create(tenantId, subscriptionSettings({ url: r.url }));
    const userId = randomUUID();
    await publish([userEvent(tenantId, userId, 1)]);
    await r.waitFor('the first event', () => r.accepted.length === 1);

    // 3 comes first through scim.user-changed; 2, a membership change, a moment later through its own topic
    await publish([{ ...userEvent(tenantId, userId, 3), type: 'dev.scimflow.user.deactivated.v1' }]);
    await sleep(400);
    await publish([{ ...userEvent(tenantId, userId, 2), type: 'dev.scimflow.membership.added.v1' }], undefined, 'membershipChanged');
    await r.waitFor('all three', () => r.accepted.length === 3);
    expect(r.acceptedSequences(userId)).toEqual([1, 2, 3]);
    expect(r.accepted.map((q) => q.event.type)).toEqual([USER_TYPE, 'dev.scimflow.membership.added.v1', 'dev.scimflow.user.deactivated.v1']);
  });

  it('disables a subscription on 410 Gone; re-enabled, it delivers the event it held', async () => {
    let gone = true;
    const r = await receiver(() => (gone ? { status: 410 } : { status: 204 }));
    const tenantId = await tenant('gone');
    const { subscription } = await subscriptions.create(tenantId, subscriptionSettings({ url: r.url }));
    const userId = randomUUID();
    const held = userEvent(tenantId, userId, 1);
    await publish([held]);

    await waitUntil(async () => !(await subscriptions.get(subscription.id)).enabled);
    const disabled = await subscriptions.get(subscription.id);
    expect(disabled.disabledReason).toMatch(/410 Gone/);
    expect(r.requests).toHaveLength(1);

    // while disabled: nothing is sent, and new events are not queued for it
    await publish([userEvent(tenantId, userId, 2)]);
    await sleep(1500);
    expect(r.requests).toHaveLength(1);

    gone = false;
    const [enabled] = await cli('subscription', 'enable', subscription.id);
    expect(enabled).toMatchObject({ enabled: true, disabledReason: null });
    await r.waitFor('the held event', () => r.accepted.length === 1);
    expect(r.accepted[0].headers['webhook-id']).toBe(held.id);
    await sleep(500);
    expect(r.accepted).toHaveLength(1);
  });

  it('delivers each event exactly once in normal operation, with the work shared by both instances', async () => {
    const r = await receiver(() => ({ status: 204, delayMs: 10 }));
    const tenantId = await tenant('two instances');
    const { subscription } = await subscriptions.create(tenantId, subscriptionSettings({ url: r.url }));
    const users = range(20).map(() => randomUUID());
    for (const s of range(10)) await publish(users.map((u) => userEvent(tenantId, u, s)));

    await r.waitFor('200 events', () => r.accepted.length >= 200);
    await sleep(1000); // room for a duplicate to show up
    const ids = r.requests.map((q) => q.headers['webhook-id']);
    expect(ids).toHaveLength(200);
    expect(new Set(ids).size).toBe(200);
    for (const u of users) expect(r.acceptedSequences(u)).toEqual(range(10));
    const [{ instances }] = await db.query(`SELECT count(DISTINCT instance)::int AS instances FROM webhook_delivery_attempts WHERE subscription_id = $1`, [
      subscription.id,
    ]);
    expect(instances).toBe(2);
  });

  it('gets every one of 300 events to a receiver that fails 50% of requests and times out on 10%: in per-user order, correctly signed', async () => {
    const tenantId = await tenant('flaky');
    const r = await receiver(() => {
      const dice = Math.random();
      if (dice < 0.1) return 'hang';
      if (dice < 0.6) return { status: 500, body: 'flaky' };
      return { status: 200 };
    });
    const { secret } = await subscriptions.create(tenantId, subscriptionSettings({ url: r.url }));
    const users = range(30).map(() => randomUUID());
    for (const s of range(10)) await publish(users.map((u) => userEvent(tenantId, u, s)));

    await r.waitFor('all 300 events', () => new Set(r.accepted.map((q) => q.event.id)).size === 300, 120_000);
    for (const u of users) {
      expect(r.acceptedSequences(u)).toEqual(range(10));
      // no event was even tried before the one before it had been accepted
      const tried = r.requests.filter((q) => q.event.data.userId === u).map((q) => q.event.sequence);
      expect(tried).toEqual([...tried].sort((a, b) => a - b));
    }
    expect(r.requests.length).toBeGreaterThan(400); // the failures really happened
    expect(r.requests.some((q) => q.answered === 'hung')).toBe(true);
    for (const q of r.requests) expect(signaturesValidFor(secret, q.headers, q.raw)).toEqual([0]);
  });
});

describe('dead letters after the retry horizon', () => {
  let notifier: INestApplication;
  let dlqConsumer: Consumer;
  const deadLetterRecords: { key: string; value: any }[] = [];

  beforeAll(async () => {
    process.env.WEBHOOK_RETRY_HORIZON_MS = '2500';
    notifier = await startNotifier();
    dlqConsumer = new Kafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'e2e-dlq', logLevel: logLevel.NOTHING }).consumer({
      groupId: `${prefix()}e2e-dlq-reader`,
    });
    await dlqConsumer.connect();
    await dlqConsumer.subscribe({ topic: topicName('deadLetters', prefix()), fromBeginning: true });
    await dlqConsumer.run({
      eachMessage: async ({ message }) => void deadLetterRecords.push({ key: message.key!.toString(), value: JSON.parse(message.value!.toString()) }),
    });
  });
  afterAll(async () => {
    await dlqConsumer?.disconnect();
    await notifier?.close();
  });

  it("dead-letters an event the receiver refuses past the horizon (record + topic), lets the user's later events through, and redrives it once", async () => {
    let refuse = '';
    const r = await receiver((q) => (q.event.id === refuse ? { status: 500, body: `cannot take ${q.event.id}` } : { status: 204 }));
    const tenantId = await tenant('dead letters');
    const { subscription } = await subscriptions.create(tenantId, subscriptionSettings({ url: r.url }));
    const userId = randomUUID();
    const events = range(3).map((s) => userEvent(tenantId, userId, s));
    refuse = events[0].id;
    const queuedAt = Date.now();
    await publish(events);

    // after the horizon the first event is given up; the two behind it are delivered, in order
    await r.waitFor('the later events', () => r.acceptedSequences(userId).length === 2, 30_000);
    expect(r.acceptedSequences(userId)).toEqual([2, 3]);
    const lastRefusal = Math.max(...r.requests.filter((q) => q.event.id === refuse).map((q) => q.at));
    expect(lastRefusal - queuedAt).toBeGreaterThanOrEqual(2000);
    expect(r.accepted[0].at).toBeGreaterThanOrEqual(lastRefusal);

    const [letter] = await cli('dlq', 'list', '--subscription', subscription.id);
    expect(letter).toMatchObject({
      subscriptionId: subscription.id,
      tenantId,
      url: r.url,
      eventId: refuse,
      eventType: USER_TYPE,
      orderingKey: `${tenantId}:${userId}`,
      lastStatus: 500,
      lastError: 'HTTP 500',
      lastResponseExcerpt: `cannot take ${refuse}`,
      redrivenAt: null,
    });
    expect(letter.attempts).toBeGreaterThan(2);
    const [shown] = await cli('dlq', 'show', letter.id);
    expect(shown.event).toEqual(events[0]);

    // what Prometheus sees: the refusals, the one given up, and the DLQ's size
    const metrics = async () => (await fetch(`${(await notifier.getUrl()).replace('[::1]', '127.0.0.1')}/metrics`)).text();
    const before = await metrics();
    expect(sample(before, 'scimflow_webhook_attempts_total', { tenant: tenantId, result: 'dead_letter' })).toBe(1);
    expect(sample(before, 'scimflow_webhook_attempts_total', { tenant: tenantId, result: 'retry' })).toBe(letter.attempts - 1);
    expect(sample(before, 'scimflow_webhook_attempts_total', { tenant: tenantId, result: 'delivered' })).toBe(2);
    const dlqSize = sample(before, 'scimflow_webhook_dead_letters', {})!;
    expect(dlqSize).toBeGreaterThanOrEqual(1);

    await waitUntil(async () => deadLetterRecords.some((d) => d.value.eventId === refuse), 15_000);
    const record = deadLetterRecords.find((d) => d.value.eventId === refuse)!;
    expect(record.key).toBe(`${tenantId}:${userId}`);
    expect(record.value).toMatchObject({ v: 1, deadLetterId: letter.id, subscriptionId: subscription.id, lastStatus: 500, event: events[0] });

    // the receiver is fixed: redrive, and the event arrives once; running the redrive again changes nothing
    refuse = '';
    const [redriven] = await cli('dlq', 'redrive', letter.id);
    expect(redriven).toEqual({ redriven: [letter.id], skipped: [] });
    await r.waitFor('the redriven event', () => r.accepted.some((q) => q.event.id === events[0].id), 15_000);
    expect(sample(await metrics(), 'scimflow_webhook_dead_letters', {})).toBe(dlqSize - 1);
    expect(await new DeadLetters(db).redrive([letter.id])).toEqual({ redriven: [], skipped: [{ id: letter.id, reason: 'already redriven' }] });
    await sleep(1000);
    expect(r.accepted.filter((q) => q.event.id === events[0].id)).toHaveLength(1);
    expect(r.accepted.find((q) => q.event.id === events[0].id)!.headers['webhook-id']).toBe(events[0].id);

    expect(await cli('dlq', 'list', '--subscription', subscription.id)).toEqual([]);
    expect(await cli('dlq', 'list', '--subscription', subscription.id, '--all')).toEqual([
      expect.objectContaining({ id: letter.id, redrivenAt: expect.any(String) }),
    ]);
    const log = await cli('deliveries', 'list', '--subscription', subscription.id, '--event', events[0].id, '--status', 'delivered');
    expect(log).toEqual([expect.objectContaining({ attempt: 1, redrive: true })]);
  });

  it('manages subscriptions from scimctl: create with an event-type filter, disable, delete', async () => {
    const r = await receiver();
    const tenantId = await tenant('cli');
    const [created] = await cli('subscription', 'create', '--tenant', tenantId, '--url', r.url, '--event-type', 'dev.scimflow.group.*');
    expect(created).toMatchObject({ tenantId, url: r.url, eventTypes: ['dev.scimflow.group.*'], enabled: true, secret: expect.stringMatching(/^whsec_/) });
    await publish([userEvent(tenantId, randomUUID(), 1)]); // a user event: filtered out
    await sleep(1000);
    expect(r.requests).toHaveLength(0);

    const [disabled] = await cli('subscription', 'disable', created.id, '--reason', 'maintenance');
    expect(disabled).toMatchObject({ enabled: false, disabledReason: 'maintenance' });
    await expect(cli('subscription', 'create', '--tenant', tenantId, '--url', 'ftp://x')).rejects.toThrow(/must be http/);
    await expect(cli('subscription', 'create', '--tenant', randomUUID(), '--url', r.url)).rejects.toThrow(/tenant .* not found/);
    await expect(cli('subscription', 'create', '--tenant', tenantId, '--url', r.url, '--event-type', 'user created')).rejects.toThrow(/not an event type/);

    expect(await cli('subscription', 'delete', created.id)).toEqual([{ deleted: created.id }]);
    expect(await cli('subscription', 'list', '--tenant', tenantId)).toEqual([]);
    await expect(cli('subscription', 'delete', created.id)).rejects.toThrow(/not found/);
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(50);
  }
}
