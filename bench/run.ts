/**
 * npm run bench — scimflow against the hardware's limit, on this machine, with real Kafka and Postgres.
 * Writes bench/results/<time>.json and prints a summary with pass/fail against the targets.
 * BENCH_SCALE (default 1) scales every count down for a quick run, e.g. BENCH_SCALE=0.05.
 * BENCH_ONLY=notifier runs only the notifier, on a backlog of events produced directly (bench/notifier.ts);
 * BENCH_ONLY=replay only the reconciler, on a backlog of commands (bench/replay.ts);
 * BENCH_ONLY=lookup only the ingress, answering `userName eq` with 1,000,000 users stored;
 * BENCH_ONLY=fairness only the noisy-neighbour scenario (bench/fairness.ts), without and with the fairness rule;
 * BENCH_ONLY=entra-cycle an Entra provisioning job's initial and incremental cycles (bench/entra-cycle.ts) on fresh apps;
 * BENCH_ONLY=request-log what the SCIM request log costs per write: the same PATCH loop with it off, then on (bench/request-log.ts);
 * BENCH_ONLY=events-api the events API's reads per second and the lag from commit to a long-polling consumer (bench/events-api.ts).
 */
import 'reflect-metadata';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { DataSource } from 'typeorm';
import { groupMembers } from '@scimflow/scim';
import { topicName } from '@scimflow/contracts';
import { createTenant, storesOn } from './tenants';
import { closedLoop, HttpTarget, LoadResult, openLoop, percentiles } from './load';
import { notifierScenario } from './notifier';
import { replayScenario, userCommandRecord } from './replay';
import { AppProcess, freePort, serviceCpuSeconds, systemEnv } from './processes';
import { openBenchState } from './cleanup';
import { cpuCeiling, CpuCeiling, throughputLine } from './ceiling';
import { fairnessComparison, summary } from './fairness';
import { optionsFromEnv, publishReport, runEntraCycles } from './entra-cycle';
import { requestLogCost } from './request-log';
import { eventsApiScenario } from './events-api';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const n = (x: number) => Math.max(1, Math.round(x * SCALE));
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ROOT = path.resolve(__dirname, '../..');
/** Arrival rate of the `userName eq` latency run with 1,000,000 users stored. */
const LOOKUP_RATE = 100;

const TARGETS = {
  writesPerSecond: 3000,
  writeP99At500Ms: 50,
  lookupP99Ms: 5,
  replayPerSecond: 15000,
  deliveriesPerSecond: 5000,
  rssMb: 200,
  /** the quiet tenant's write p99 during a noisy tenant's burst, as a multiple of its p99 before the burst */
  quietP99DuringNoisyBurst: 3,
  /** extra CPU per write (ingress + reconciler + Postgres) with the request log on, in percent of the run without it */
  requestLogCpuCostPercent: 5,
  /** commit of a write to a long-polling events API consumer receiving its event, p99 */
  eventsApiLagP99Ms: 1000,
};
/** Length of the quiet tenant's stream in the fairness scenario (the burst is its middle third), per run. */
const FAIRNESS_STREAM_MS = Math.max(15_000, n(45_000));
const fairnessTarget = "quiet tenant's write p99 during a noisy tenant's burst, × its baseline p99";

interface Report {
  startedAt: string;
  scale: number;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string };
  baseline: Record<string, unknown>;
  scenarios: Record<string, unknown>;
  peakRssMb: Record<string, number>;
  verdicts: { target: string; value: number; limit: number; pass: boolean; ceiling?: CpuCeiling & { per: string } }[];
}

const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);
const CORES = os.cpus().length;
const verdictLine = (pass: boolean, target: string, value: number, limit: number) => `${pass ? 'PASS' : 'FAIL'}  ${target}: ${value} (target ${limit})`;

async function main() {
  const baseDb = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/scimflow';
  const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:19092';
  if (process.env.BENCH_ONLY === 'replay') {
    const result = await replayScenario({ baseDb, brokers, commands: n(200_000) });
    // the reconciler with the Postgres and Kafka work it causes: what a replayed command costs the machine
    const ceiling = cpuCeiling({ reconciler: result.cpuMsPerCommand, ...result.serviceCpuMsPerCommand }, CORES);
    console.log(`replay alone (scale ${SCALE}): ${JSON.stringify({ ...result, cpuCeiling: ceiling })}`);
    console.log(throughputLine('replay commands/s', result.commandsPerSecond, TARGETS.replayPerSecond, 'command', ceiling));
    console.log(verdictLine(result.peakRssMb <= TARGETS.rssMb, 'reconciler peak RSS MB', result.peakRssMb, TARGETS.rssMb));
    return;
  }
  if (process.env.BENCH_ONLY === 'fairness') {
    const result = await fairnessComparison({ baseDb, brokers, streamMs: FAIRNESS_STREAM_MS });
    console.log(`fairness (scale ${SCALE}): ${JSON.stringify(result)}`);
    for (const [label, r] of [
      ['HEAVY_COMMAND_BYTES=0', result.withoutFairness],
      ['default HEAVY_COMMAND_BYTES', result.withFairness],
    ] as const)
      console.log(`${label}: ${JSON.stringify(summary(r))}`);
    const ratio = result.withFairness.quiet.slowdown.p99;
    console.log(verdictLine(ratio !== null && ratio <= TARGETS.quietP99DuringNoisyBurst, fairnessTarget, ratio ?? NaN, TARGETS.quietP99DuringNoisyBurst));
    return;
  }
  if (process.env.BENCH_ONLY === 'request-log') {
    const result = await requestLogCost({ baseDb, brokers, writes: n(20000) });
    console.log(`request log cost (scale ${SCALE}): ${JSON.stringify(result)}`);
    const value = result.cpuCostPercent ?? NaN;
    console.log(
      verdictLine(
        value <= TARGETS.requestLogCpuCostPercent,
        'request log: extra CPU per write, % (ingress + reconciler + Postgres)',
        value,
        TARGETS.requestLogCpuCostPercent,
      ),
    );
    console.log(
      verdictLine(
        result.withLog.logged >= result.withLog.writes.sent,
        'request log: writes recorded (none dropped)',
        result.withLog.logged,
        result.withLog.writes.sent,
      ),
    );
    return;
  }
  if (process.env.BENCH_ONLY === 'events-api') {
    const result = await eventsApiScenario({ baseDb, brokers, events: n(20_000), reads: n(20_000), lagWrites: Math.max(50, n(500)) });
    console.log(`events API (scale ${SCALE}): ${JSON.stringify(result)}`);
    console.log(
      `events API: ${result.readsPerSecond} reads/s of limit=100 (${result.eventsPerSecond} events/s), CPU per read: ingress ${result.cpuMsPerRead.ingress} ms, Postgres ${result.cpuMsPerRead.postgres} ms; read p50 ${result.reads.latencyMs.p50} ms, p99 ${result.reads.latencyMs.p99} ms`,
    );
    console.log(
      `events API: commit to long-polling consumer p50 ${result.lag.p50Ms} ms, p99 ${result.lag.p99Ms} ms (${result.lag.received}/${result.lag.writes} events)`,
    );
    console.log(
      verdictLine(
        result.lag.p99Ms <= TARGETS.eventsApiLagP99Ms,
        'events API: commit to long-polling consumer p99 ms',
        result.lag.p99Ms,
        TARGETS.eventsApiLagP99Ms,
      ),
    );
    console.log(
      verdictLine(
        result.lag.received === result.lag.writes && result.reads.errors === 0,
        'events API: every read answered, every event received',
        result.lag.received,
        result.lag.writes,
      ),
    );
    return;
  }
  if (process.env.BENCH_ONLY === 'entra-cycle') {
    const ok = await entraCycleAlone(baseDb, brokers);
    if (!ok) process.exitCode = 1;
    return;
  }
  if (process.env.BENCH_ONLY === 'notifier') {
    const result = await notifierScenario({ baseDb, brokers, events: n(200_000) });
    // the receiver left out, as if it ran elsewhere: the most generous ceiling
    const { postgres, kafka } = result.otherCpuMsPerDelivery;
    const ceiling = cpuCeiling({ notifier: result.cpuMsPerDelivery, postgres, kafka }, CORES);
    console.log(`notifier alone (scale ${SCALE}): ${JSON.stringify({ ...result, cpuCeiling: ceiling })}`);
    console.log(throughputLine('notifier deliveries/s', result.deliveriesPerSecond, TARGETS.deliveriesPerSecond, 'delivery', ceiling));
    console.log(verdictLine(result.peakRssMb <= TARGETS.rssMb, 'notifier peak RSS MB', result.peakRssMb, TARGETS.rssMb));
    return;
  }
  if (process.env.BENCH_ONLY === 'lookup') {
    const result = await lookupAlone(baseDb, brokers);
    console.log(`lookup alone (scale ${SCALE}): ${JSON.stringify(result)}`);
    const floor = latencyFloor(await trivialHttpBaseline());
    console.log(
      `machine: a trivial Node HTTP server at ${LOOKUP_RATE} req/s answers p50 ${floor.p50} ms, p99 ${floor.p99} ms (lookup p99 ${ratio(result.latencyMs.p99, floor.p99)}× that)`,
    );
    for (const [target, value, limit, pass] of [
      [
        `userName eq p99 ms at ${LOOKUP_RATE} req/s with ${result.users} users`,
        result.latencyMs.p99,
        TARGETS.lookupP99Ms,
        result.latencyMs.p99 <= TARGETS.lookupP99Ms,
      ],
      ['ingress peak RSS MB', result.peakRssMb, TARGETS.rssMb, result.peakRssMb <= TARGETS.rssMb],
    ] as const)
      console.log(verdictLine(pass, target, value, limit));
    return;
  }
  const run = Date.now().toString(36);
  const report: Report = {
    startedAt: new Date().toISOString(),
    scale: SCALE,
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '?', memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    baseline: {},
    scenarios: {},
    peakRssMb: {},
    verdicts: [],
  };

  const { databaseUrl, prefix, ds, drop } = await openBenchState(run, { baseDb, brokers, poolSize: 4 });
  log(`database scimflow_bench_${run}, topic prefix ${prefix}`);

  // ---- the machine's own limits ----
  report.baseline.pgbenchInsertTps = pgbench(databaseUrl);
  report.baseline.nodeHttp = await trivialHttpBaseline();
  log(`baseline: pgbench ${report.baseline.pgbenchInsertTps} commits/s, node http ${(report.baseline.nodeHttp as { throughput: number }).throughput} req/s`);

  // ---- scimflow ----
  const receiver = await startReceiver();
  const tenant = await createTenant(ds, 'bench', [receiver.url]);
  // the bench deactivates and deletes far beyond the default deprovisioning threshold, which would hold them
  await storesOn(ds).deprovisioningHolds.setThreshold(tenant.tenant.id, { maxUsers: null, maxPercent: null, windowSeconds: 3600 });
  const ports = { ingress: 18080, reconciler: 18081, notifier: 18082 };
  const env = systemEnv({ databaseUrl: databaseUrl, brokers, prefix, ports, unlimited: true });
  const apps = {
    reconciler: new AppProcess('reconciler', env),
    notifier: new AppProcess('notifier', env),
    ingress: new AppProcess('ingress', env),
  };
  await apps.reconciler.start(`http://127.0.0.1:${ports.reconciler}/healthz`);
  await apps.notifier.start(`http://127.0.0.1:${ports.notifier}/healthz`);
  await apps.ingress.start(`http://127.0.0.1:${ports.ingress}/healthz`);
  const scim = new HttpTarget(new URL(`http://127.0.0.1:${ports.ingress}/scim/v2/${tenant.tenant.id}`), { authorization: `Bearer ${tenant.token}` });

  try {
    // 1. Entra's initial cycle
    const userIds: string[] = [];
    const cycleUsers = n(20000);
    let created = 0;
    const lookups: number[] = [];
    const writes: number[] = [];
    const cycleStart = performance.now();
    let errors = 0;
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (created < cycleUsers) {
          const i = created++;
          const userName = `user${i}@bench.example`;
          let t = performance.now();
          const q = await scim.send({ method: 'GET', path: `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}` });
          lookups.push(performance.now() - t);
          t = performance.now();
          const res = await scim.send({
            method: 'POST',
            path: '/Users',
            body: {
              schemas: [USER],
              userName,
              externalId: `ext-${i}`,
              active: true,
              name: { givenName: 'Bench', familyName: `User ${i}` },
              emails: [{ type: 'work', value: userName, primary: true }],
            },
          });
          writes.push(performance.now() - t);
          if (q.status !== 200 || res.status !== 201) errors++;
          else userIds.push(JSON.parse(res.body).id);
        }
      }),
    );
    const cycleMs = performance.now() - cycleStart;
    report.scenarios.entraInitialCycle = {
      users: cycleUsers,
      errors,
      durationMs: Math.round(cycleMs),
      writesPerSecond: Math.round((cycleUsers / cycleMs) * 1000),
      createLatencyMs: percentiles(writes),
      lookupLatencyMs: percentiles(lookups),
      groups: await groupsPhase(scim, userIds, n(500)),
    };
    log(`initial cycle: ${JSON.stringify(report.scenarios.entraInitialCycle)}`);

    // Each phase starts on a quiet system: the events of the last one delivered, so they do not share its CPU.
    report.scenarios.settledBeforeWritesMs = await settle(ds);
    // End-to-end write throughput at concurrency 64 (PATCH: the dominant write of steady state)
    let k = 0;
    const writeTotal = n(20000);
    // CPU per write of each process on the path (and the notifier delivering the writes' events beside it): which
    // stage a change made cheaper, steadier than the rate (see BENCHMARKS.md, session 5)
    const cpuOf = () => ({
      ingress: apps.ingress.cpuSeconds(),
      reconciler: apps.reconciler.cpuSeconds(),
      notifier: apps.notifier.cpuSeconds(),
      ...serviceCpuSeconds(),
    });
    const cpuBefore = cpuOf();
    const writes64 = await closedLoop(scim, () => (k < writeTotal ? patchRequest(userIds[k++ % userIds.length], k) : undefined), 64);
    const cpuAfter = cpuOf();
    const cpuMsPerWrite = Object.fromEntries(
      (Object.keys(cpuAfter) as (keyof typeof cpuAfter)[]).map((p) => [p, Math.round(((cpuAfter[p] - cpuBefore[p]) * 1e6) / writes64.sent) / 1000]),
    );
    report.scenarios.writesAtConcurrency64 = { ...writes64, cpuMsPerWrite };
    log(`writes @64: ${JSON.stringify(report.scenarios.writesAtConcurrency64)}`);

    // 2. Steady state mix at fixed arrival rates
    const steady: Record<string, unknown> = {};
    const createdInMix: string[] = [];
    for (const rate of [100, 500, 2000]) {
      steady[`settledBefore${rate}rpsMs`] = await settle(ds);
      const mix = (i: number) => {
        const r = (i * 7919) % 100;
        if (r < 70) return patchRequest(userIds[(i * 31) % userIds.length], i);
        if (r < 90) return { method: 'GET', path: `/Users?filter=${encodeURIComponent(`userName eq "user${(i * 13) % userIds.length}@bench.example"`)}` };
        if (r < 95 || createdInMix.length === 0)
          return { method: 'POST', path: '/Users', body: { schemas: [USER], userName: `mix-${rate}-${i}-${randomUUID()}@bench.example` }, expect: [201] };
        return { method: 'DELETE', path: `/Users/${createdInMix.pop()}`, expect: [204, 404] };
      };
      steady[`${rate}rps`] = await openLoop(scim, mix, rate, Math.max(3000, n(15000)));
      log(`steady ${rate}/s: ${JSON.stringify(steady[`${rate}rps`])}`);
    }
    report.scenarios.steadyState = steady;

    // userName lookups with 1,000,000 users stored (bulk-loaded into a second tenant: lookups are per tenant)
    report.scenarios.settledBeforeLookupsMs = await settle(ds);
    report.scenarios.lookupAtScale = await lookupAtScale(ds, n(1_000_000), brokers, ports.ingress);
    log(`lookup at scale: ${JSON.stringify(report.scenarios.lookupAtScale)}`);

    // 3 + 4. Replay a backlog of commands through a stopped-then-started reconciler; the notifier delivers their events
    await apps.reconciler.stop();
    const backlog = n(200_000);
    const produced = await produceBacklog(brokers, prefix, tenant.tenant.id, backlog);
    receiver.reset();
    const before = Number((await ds.query(`SELECT count(*)::int AS c FROM processed_commands`))[0].c);
    const replayStart = performance.now();
    await apps.reconciler.start(`http://127.0.0.1:${ports.reconciler}/healthz`);
    for (;;) {
      const done = Number((await ds.query(`SELECT count(*)::int AS c FROM processed_commands`))[0].c) - before;
      if (done >= backlog) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const replayMs = performance.now() - replayStart;
    const [{ ms }] = await ds.query(
      `SELECT (extract(epoch FROM max(processed_at) - min(processed_at)) * 1000)::int AS ms FROM (SELECT processed_at FROM processed_commands ORDER BY processed_at DESC LIMIT $1) last`,
      [backlog],
    );
    report.scenarios.replay = {
      commands: backlog,
      produceMs: produced,
      durationMs: Math.round(replayMs),
      commandsPerSecond: Math.round((backlog / replayMs) * 1000),
      // first to last command applied: the rate without the reconciler's start-up
      applyingPerSecond: Math.round((backlog / Math.max(1, ms)) * 1000),
    };
    log(`replay: ${JSON.stringify(report.scenarios.replay)}`);
    const deliveryDeadline = Date.now() + 600_000;
    while (receiver.count < backlog && Date.now() < deliveryDeadline) await new Promise((r) => setTimeout(r, 250));
    report.scenarios.notifier = {
      events: backlog,
      delivered: receiver.count,
      deliveriesPerSecond: receiver.count > 1 ? Math.round((receiver.count / (receiver.last - receiver.first)) * 1000) : 0,
    };
    log(`notifier: ${JSON.stringify(report.scenarios.notifier)}`);

    for (const [name, app] of Object.entries(apps)) report.peakRssMb[name] = app.peakRssMb();
  } finally {
    scim.close();
    for (const app of Object.values(apps)) await app.stop();
    await receiver.close();
    await drop();
  }
  // 5. Tenants do not hurt each other: on fresh apps (the reconciler started twice, without and with the rule)
  report.scenarios.fairness = await fairnessComparison({ baseDb, brokers, streamMs: FAIRNESS_STREAM_MS });

  const s = report.scenarios as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  const verdict = (target: string, value: number, limit: number, higherIsBetter: boolean, ceiling?: CpuCeiling & { per: string }) =>
    report.verdicts.push({ target, value, limit, pass: higherIsBetter ? value >= limit : value <= limit, ...(ceiling ? { ceiling } : {}) });
  const writesCeiling = cpuCeiling(s.writesAtConcurrency64.cpuMsPerWrite, CORES);
  verdict(
    'end-to-end writes/s at concurrency 64',
    s.writesAtConcurrency64.throughput,
    TARGETS.writesPerSecond,
    true,
    writesCeiling && { ...writesCeiling, per: 'write' },
  );
  verdict('write p99 ms at 500 req/s', s.steadyState['500rps'].latencyMs.p99, TARGETS.writeP99At500Ms, false);
  verdict(`userName eq p99 ms at ${LOOKUP_RATE} req/s with ${s.lookupAtScale.users} users`, s.lookupAtScale.latencyMs.p99, TARGETS.lookupP99Ms, false);
  verdict('replay commands/s', s.replay.commandsPerSecond, TARGETS.replayPerSecond, true);
  verdict('notifier deliveries/s', s.notifier.deliveriesPerSecond, TARGETS.deliveriesPerSecond, true);
  for (const [name, mb] of Object.entries(report.peakRssMb)) verdict(`${name} peak RSS MB`, mb, TARGETS.rssMb, false);
  // judged on the run with the reconciler's default HEAVY_COMMAND_BYTES; the run without the rule is the comparison
  verdict(fairnessTarget, s.fairness.withFairness.quiet.slowdown.p99 ?? Infinity, TARGETS.quietP99DuringNoisyBurst, false);
  const ratios = {
    writesVsPgbench: ratio(s.writesAtConcurrency64.throughput, report.baseline.pgbenchInsertTps as number),
    writesVsNodeHttp: ratio(s.writesAtConcurrency64.throughput, (report.baseline.nodeHttp as { throughput: number }).throughput),
    replayVsPgbench: ratio(s.replay.commandsPerSecond, report.baseline.pgbenchInsertTps as number),
    lookupP99VsNodeHttpP99: ratio(s.lookupAtScale.latencyMs.p99, latencyFloor(report.baseline.nodeHttp as TrivialHttpBaseline).p99),
  };
  (report as unknown as { ratios: unknown }).ratios = ratios;

  mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  const file = path.join(ROOT, `bench/results/${report.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  console.log(`\nscimflow benchmark (scale ${SCALE}, ${report.machine.cpus} cores) → ${path.relative(ROOT, file)}`);
  const nodeHttp = report.baseline.nodeHttp as TrivialHttpBaseline;
  const floor = latencyFloor(nodeHttp);
  console.log(
    `machine: pgbench single-row insert ${report.baseline.pgbenchInsertTps} commits/s; trivial node http ${nodeHttp.throughput} req/s, ` +
      `at ${LOOKUP_RATE} req/s p50 ${floor.p50} ms, p99 ${floor.p99} ms`,
  );
  console.log(`ratios: ${JSON.stringify(ratios)}`);
  for (const v of report.verdicts)
    console.log(v.ceiling ? throughputLine(v.target, v.value, v.limit, v.ceiling.per, v.ceiling) : verdictLine(v.pass, v.target, v.value, v.limit));
  console.log(
    `fairness: quiet tenant's p99 during the burst ÷ before it: ${s.fairness.withoutFairness.quiet.slowdown.p99} with HEAVY_COMMAND_BYTES=0, ${s.fairness.withFairness.quiet.slowdown.p99} with the default`,
  );
  console.log('CPU ceilings of replay and notifier: BENCH_ONLY=replay, BENCH_ONLY=notifier (each alone, so its CPU per unit is its own)');
}

const ratio = (a: number, b: number) => (b ? Math.round((a / b) * 100) / 100 : null);

function patchRequest(id: string, i: number) {
  return {
    method: 'PATCH',
    path: `/Users/${id}`,
    body: { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'title', value: `title-${i}` }] },
    expect: [200],
  };
}

/** Groups with memberships, when the Groups endpoint exists. */
async function groupsPhase(scim: HttpTarget, userIds: string[], groups: number) {
  const probe = await scim.send({ method: 'GET', path: '/Groups?count=1' });
  if (probe.status !== 200) return { skipped: `GET /Groups answered ${probe.status}` };
  let g = 0;
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (g < groups) {
        const i = g++;
        let t = performance.now();
        const res = await scim.send({
          method: 'POST',
          path: '/Groups',
          body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: `group-${i}` },
        });
        latencies.push(performance.now() - t);
        if (res.status !== 201) {
          errors++;
          continue;
        }
        const id = JSON.parse(res.body).id;
        const members = groupMembers(Array.from({ length: 40 }, (_, j) => userIds[(i * 40 + j) % userIds.length]));
        t = performance.now();
        const patch = await scim.send({
          method: 'PATCH',
          path: `/Groups/${id}`,
          body: { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'members', value: members }] },
        });
        latencies.push(performance.now() - t);
        if (patch.status >= 300) errors++;
      }
    }),
  );
  const ms = performance.now() - start;
  return {
    groups,
    membersPerGroup: 40,
    errors,
    durationMs: Math.round(ms),
    requestsPerSecond: Math.round(((groups * 2) / ms) * 1000),
    latencyMs: percentiles(latencies),
  };
}

async function lookupAtScale(ds: DataSource, users: number, _brokers: string, ingressPort: number, ratePhase?: (at: 'start' | 'end') => Promise<void>) {
  const tenant = await createTenant(ds, 'bench-lookup');
  const t0 = performance.now();
  const chunk = 100_000;
  for (let from = 0; from < users; from += chunk) {
    await ds.query(
      `INSERT INTO scim_users (id, tenant_id, user_name, external_id, active, document, version, created_at, updated_at)
       SELECT gen_random_uuid(), $1, 'u' || g || '@scale.example', 'x' || g, true,
              jsonb_build_object('schemas', jsonb_build_array($2::text), 'userName', 'u' || g || '@scale.example', 'active', true), 1, now(), now()
       FROM generate_series($3::int, $4::int) AS g`,
      [tenant.tenant.id, USER, from, Math.min(users, from + chunk) - 1],
    );
  }
  // What one does after a bulk load, so the measurement does not meet autovacuum or the checkpoint of the load's
  // WAL (a run without this stalled for ~0.6 s once): statistics and visibility map, then a checkpoint.
  await ds.query('VACUUM (ANALYZE) scim_users');
  await ds.query('CHECKPOINT').catch((e: Error) => log(`CHECKPOINT not run (${e.message}); the load's checkpoint may fall into the measurement`));
  const loadMs = performance.now() - t0;
  const target = new HttpTarget(new URL(`http://127.0.0.1:${ingressPort}/scim/v2/${tenant.tenant.id}`), { authorization: `Bearer ${tenant.token}` }, 16);
  const lookup = (i: number) => ({
    method: 'GET',
    path: `/Users?filter=${encodeURIComponent(`userName eq "U${(i * 7919) % users}@SCALE.example"`)}`,
    expect: [200],
  });
  // Warm-up, not measured: the tenant's first request verifies its token (scrypt) and loads its schemas, and V8
  // has not compiled the hot path yet.
  let w = 0;
  await closedLoop(target, () => (w++ < 200 ? lookup(w) : undefined), 4);
  // Latency at a fixed arrival rate (open loop, like the write p99 at 500 req/s): 100 lookups/s is more than one
  // Entra tenant sends (one before each create). The target is judged on this run.
  await ratePhase?.('start');
  const atRate = await openLoop(target, lookup, LOOKUP_RATE, Math.max(5000, n(20000)));
  await ratePhase?.('end');
  // Throughput: 8 clients back to back; their latency is mostly the queue of the other 7.
  let i = 0;
  const total = n(5000) < 2000 ? 2000 : n(5000);
  const saturated = await closedLoop(target, () => (i++ < total ? lookup(i) : undefined), 8);
  target.close();
  return { users, loadMs: Math.round(loadMs), ratePerSecond: LOOKUP_RATE, ...atRate, saturatedAtConcurrency8: saturated };
}

/**
 * Waits until what earlier phases left behind is done: the outbox published and every queued webhook delivery
 * delivered (at most 5 minutes). Returns how long that took.
 */
async function settle(ds: DataSource): Promise<number> {
  const t0 = performance.now();
  const deadline = Date.now() + 300_000;
  for (;;) {
    const [{ outbox, pending }] = await ds.query(
      `SELECT (SELECT count(*) FROM outbox_events)::int AS outbox, (SELECT count(*) FROM webhook_deliveries WHERE status = 'pending')::int AS pending`,
    );
    if ((outbox === 0 && pending === 0) || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const ms = Math.round(performance.now() - t0);
  log(`settled in ${ms} ms`);
  return ms;
}

/**
 * The Entra provisioning job (bench/entra-cycle.ts) against the three apps on a fresh database and topic prefix,
 * on free ports, with the system's default rate limit (as `npm run up` runs). ENTRA_SCALE, or else BENCH_SCALE,
 * scales it. Prints the job's report; true when it passed.
 */
async function entraCycleAlone(baseDb: string, brokers: string): Promise<boolean> {
  const run = `e${Date.now().toString(36)}`;
  const { databaseUrl, prefix, drop } = await openBenchState(run, { baseDb, brokers });
  const ports = { ingress: await freePort(), reconciler: await freePort(), notifier: await freePort() };
  const adminToken = randomBytes(32).toString('base64url');
  const env = { ...systemEnv({ databaseUrl: databaseUrl, brokers, prefix, ports, unlimited: false }), ADMIN_TOKEN: adminToken };
  const apps = [new AppProcess('reconciler', env), new AppProcess('notifier', env), new AppProcess('ingress', env)];
  try {
    for (const app of apps) await app.start(`http://127.0.0.1:${ports[app.name]}/healthz`);
    process.env.ENTRA_SCALE ??= String(SCALE);
    const report = await runEntraCycles(optionsFromEnv({ baseUrl: `http://127.0.0.1:${ports.ingress}`, adminToken }));
    publishReport(report);
    return report.ok;
  } finally {
    for (const app of apps) await app.stop();
    await drop();
  }
}

/** The lookup scenario with the ingress alone (a fresh database and topic prefix, dropped afterwards). */
async function lookupAlone(baseDb: string, brokers: string) {
  const run = Date.now().toString(36);
  const { databaseUrl, prefix, ds, drop } = await openBenchState(run, { baseDb, brokers, poolSize: 4 });
  const port = 18080;
  const ingress = new AppProcess(
    'ingress',
    systemEnv({ databaseUrl: databaseUrl, brokers, prefix, ports: { ingress: port, reconciler: 18081, notifier: 18082 }, unlimited: true }),
  );
  try {
    await ingress.start(`http://127.0.0.1:${port}/healthz`);
    // The ingress's own view of the lookups at the fixed rate (from receiving the request to finishing the
    // response): what share it answered within each bucket, to tell its time from the client's and the scheduler's.
    const counts = async () => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return new Map(
        [...text.matchAll(/^scimflow_http_request_duration_seconds_bucket\{([^}]*)\} (\d+)$/gm)]
          .filter(([, labels]) => labels.includes('method="GET"') && labels.includes('route="/scim/v2/:tenantId/Users"') && labels.includes('status="200"'))
          .map(([, labels, count]) => [/le="([^"]+)"/.exec(labels)![1], Number(count)] as const),
      );
    };
    const seen: Record<'start' | 'end', Map<string, number>> = { start: new Map(), end: new Map() };
    const result = await lookupAtScale(ds, n(1_000_000), brokers, port, async (at) => void (seen[at] = await counts()));
    const within = (le: string) => (seen.end.get(le) ?? 0) - (seen.start.get(le) ?? 0);
    const total = within('+Inf');
    const serverSide = Object.fromEntries(
      [...seen.end.keys()].filter((le) => le !== '+Inf').map((le) => [`<=${Number(le) * 1000}ms`, total ? Math.round((within(le) / total) * 10000) / 100 : 0]),
    );
    return { ...result, serverSidePercentWithin: serverSide, peakRssMb: ingress.peakRssMb() };
  } finally {
    await ingress.stop();
    await drop();
  }
}

async function produceBacklog(brokers: string, prefix: string, tenantId: string, count: number): Promise<number> {
  const kafka = new Kafka({ brokers: brokers.split(','), clientId: 'bench', logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const t0 = performance.now();
  const batch = 2000;
  for (let from = 0; from < count; from += batch) {
    const messages = Array.from({ length: Math.min(batch, count - from) }, (_, j) =>
      userCommandRecord(tenantId, randomUUID(), 'create', { schemas: [USER], userName: `replay${from + j}@bench.example`, active: true }),
    );
    await producer.send({ topic: topicName('commands', prefix), messages });
  }
  await producer.disconnect();
  return Math.round(performance.now() - t0);
}

function pgbench(databaseUrl: string): number | null {
  try {
    const url = new URL(databaseUrl);
    const conn = ['-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username || 'postgres'), url.pathname.slice(1)];
    execFileSync('psql', [...conn, '-qc', 'CREATE TABLE IF NOT EXISTS bench_insert (id bigserial primary key, v text)'], { stdio: 'ignore' });
    const script = path.join(os.tmpdir(), `scimflow-pgbench-${process.pid}.sql`);
    writeFileSync(script, "INSERT INTO bench_insert (v) VALUES ('x');\n");
    const out = execFileSync('pgbench', ['-n', '-c', '16', '-j', '2', '-T', '10', '-f', script, ...conn], { encoding: 'utf8' });
    return Math.round(Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? 0));
  } catch (e) {
    log(`pgbench unavailable: ${(e as Error).message.split('\n')[0]}`);
    return null;
  }
}

/** What `trivialHttpBaseline` reports: a closed loop's result, and under `latencyAt<rate>rpsMs` the floor. */
type TrivialHttpBaseline = LoadResult & Record<`latencyAt${number}rpsMs`, LoadResult['latencyMs']>;
const latencyFloor = (baseline: TrivialHttpBaseline) => baseline[`latencyAt${LOOKUP_RATE}rpsMs`];

/**
 * The same load generator against a Node server that does nothing: the ceiling for any Node HTTP service here
 * (64 connections back to back), and the floor for a request's latency at the lookups' fixed rate: at 100 req/s
 * each request wakes an idle process, which on this virtual machine alone costs under a millisecond at p50 and
 * 2–7 ms at p99 (BENCHMARKS.md, "Session 6").
 */
async function trivialHttpBaseline(): Promise<TrivialHttpBaseline> {
  const child = spawn(process.execPath, [
    '-e',
    "require('http').createServer((q,s)=>{s.setHeader('content-type','application/json');s.end('{}')}).listen(18099,'127.0.0.1')",
  ]);
  await new Promise((r) => setTimeout(r, 500));
  const target = new HttpTarget(new URL('http://127.0.0.1:18099/'), {});
  let i = 0;
  const result = await closedLoop(target, () => (i++ < 50_000 ? { method: 'GET', path: '/' } : undefined), 64);
  const atLookupRate = await openLoop(target, () => ({ method: 'GET', path: '/' }), LOOKUP_RATE, 10_000);
  target.close();
  child.kill();
  return { ...result, [`latencyAt${LOOKUP_RATE}rpsMs`]: atLookupRate.latencyMs };
}

async function startReceiver() {
  const state = { count: 0, first: 0, last: 0 };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const now = performance.now();
      if (state.count === 0) state.first = now;
      state.count++;
      state.last = now;
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(18098, '127.0.0.1', r));
  return {
    url: 'http://127.0.0.1:18098/events',
    get count() {
      return state.count;
    },
    get first() {
      return state.first;
    },
    get last() {
      return state.last;
    },
    reset() {
      state.count = 0;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
