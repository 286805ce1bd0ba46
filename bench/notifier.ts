/**
 * Scenario 4 in isolation (`BENCH_ONLY=notifier npm run bench`): the notifier alone, not paced by the reconciler.
 * A backlog of user-changed events is put on the topic as the reconciler's relay does (keys `tenant:user`,
 * several events per user with consecutive sequences, a `traceparent` header), then the notifier starts and
 * delivers them to a local keep-alive receiver. Measures deliveries/s (first to last delivery), the notifier's
 * peak RSS, and checks what must hold at any speed: every event arrives, per-user order, a traceparent each.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { resourceKey, topicName, topicSpecs, USER_CHANGED_DATASCHEMA, UserEventType } from '@scimflow/contracts';
import { ensureTopics } from '@scimflow/messaging';
import { createTenant } from './tenants';
import { AppProcess, serviceCpuSeconds } from './processes';
import { openBenchState } from './cleanup';

export interface NotifierScenarioResult {
  events: number;
  users: number;
  delivered: number;
  duplicates: number;
  outOfOrder: number;
  withoutTraceparent: number;
  durationMs: number;
  deliveriesPerSecond: number;
  peakRssMb: number;
  /** the notifier's CPU time (user + system) per delivery, from its start-up done to the last delivery */
  cpuMsPerDelivery: number;
  /** the same span's CPU per delivery of Postgres (all its processes), the Kafka broker (both machine-wide) and the
   * benchmark process, which is mostly the receiver */
  otherCpuMsPerDelivery: { postgres: number; kafka: number; receiver: number };
}

const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);

export async function notifierScenario(opts: {
  baseDb: string;
  brokers: string;
  events: number;
  eventsPerUser?: number;
  env?: Record<string, string>;
}): Promise<NotifierScenarioResult> {
  const run = `n${Date.now().toString(36)}`;
  const perUser = opts.eventsPerUser ?? 4;
  const users = Math.max(1, Math.ceil(opts.events / perUser));
  const { databaseUrl, prefix, ds, drop } = await openBenchState(run, opts);
  const kafka = new Kafka({ brokers: opts.brokers.split(','), clientId: 'bench-notifier', logLevel: logLevel.NOTHING });
  const receiver = await startOrderCheckingReceiver();
  let notifier: AppProcess | undefined;
  try {
    const tenant = await createTenant(ds, 'bench-notifier', [receiver.url]);
    const tenantId = tenant.tenant.id;
    await ensureTopics(kafka, topicSpecs(prefix));
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const userIds = Array.from({ length: users }, () => randomUUID());
    const traceId = randomUUID().replace(/-/g, '');
    let produced = 0;
    // Round after round (each user's next event), as a steady stream of changes interleaves users.
    for (let seq = 1; seq <= perUser && produced < opts.events; seq++) {
      const round = userIds.slice(0, Math.min(users, opts.events - produced));
      for (let i = 0; i < round.length; i += 2000) {
        await producer.send({
          topic: topicName('userChanged', prefix),
          messages: round.slice(i, i + 2000).map((userId) => ({
            key: resourceKey(tenantId, userId),
            value: JSON.stringify({
              specversion: '1.0',
              id: randomUUID(),
              source: `/scimflow/tenants/${tenantId}`,
              type: seq === 1 ? UserEventType.created : UserEventType.updated,
              subject: userId,
              time: new Date().toISOString(),
              datacontenttype: 'application/json',
              dataschema: USER_CHANGED_DATASCHEMA,
              tenantid: tenantId,
              sequence: seq,
              data: { userId, userName: `${userId}@bench.example`, active: true, commandId: randomUUID(), changes: [{ attribute: 'title', after: `t${seq}` }] },
            }),
            headers: {
              'content-type': 'application/json',
              'schema-version': '1',
              traceparent: `00-${traceId}-${randomUUID().slice(0, 8)}${randomUUID().slice(0, 8)}-01`,
            },
          })),
        });
      }
      produced += round.length;
    }
    await producer.disconnect();
    log(`notifier: ${produced} events of ${users} users on the topic; starting the notifier`);

    notifier = new AppProcess('notifier', {
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: opts.brokers,
      KAFKA_TOPIC_PREFIX: prefix,
      NOTIFIER_PORT: '18092',
      PUBLIC_BASE_URL: 'http://127.0.0.1:18090',
      ...opts.env,
    });
    await notifier.start('http://127.0.0.1:18092/healthz');
    const cpuAtStart = notifier.cpuSeconds();
    const servicesAtStart = serviceCpuSeconds();
    const receiverAtStart = process.cpuUsage();
    const deadline = Date.now() + 600_000;
    while (receiver.state.count < produced && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const cpuSeconds = notifier.cpuSeconds() - cpuAtStart;
    const services = serviceCpuSeconds();
    const receiverCpu = process.cpuUsage(receiverAtStart);
    // a moment more: a duplicate would show up now
    await new Promise((r) => setTimeout(r, 500));
    const s = receiver.state;
    const perDeliveryMs = (seconds: number) => (s.count ? Math.round((seconds * 1000 * 1000) / s.count) / 1000 : 0);
    const durationMs = s.last - s.first;
    return {
      events: produced,
      users,
      delivered: s.count,
      duplicates: s.duplicates,
      outOfOrder: s.outOfOrder,
      withoutTraceparent: s.withoutTraceparent,
      durationMs: Math.round(durationMs),
      deliveriesPerSecond: s.count > 1 ? Math.round((s.count / durationMs) * 1000) : 0,
      peakRssMb: notifier.peakRssMb(),
      cpuMsPerDelivery: perDeliveryMs(cpuSeconds),
      otherCpuMsPerDelivery: {
        postgres: perDeliveryMs(services.postgres - servicesAtStart.postgres),
        kafka: perDeliveryMs(services.kafka - servicesAtStart.kafka),
        receiver: perDeliveryMs((receiverCpu.user + receiverCpu.system) / 1e6),
      },
    };
  } finally {
    await notifier?.stop();
    await receiver.close();
    await drop();
  }
}

/** Counts deliveries, and checks each user's sequences arrive in order and each event once. */
async function startOrderCheckingReceiver() {
  const state = { count: 0, first: 0, last: 0, duplicates: 0, outOfOrder: 0, withoutTraceparent: 0 };
  const lastSeq = new Map<string, number>();
  const seen = new Set<string>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const now = performance.now();
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string; subject: string; sequence: number };
      if (seen.has(event.id)) state.duplicates++;
      else {
        seen.add(event.id);
        if (state.count === 0) state.first = now;
        state.count++;
        state.last = now;
        if ((lastSeq.get(event.subject) ?? 0) !== event.sequence - 1) state.outOfOrder++;
        lastSeq.set(event.subject, event.sequence);
      }
      if (!req.headers.traceparent) state.withoutTraceparent++;
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(18097, '127.0.0.1', r));
  return {
    url: 'http://127.0.0.1:18097/events',
    state,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
