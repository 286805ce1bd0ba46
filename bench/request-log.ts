/**
 * What the SCIM request log costs per write (`BENCH_ONLY=request-log npm run bench`): the same closed loop of
 * Entra-shaped user PATCHes at concurrency 64, on fresh apps, database and topics, once with REQUEST_LOG_ENABLED=false
 * and once with true. Reported per run: CPU ms per write of the ingress (which captures, redacts and batches), the
 * reconciler and Postgres (machine-wide: it also inserts the log's batches), the rate and the latency; and the
 * differences, the log's cost, as a share of the run without it. The target is a few percent at most.
 */
import { createTenant, storesOn } from './tenants';
import { closedLoop, HttpTarget, LoadResult } from './load';
import { AppProcess, freePort, serviceCpuSeconds, systemEnv } from './processes';
import { openBenchState } from './cleanup';
import { createUsers } from './fairness';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const CONCURRENCY = 64;
const USERS = 500;
const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);

export interface RequestLogRun {
  requestLogEnabled: boolean;
  writes: LoadResult;
  cpuMsPerWrite: { ingress: number; reconciler: number; postgres: number; total: number };
  /** rows in scim_request_log after the run (0 when disabled): every write recorded, none dropped */
  logged: number;
}

async function requestLogRun(opts: { baseDb: string; brokers: string; writes: number; enabled: boolean }): Promise<RequestLogRun> {
  const run = `r${Date.now().toString(36)}`;
  const { databaseUrl, prefix, ds, drop } = await openBenchState(run, opts);
  const ports = { ingress: await freePort(), reconciler: await freePort(), notifier: await freePort() };
  const env = { ...systemEnv({ databaseUrl: databaseUrl, brokers: opts.brokers, prefix, ports, unlimited: true }), REQUEST_LOG_ENABLED: String(opts.enabled) };
  const apps = { reconciler: new AppProcess('reconciler', env), notifier: new AppProcess('notifier', env), ingress: new AppProcess('ingress', env) };
  let target: HttpTarget | undefined;
  try {
    const tenant = await createTenant(ds, 'bench-request-log');
    // the bench deactivates and deletes far beyond the default deprovisioning threshold, which would hold them
    await storesOn(ds).deprovisioningHolds.setThreshold(tenant.tenant.id, { maxUsers: null, maxPercent: null, windowSeconds: 3600 });
    for (const app of Object.values(apps)) await app.start(`http://127.0.0.1:${ports[app.name]}/healthz`);
    target = new HttpTarget(new URL(`http://127.0.0.1:${ports.ingress}/scim/v2/${tenant.tenant.id}`), { authorization: `Bearer ${tenant.token}` });
    const scim = target;
    const ids = await createUsers(scim, 'log', USERS);
    // warm-up, not measured: V8's compilation of the request path and of the log's
    let w = 0;
    await closedLoop(scim, () => (w < 500 ? entraPatch(ids[w % ids.length], w++) : undefined), 8);
    const cpu = () => ({ ingress: apps.ingress.cpuSeconds(), reconciler: apps.reconciler.cpuSeconds(), postgres: serviceCpuSeconds().postgres });
    const before = cpu();
    let k = 0;
    const writes = await closedLoop(scim, () => (k < opts.writes ? entraPatch(ids[k % ids.length], k++) : undefined), CONCURRENCY);
    // the last batch is written within 500 ms of its first entry: wait for it before reading the CPU
    await new Promise((r) => setTimeout(r, 1500));
    const after = cpu();
    const per = (key: keyof typeof before) => Math.round(((after[key] - before[key]) * 1e6) / writes.sent) / 1000;
    const cpuMsPerWrite = { ingress: per('ingress'), reconciler: per('reconciler'), postgres: per('postgres'), total: 0 };
    cpuMsPerWrite.total = Math.round((cpuMsPerWrite.ingress + cpuMsPerWrite.reconciler + cpuMsPerWrite.postgres) * 1000) / 1000;
    const logged = opts.enabled ? Number((await ds.query(`SELECT count(*)::int AS n FROM scim_request_log`))[0].n) : 0;
    return { requestLogEnabled: opts.enabled, writes, cpuMsPerWrite, logged };
  } finally {
    target?.close();
    for (const app of Object.values(apps)) await app.stop();
    await drop();
  }
}

/** The two runs, without the log first, and the log's cost per write: absolute (ms) and as a share of the run without it. */
export async function requestLogCost(opts: { baseDb: string; brokers: string; writes: number }) {
  const without = await requestLogRun({ ...opts, enabled: false });
  log(`request log off: ${JSON.stringify(without)}`);
  const withLog = await requestLogRun({ ...opts, enabled: true });
  log(`request log on: ${JSON.stringify(withLog)}`);
  const keys = ['ingress', 'reconciler', 'postgres', 'total'] as const;
  const costMsPerWrite = Object.fromEntries(keys.map((key) => [key, Math.round((withLog.cpuMsPerWrite[key] - without.cpuMsPerWrite[key]) * 1000) / 1000]));
  const pct = (a: number, b: number) => (b ? Math.round(((a - b) / b) * 1000) / 10 : null);
  return {
    writes: opts.writes,
    without,
    withLog,
    costMsPerWrite,
    /** percent more CPU per write with the log, over ingress + reconciler + Postgres */
    cpuCostPercent: pct(withLog.cpuMsPerWrite.total, without.cpuMsPerWrite.total),
    p50CostPercent: pct(withLog.writes.latencyMs.p50, without.writes.latencyMs.p50),
    p99CostPercent: pct(withLog.writes.latencyMs.p99, without.writes.latencyMs.p99),
  };
}

/** A deactivation as Entra sends it: capitalised op, the boolean as a string (so the log computes its notes too). */
function entraPatch(id: string, i: number) {
  return {
    method: 'PATCH',
    path: `/Users/${id}`,
    body: {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'active', value: i % 2 ? 'False' : 'True' },
        { op: 'Replace', path: 'title', value: `title-${i}` },
      ],
    },
    expect: [200],
  };
}
