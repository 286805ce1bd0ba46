/**
 * The events API (`BENCH_ONLY=events-api npm run bench`), on fresh apps, database and topics:
 * - reads per second of `GET /api/v1/events?limit=100` (full pages from cursors spread over the tenant's log), closed
 *   loop at concurrency 16, with the CPU per read of the ingress and Postgres;
 * - the lag from a write's commit to a long-polling consumer (`@scimflow/client`, wait=30s) receiving its event: the
 *   event's `time` (set by the reconciler in the applying transaction, just before it commits) to its arrival, p50/p99,
 *   for writes spread out in time (a consumer that is caught up, as a live one is).
 */
import { issueProductCredential } from '@scimflow/access';
import { createTenant, storesOn } from './tenants';
import { ScimflowEventsClient } from '../packages/client/src';
import { closedLoop, HttpTarget, LoadResult } from './load';
import { AppProcess, freePort, serviceCpuSeconds, systemEnv } from './processes';
import { openBenchState } from './cleanup';
import { createUsers } from './fairness';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const READ_CONCURRENCY = 16;
const PAGE = 100;
const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface EventsApiResult {
  eventsInLog: number;
  reads: LoadResult;
  readsPerSecond: number;
  eventsPerSecond: number;
  cpuMsPerRead: { ingress: number; postgres: number; total: number };
  lag: { writes: number; received: number; p50Ms: number; p99Ms: number; maxMs: number };
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function eventsApiScenario(opts: { baseDb: string; brokers: string; events: number; reads: number; lagWrites: number }): Promise<EventsApiResult> {
  const run = `e${Date.now().toString(36)}`;
  const { databaseUrl, prefix, ds, drop } = await openBenchState(run, opts);
  const ports = { ingress: await freePort(), reconciler: await freePort(), notifier: await freePort() };
  const env = systemEnv({ databaseUrl: databaseUrl, brokers: opts.brokers, prefix, ports, unlimited: true });
  const apps = { reconciler: new AppProcess('reconciler', env), notifier: new AppProcess('notifier', env), ingress: new AppProcess('ingress', env) };
  let scim: HttpTarget | undefined;
  let api: HttpTarget | undefined;
  const abort = new AbortController();
  try {
    const tenant = await createTenant(ds, 'bench-events-api');
    const { credential } = await storesOn(ds).productCredentials.create(tenant.tenant.id, await issueProductCredential(), 'bench');
    for (const app of Object.values(apps)) await app.start(`http://127.0.0.1:${ports[app.name]}/healthz`);
    const base = `http://127.0.0.1:${ports.ingress}`;
    scim = new HttpTarget(new URL(`${base}/scim/v2/${tenant.tenant.id}`), { authorization: `Bearer ${tenant.token}` });
    api = new HttpTarget(new URL(`${base}/api/v1`), { authorization: `Bearer ${credential}` });

    // the log: creates, then PATCHes until it holds `events` events
    const users = Math.max(10, Math.round(opts.events / 5));
    const ids = await createUsers(scim, 'ev', users);
    let k = 0;
    const s = scim;
    await closedLoop(
      s,
      () =>
        k < opts.events - users
          ? {
              method: 'PATCH',
              path: `/Users/${ids[k % ids.length]}`,
              body: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: `t${k++}` }] },
              expect: [200],
            }
          : undefined,
      32,
    );
    for (let i = 0; i < 600; i++) {
      if (Number((await ds.query(`SELECT count(*)::int AS n FROM outbox_events`))[0].n) === 0) break;
      await sleep(100);
    }
    const eventsInLog = Number((await ds.query(`SELECT count(*)::int AS n FROM tenant_events`))[0].n);
    log(`events API: ${eventsInLog} events in the log`);

    // cursors spread over the log, one per page
    const client = new ScimflowEventsClient({ baseUrl: base, credential });
    const cursors: string[] = [];
    for (let after: string | undefined; ;) {
      const page = await client.page({ after, limit: PAGE });
      cursors.push(after ?? '');
      after = page.cursor;
      if (!page.more) break;
    }
    const full = cursors.slice(0, Math.max(1, cursors.length - 1));
    const a = api;
    // warm-up, not measured
    let w = 0;
    await closedLoop(a, () => (w < 200 ? { method: 'GET', path: `/events?limit=${PAGE}&after=${full[w++ % full.length]}`, expect: [200] } : undefined), 4);
    const cpu = () => ({ ingress: apps.ingress.cpuSeconds(), postgres: serviceCpuSeconds().postgres });
    const before = cpu();
    let r = 0;
    const reads = await closedLoop(
      a,
      () => (r < opts.reads ? { method: 'GET', path: `/events?limit=${PAGE}&after=${full[r++ % full.length]}`, expect: [200] } : undefined),
      READ_CONCURRENCY,
    );
    const after = cpu();
    const per = (key: keyof typeof before) => Math.round(((after[key] - before[key]) * 1e6) / reads.sent) / 1000;
    const cpuMsPerRead = { ingress: per('ingress'), postgres: per('postgres'), total: 0 };
    cpuMsPerRead.total = Math.round((cpuMsPerRead.ingress + cpuMsPerRead.postgres) * 1000) / 1000;
    const readsPerSecond = Math.round(reads.throughput);
    log(`events API reads: ${JSON.stringify({ readsPerSecond, cpuMsPerRead, latencyMs: reads.latencyMs })}`);

    // commit-to-consumer lag: a caught-up long-polling consumer, writes spread out in time
    const head = cursors.length ? (await client.page({ after: cursors[cursors.length - 1] || undefined, limit: 1000 })).cursor : undefined;
    const lags: number[] = [];
    const marker = 'lag-';
    const stream = client.events({ after: head, waitSeconds: 30, signal: abort.signal });
    const consumer = (async () => {
      try {
        for await (const e of stream) {
          const title = (e.data as { user?: { title?: string } }).user?.title;
          if (title?.startsWith(marker)) lags.push(Date.now() - Date.parse(e.time));
        }
      } catch (e) {
        if (!abort.signal.aborted) throw e;
      }
    })();
    await sleep(500);
    for (let i = 0; i < opts.lagWrites; i++) {
      await s.send({
        method: 'PATCH',
        path: `/Users/${ids[i % ids.length]}`,
        body: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: `${marker}${i}` }] },
      });
      await sleep(50 + Math.random() * 100);
    }
    for (let i = 0; i < 100 && lags.length < opts.lagWrites; i++) await sleep(100);
    abort.abort();
    await consumer;
    const sorted = [...lags].sort((x, y) => x - y);
    const lag = {
      writes: opts.lagWrites,
      received: lags.length,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      maxMs: sorted[sorted.length - 1] ?? NaN,
    };
    log(`events API lag: ${JSON.stringify(lag)}`);
    return { eventsInLog, reads, readsPerSecond, eventsPerSecond: Math.round(readsPerSecond * PAGE), cpuMsPerRead, lag };
  } finally {
    abort.abort();
    scim?.close();
    api?.close();
    for (const app of Object.values(apps)) await app.stop();
    await drop();
  }
}
