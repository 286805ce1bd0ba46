/**
 * Tenants do not hurt each other (`BENCH_ONLY=fairness npm run bench`, and part of the full run): how much one
 * tenant's burst of commands that are slow to apply raises another tenant's write latency.
 *
 * Tenant Q (quiet) sends a steady open-loop stream of user PATCHes; latency is measured from each request's
 * scheduled send time. During the middle third of Q's stream, tenant N (noisy) sends, as fast as a few clients of its
 * own can, POST /Groups with thousands of members and PUTs of users with large documents: commands of a few hundred
 * KiB, larger than HEAVY_COMMAND_BYTES. Q's latency is reported before the burst, during it (until N's last answer:
 * an answer means its command was applied) and after it, with the ratio during ÷ before. The scenario runs on fresh
 * apps, database and topics each time, so it can be run with the reconciler's fairness rule off
 * (HEAVY_COMMAND_BYTES=0) and on (the default) in one invocation.
 */
import { randomUUID } from 'node:crypto';
import { createTenant } from './tenants';
import { closedLoop, HttpTarget, LoadResult, openLoop } from './load';
import { AppProcess, serviceCpuSeconds, systemEnv } from './processes';
import { openBenchState } from './cleanup';
import { latencyByWindow, Sample, slowdown, WindowLatency } from './windows';
import { groupWithMembers, largeUserDocument, memberSlice } from './noisy-tenant';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);

/** Shape of the burst: not scaled, since what makes a command heavy is its size, not how many there are. */
export const NOISY = {
  membersPerGroup: 5000,
  /** disjoint member sets in the pool: more than the group clients, so concurrent groups lock different users */
  memberSlices: 8,
  groupClients: 2,
  largeUserBytes: 200 * 1024,
  largeUsers: 16,
  largeUserClients: 2,
};
export const QUIET_RATE = 50;
const QUIET_USERS = 200;

export interface FairnessRun {
  /** HEAVY_COMMAND_BYTES the reconciler was started with ('default': not set) */
  heavyCommandBytes: string;
  quiet: {
    ratePerSecond: number;
    stream: LoadResult;
    windows: Record<'before' | 'during' | 'after', WindowLatency & { fromMs: number; toMs: number }>;
    /** Q's p50/p95/p99 during the burst ÷ before it */
    slowdown: { p50: number | null; p95: number | null; p99: number | null };
  };
  noisy: { groups: LoadResult & { membersPerGroup: number }; largeUsers: LoadResult & { documentBytes: number }; commandsPerSecond: number };
  /**
   * CPU ms per command (user + system) of the reconciler, ingress and Postgres: Q's alone before the burst, and N's
   * during it with Q's share (its rate before the burst) taken out. Machine-wide for Postgres.
   */
  cpuMsPerCommand: { quiet: Record<string, number>; noisy: Record<string, number> };
}

export async function fairnessScenario(opts: { baseDb: string; brokers: string; streamMs: number; heavyCommandBytes?: string }): Promise<FairnessRun> {
  const run = `f${Date.now().toString(36)}`;
  const { databaseUrl, prefix, ds, drop } = await openBenchState(run, opts);
  const ports = { ingress: 18180, reconciler: 18181, notifier: 18182 };
  const env = systemEnv({ databaseUrl: databaseUrl, brokers: opts.brokers, prefix, ports, unlimited: true });
  const apps = {
    reconciler: new AppProcess('reconciler', opts.heavyCommandBytes === undefined ? env : { ...env, HEAVY_COMMAND_BYTES: opts.heavyCommandBytes }),
    notifier: new AppProcess('notifier', env),
    ingress: new AppProcess('ingress', env),
  };
  const targets: HttpTarget[] = [];
  try {
    // No webhook endpoints: the notifier still reads every event, but the scenario measures the apply path.
    const [q, noisy] = [await createTenant(ds, 'bench-quiet'), await createTenant(ds, 'bench-noisy')];
    for (const app of Object.values(apps)) await app.start(`http://127.0.0.1:${ports[app.name]}/healthz`);
    const scim = (t: { tenant: { id: string }; token: string }) => {
      const target = new HttpTarget(new URL(`http://127.0.0.1:${ports.ingress}/scim/v2/${t.tenant.id}`), { authorization: `Bearer ${t.token}` });
      targets.push(target);
      return target;
    };
    const quiet = scim(q);
    const loud = scim(noisy);

    // Q's users, through the API; N's member pool, bulk-loaded (as lookupAtScale does); N's users to enlarge.
    const quietIds = await createUsers(quiet, 'quiet', QUIET_USERS);
    const pool: string[] = (
      await ds.query(
        `INSERT INTO scim_users (id, tenant_id, user_name, external_id, active, document, version, created_at, updated_at)
         SELECT gen_random_uuid(), $1, 'm' || g || '@noisy.example', 'm' || g, true,
                jsonb_build_object('schemas', jsonb_build_array($2::text), 'userName', 'm' || g || '@noisy.example', 'active', true), 1, now(), now()
         FROM generate_series(1, $3::int) AS g RETURNING id`,
        [noisy.tenant.id, USER, NOISY.membersPerGroup * NOISY.memberSlices],
      )
    ).map((r: { id: string }) => r.id);
    await ds.query('ANALYZE scim_users');
    const largeIds = await createUsers(loud, 'large', NOISY.largeUsers);
    // Warm-up, not measured: token verification, schemas, V8's compilation of both paths.
    let w = 0;
    await closedLoop(quiet, () => (w < 200 ? patch(quietIds[w % quietIds.length], w++) : undefined), 4);
    const warmGroup = await loud.send({ method: 'POST', path: '/Groups', body: groupWithMembers('warm-up', memberSlice(pool, 0, NOISY.membersPerGroup)) });
    const warmUser = await loud.send({ method: 'PUT', path: `/Users/${largeIds[0]}`, body: largeUserDocument('large0@noisy.example', NOISY.largeUserBytes) });
    if (warmGroup.status !== 201 || warmUser.status !== 200)
      throw new Error(
        `the noisy tenant's requests fail: POST /Groups ${warmGroup.status} ${warmGroup.body.slice(0, 300)}; PUT /Users ${warmUser.status} ${warmUser.body.slice(0, 300)}`,
      );

    const cpu = () => ({ reconciler: apps.reconciler.cpuSeconds(), ingress: apps.ingress.cpuSeconds(), postgres: serviceCpuSeconds().postgres });
    const samples: Sample[] = [];
    const third = opts.streamMs / 3;
    const t0 = performance.now();
    const marks = { cpu0: cpu(), cpuBurst: cpu(), cpuBurstEnd: cpu(), burstFrom: t0 + third, burstTo: t0 + 2 * third, answeredTo: 0, quietBeforeBurst: 0 };
    const stream = openLoop(
      quiet,
      (i) => patch(quietIds[i % quietIds.length], i),
      QUIET_RATE,
      opts.streamMs,
      (at, ms, ok) => samples.push({ at, ms, ok }),
    );
    const burst = (async () => {
      await new Promise((r) => setTimeout(r, third));
      marks.cpuBurst = cpu();
      marks.quietBeforeBurst = samples.length;
      let g = 1;
      let u = 0;
      const open = () => performance.now() < marks.burstTo;
      const [groups, largeUsers] = await Promise.all([
        closedLoop(
          loud,
          () =>
            open()
              ? { method: 'POST', path: '/Groups', body: groupWithMembers(`noisy-${g}`, memberSlice(pool, g++, NOISY.membersPerGroup)), expect: [201] }
              : undefined,
          NOISY.groupClients,
        ),
        closedLoop(
          loud,
          () => {
            if (!open()) return undefined;
            const k = u++ % largeIds.length;
            return {
              method: 'PUT',
              path: `/Users/${largeIds[k]}`,
              body: largeUserDocument(`large${k}@noisy.example`, NOISY.largeUserBytes - (u % 7) * 1024),
              expect: [200],
            };
          },
          NOISY.largeUserClients,
        ),
      ]);
      marks.answeredTo = performance.now();
      marks.cpuBurstEnd = cpu();
      return { groups, largeUsers };
    })();
    const [quietStream, noisyLoad] = await Promise.all([stream, burst]);
    const end = t0 + opts.streamMs;
    const byWindow = latencyByWindow(samples, [
      { name: 'before', from: t0, to: marks.burstFrom },
      { name: 'during', from: marks.burstFrom, to: marks.answeredTo },
      { name: 'after', from: marks.answeredTo, to: end },
    ]);
    const span = (name: string, from: number, to: number) => ({ ...byWindow[name], fromMs: Math.round(from - t0), toMs: Math.round(to - t0) });
    const windows = {
      before: span('before', t0, marks.burstFrom),
      during: span('during', marks.burstFrom, marks.answeredTo),
      after: span('after', marks.answeredTo, end),
    };
    const noisyCommands = noisyLoad.groups.sent + noisyLoad.largeUsers.sent;
    const burstMs = marks.answeredTo - marks.burstFrom;
    const per = (seconds: number, count: number) => (count > 0 ? Math.round((seconds * 1e6) / count) / 1000 : 0);
    const keys = Object.keys(marks.cpu0) as (keyof typeof marks.cpu0)[];
    const quietCpu = Object.fromEntries(keys.map((k) => [k, per(marks.cpuBurst[k] - marks.cpu0[k], marks.quietBeforeBurst)]));
    const noisyCpu = Object.fromEntries(
      keys.map((k) => {
        const quietShare = ((marks.cpuBurst[k] - marks.cpu0[k]) / third) * burstMs;
        return [k, per(Math.max(0, marks.cpuBurstEnd[k] - marks.cpuBurst[k] - quietShare), noisyCommands)];
      }),
    );
    return {
      heavyCommandBytes: opts.heavyCommandBytes ?? 'default',
      quiet: {
        ratePerSecond: QUIET_RATE,
        stream: quietStream,
        windows,
        slowdown: {
          p50: slowdown(windows.during.latencyMs.p50, windows.before.latencyMs.p50),
          p95: slowdown(windows.during.latencyMs.p95, windows.before.latencyMs.p95),
          p99: slowdown(windows.during.latencyMs.p99, windows.before.latencyMs.p99),
        },
      },
      noisy: {
        groups: { ...noisyLoad.groups, membersPerGroup: NOISY.membersPerGroup },
        largeUsers: { ...noisyLoad.largeUsers, documentBytes: NOISY.largeUserBytes },
        commandsPerSecond: Math.round((noisyCommands / burstMs) * 1000),
      },
      cpuMsPerCommand: { quiet: quietCpu, noisy: noisyCpu },
    };
  } finally {
    for (const t of targets) t.close();
    for (const app of Object.values(apps)) await app.stop();
    await drop();
  }
}

/** The scenario without and with the reconciler's fairness rule, one after the other. */
export async function fairnessComparison(opts: { baseDb: string; brokers: string; streamMs: number }) {
  const withoutFairness = await fairnessScenario({ ...opts, heavyCommandBytes: '0' });
  log(`fairness, HEAVY_COMMAND_BYTES=0: ${JSON.stringify(summary(withoutFairness))}`);
  const withFairness = await fairnessScenario(opts);
  log(`fairness, default HEAVY_COMMAND_BYTES: ${JSON.stringify(summary(withFairness))}`);
  return { streamMs: opts.streamMs, noisy: NOISY, withoutFairness, withFairness };
}

/** The lines a reader compares: Q's percentiles in each window, the slowdown, N's rate. */
export function summary(r: FairnessRun) {
  const w = r.quiet.windows;
  const pct = (x: WindowLatency) => `${x.latencyMs.p50}/${x.latencyMs.p95}/${x.latencyMs.p99} ms (${x.requests} req, ${x.errors} errors)`;
  return {
    heavyCommandBytes: r.heavyCommandBytes,
    quietBefore: pct(w.before),
    quietDuring: pct(w.during),
    quietAfter: pct(w.after),
    slowdown: r.quiet.slowdown,
    noisy: `${r.noisy.commandsPerSecond} commands/s; groups ${r.noisy.groups.sent} (${r.noisy.groups.errors} errors, p50 ${r.noisy.groups.latencyMs.p50} ms, p99 ${r.noisy.groups.latencyMs.p99} ms); large users ${r.noisy.largeUsers.sent} (${r.noisy.largeUsers.errors} errors, p50 ${r.noisy.largeUsers.latencyMs.p50} ms, p99 ${r.noisy.largeUsers.latencyMs.p99} ms)`,
    cpuMsPerCommand: r.cpuMsPerCommand,
  };
}

function patch(id: string, i: number) {
  return {
    method: 'PATCH',
    path: `/Users/${id}`,
    body: { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'title', value: `quiet-${i}` }] },
    expect: [200],
  };
}

export async function createUsers(target: HttpTarget, label: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  let i = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (i < count) {
        const k = i++;
        const res = await target.send({
          method: 'POST',
          path: '/Users',
          body: { schemas: [USER], userName: `${label}${k}-${randomUUID().slice(0, 8)}@bench.example`, active: true },
        });
        if (res.status !== 201) throw new Error(`creating the ${label} tenant's users: ${res.status} ${res.body.slice(0, 300)}`);
        ids.push(JSON.parse(res.body).id);
      }
    }),
  );
  return ids;
}
