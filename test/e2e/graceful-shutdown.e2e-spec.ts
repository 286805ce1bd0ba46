import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { DataSource } from 'typeorm';
import { AppProcess } from '../../bench/processes';
import { topicName } from '../../libs/contracts/src';
import { dataSourceOptions } from '../../libs/persistence/src';
import { createTenant } from '../../bench/tenants';
import { processEnv, ProcessSystem } from '../support/process-system';
import { PATCH_OP, ScimClient } from '../support/scim-client';
import { expectedState, runWorkload, withoutDeprovisioningThreshold } from '../support/workload';

/**
 * SIGTERM, as Kubernetes sends it on every rollout, to real processes:
 * the ingress answers every request it accepted, refuses new connections and exits 0;
 * the reconciler stops mid-stream without leaving anything half-applied, and after its restart the state
 * equals the acknowledged writes, with exactly one event per change.
 */
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const env = () => ({
  ...processEnv('shutdown'),
  LOG_LEVEL: 'log', // the apps' default: a line per request, written in chunks (flushed at exit)
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How the process ended, from the line AppProcess logs when it exits. */
async function exitOf(app: AppProcess, withinMs: number): Promise<string> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const line = app.log.find((l) => l.includes(`[${app.name} exited:`));
    if (line) return line.trim();
    if (Date.now() > deadline) return 'still running';
    await sleep(50);
  }
}

/** The sequences of each user's events on the user-changed topic, read from the beginning until `expected` arrived (and a little longer, to catch duplicates). */
async function userEventSequences(prefix: string, tenantId: string, expected: number): Promise<Map<string, number[]>> {
  const kafka = new Kafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'shutdown-e2e', logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `${prefix}shutdown-e2e-${randomUUID()}`, maxWaitTimeInMs: 100 });
  const perUser = new Map<string, number[]>();
  let count = 0;
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: topicName('userChanged', prefix), fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const event = JSON.parse(message.value!.toString()) as { tenantid: string; sequence: number; data: { userId: string } };
        if (event.tenantid !== tenantId) return;
        count++;
        perUser.set(event.data.userId, [...(perUser.get(event.data.userId) ?? []), event.sequence]);
      },
    });
    const deadline = Date.now() + 30_000;
    while (count < expected && Date.now() < deadline) await sleep(100);
    await sleep(1000);
  } finally {
    await consumer.disconnect();
  }
  for (const seqs of perUser.values()) seqs.sort((a, b) => a - b);
  return perUser;
}

function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });
}

describe('graceful shutdown on SIGTERM', () => {
  let system: ProcessSystem;
  let db: DataSource;

  beforeAll(async () => {
    system = await ProcessSystem.create(env());
    await system.start('reconciler');
    await system.start('ingress');
    db = new DataSource(dataSourceOptions(process.env.DATABASE_URL!, { extra: { max: 2 } }));
    await db.initialize();
  });
  afterAll(async () => {
    await system?.stopAll();
    await db?.destroy();
  });

  it('ingress: every request in flight is answered, new connections are refused, the process exits 0', async () => {
    const tenant = await createTenant(db, 'shutdown ingress');
    const scim = new ScimClient(`${system.baseUrl}/scim/v2/${tenant.tenant.id}`, tenant.token);
    const ids: string[] = [];
    for (let i = 0; i < 16; i++) {
      const res = await scim.post('/Users', { schemas: [USER], userName: `drain${i}@shutdown.example`, title: 'before' });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    const ingress = system.apps.ingress;
    const reconciler = system.apps.reconciler;
    // Park the writes in the ingress: with the reconciler paused none is answered before the SIGTERM.
    process.kill(reconciler.pid!, 'SIGSTOP');
    let answers: { status: number; body: { title?: string } }[];
    try {
      const inFlight = Promise.all(
        ids.map((id) => scim.patch(`/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'title', value: 'after' }] })),
      );
      await sleep(1000); // received and published
      process.kill(ingress.pid!, 'SIGTERM');
      await sleep(300);
      expect(await connectionRefused(system.ports.ingress)).toBe(true);
      expect(await exitOf(ingress, 0)).toBe('still running'); // waiting for the answers
      process.kill(reconciler.pid!, 'SIGCONT');
      answers = await inFlight;
    } finally {
      process.kill(reconciler.pid!, 'SIGCONT');
    }
    expect(answers.map((a) => [a.status, a.body.title])).toEqual(ids.map(() => [200, 'after']));
    expect(await exitOf(ingress, 10_000)).toBe('[ingress exited: code 0, signal null]');
    // the log lines of the drain, down to the last answer, were written before the process ended
    const log = ingress.log.join('');
    expect(log).toMatch(/"msg":"SIGTERM: draining \d+ request\(s\) in flight, then shutting down"/);
    expect(log.match(/"method":"PATCH"[^\n]*"statusCode":200/g)).toHaveLength(16);
    const rows: { title: string }[] = await db.query(`SELECT document->>'title' AS title FROM scim_users WHERE tenant_id = $1`, [tenant.tenant.id]);
    expect(rows.map((r) => r.title)).toEqual(ids.map(() => 'after'));
  }, 60_000);

  it('reconciler: stops mid-stream with nothing half-applied; after restart the state equals the acknowledged writes, one event per change', async () => {
    await system.start('ingress');
    const tenant = await createTenant(db, 'shutdown reconciler');
    await withoutDeprovisioningThreshold(db, tenant.tenant.id);
    const scim = new ScimClient(`${system.baseUrl}/scim/v2/${tenant.tenant.id}`, tenant.token);
    const opts = { users: 24, opsPerUser: 20, concurrency: 24, tag: 'sigterm' };
    const reconciler = system.apps.reconciler;
    let exit = '';
    const restarter = (async () => {
      await sleep(1500); // writes are streaming
      process.kill(reconciler.pid!, 'SIGTERM');
      exit = await exitOf(reconciler, 20_000);
      await system.start('reconciler');
    })();
    const stats = await runWorkload(scim, opts);
    await restarter;
    expect(exit).toBe('[reconciler exited: code 0, signal null]');
    expect(stats.otherErrors).toEqual([]);
    expect(stats.acknowledged).toBe(opts.users * opts.opsPerUser);

    const rows: { user_name: string; title: string; active: boolean; version: number }[] = await db.query(
      `SELECT user_name, document->>'title' AS title, active, version FROM scim_users WHERE tenant_id = $1`,
      [tenant.tenant.id],
    );
    const actual = new Map(rows.map((r) => [r.user_name, { title: r.title, active: r.active, version: r.version }]));
    const expected = expectedState(opts);
    for (const [userName, want] of expected) expect([userName, actual.get(userName)]).toEqual([userName, want === 'deleted' ? undefined : want]);
    expect(actual.size).toBe([...expected.values()].filter((v) => v !== 'deleted').length);

    // one event per applied change, as the events topic holds them: per user the sequences 1..N, none twice
    const perUser = await userEventSequences(env().KAFKA_TOPIC_PREFIX, tenant.tenant.id, opts.users * opts.opsPerUser);
    expect(perUser.size).toBe(opts.users);
    for (const [, seqs] of perUser) expect(seqs).toEqual(Array.from({ length: opts.opsPerUser }, (_, i) => i + 1));
  }, 90_000);
});
