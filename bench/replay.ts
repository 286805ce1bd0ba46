/**
 * Scenario 3 in isolation (`BENCH_ONLY=replay npm run bench`): the reconciler alone applying a backlog of commands.
 * The commands topic gets `commands` User commands as the ingress writes them (creates of distinct users, then
 * PATCHes of a quarter of them, so per-user order matters), then the reconciler starts and applies them. Measures
 * commands/s (start to the last processed_commands row), the reconciler's peak RSS, and checks what must hold at
 * any speed: every command applied once, every user at its last version.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { COMMAND_SCHEMA_VERSION, CommandAction, resourceKey, topicName, topicSpecs } from '@scimflow/contracts';
import { ensureTopics } from '@scimflow/messaging';
import { createTenant } from './tenants';
import { AppProcess, serviceCpuSeconds } from './processes';
import { openBenchState } from './cleanup';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);

export interface ReplayScenarioResult {
  commands: number;
  produceMs: number;
  durationMs: number;
  commandsPerSecond: number;
  /** first to last command applied (processed_at): the rate without the reconciler's start-up */
  applyingMs: number;
  applyingPerSecond: number;
  usersAtWrongVersion: number;
  peakRssMb: number;
  /** the reconciler's CPU time (user + system) per command, from its start-up done to the last command applied */
  cpuMsPerCommand: number;
  /** the same span's CPU per command of Postgres (all its processes) and the Kafka broker: machine-wide figures */
  serviceCpuMsPerCommand: { postgres: number; kafka: number };
}

/** A User command as the ingress writes it to the commands topic: keyed by tenant and user, a fresh command id. */
export function userCommandRecord(tenantId: string, userId: string, action: CommandAction, payload: unknown): { key: string; value: string } {
  const command = {
    v: COMMAND_SCHEMA_VERSION,
    commandId: randomUUID(),
    tenantId,
    resourceType: 'User',
    resourceId: userId,
    action,
    payload,
    issuedAt: new Date().toISOString(),
  };
  return { key: resourceKey(tenantId, userId), value: JSON.stringify(command) };
}

export async function replayScenario(opts: { baseDb: string; brokers: string; commands: number }): Promise<ReplayScenarioResult> {
  const run = `r${Date.now().toString(36)}`;
  const { databaseUrl, prefix, ds, drop } = await openBenchState(run, opts);
  const kafka = new Kafka({ brokers: opts.brokers.split(','), clientId: 'bench-replay', logLevel: logLevel.NOTHING });
  let reconciler: AppProcess | undefined;
  try {
    const tenantId = (await createTenant(ds, 'bench-replay')).tenant.id;
    await ensureTopics(kafka, topicSpecs(prefix));
    const users = Math.round(opts.commands * 0.8);
    const patched = opts.commands - users;
    const ids = Array.from({ length: users }, () => randomUUID());
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const t0 = performance.now();
    const command = (i: number) =>
      i < users
        ? userCommandRecord(tenantId, ids[i], 'create', {
            schemas: [USER],
            userName: `replay${i}@bench.example`,
            active: true,
            emails: [{ type: 'work', value: `replay${i}@bench.example` }],
          })
        : userCommandRecord(tenantId, ids[(i - users) % users], 'patch', {
            schemas: [PATCH_OP],
            Operations: [{ op: 'replace', path: 'displayName', value: `Patched ${i}` }],
          });
    for (let from = 0; from < opts.commands; from += 2000)
      await producer.send({
        topic: topicName('commands', prefix),
        messages: Array.from({ length: Math.min(2000, opts.commands - from) }, (_, j) => command(from + j)),
      });
    await producer.disconnect();
    const produceMs = Math.round(performance.now() - t0);
    log(`replay: ${opts.commands} commands (${users} creates, ${patched} patches) on the topic in ${produceMs} ms`);

    const port = 18091;
    reconciler = new AppProcess('reconciler', {
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: opts.brokers,
      KAFKA_TOPIC_PREFIX: prefix,
      RECONCILER_PORT: String(port),
    });
    const started = performance.now();
    await reconciler.start(`http://127.0.0.1:${port}/healthz`);
    const cpuAtStart = reconciler.cpuSeconds();
    const servicesAtStart = serviceCpuSeconds();
    for (;;) {
      const [{ c }] = await ds.query(`SELECT count(*)::int AS c FROM processed_commands`);
      if (c >= opts.commands) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const durationMs = Math.round(performance.now() - started);
    const perCommandMs = (seconds: number) => Math.round((seconds * 1000 * 1000) / opts.commands) / 1000;
    const cpuMsPerCommand = perCommandMs(reconciler.cpuSeconds() - cpuAtStart);
    const services = serviceCpuSeconds();
    const serviceCpuMsPerCommand = {
      postgres: perCommandMs(services.postgres - servicesAtStart.postgres),
      kafka: perCommandMs(services.kafka - servicesAtStart.kafka),
    };
    const [{ wrong }] = await ds.query(
      `SELECT count(*)::int AS wrong FROM scim_users WHERE tenant_id = $1 AND version <> CASE WHEN document ? 'displayName' THEN 2 ELSE 1 END`,
      [tenantId],
    );
    const [{ ms }] = await ds.query(`SELECT (extract(epoch FROM max(processed_at) - min(processed_at)) * 1000)::int AS ms FROM processed_commands`);
    return {
      commands: opts.commands,
      produceMs,
      durationMs,
      commandsPerSecond: Math.round((opts.commands / durationMs) * 1000),
      applyingMs: ms,
      applyingPerSecond: Math.round((opts.commands / Math.max(1, ms)) * 1000),
      usersAtWrongVersion: wrong,
      peakRssMb: reconciler.peakRssMb(),
      cpuMsPerCommand,
      serviceCpuMsPerCommand,
    };
  } finally {
    await reconciler?.stop();
    await drop();
  }
}
