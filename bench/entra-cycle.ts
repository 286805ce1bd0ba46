/**
 * npm run entra-cycle — a replayable Entra provisioning job against a running scimflow (`npm run up`), or, with
 * `BENCH_ONLY=entra-cycle npm run bench`, against apps the bench starts on a fresh database.
 *
 * It creates a tenant through the admin API, imports some of the directory's users into it beforehand under another
 * userName (the product's existing users), then runs the two cycles of Microsoft's "How Application Provisioning
 * works in Microsoft Entra ID": the initial cycle (each user looked up by its matching attributes in precedence
 * order, userName then work email, then created, or updated when matched; then each group looked up by displayName,
 * created, and its members added by PATCH in chunks) and an incremental cycle (only the changes: PATCHes by id,
 * disables, role and membership changes, a few new users, a few deletes). After each cycle it reads everything back
 * through the SCIM API and compares it with what the directory means. Requests are labelled by kind, so the report
 * names every kind that failed, with the answer's body. Exit status 1 on any failed request or difference.
 *
 * Environment: SCIMFLOW_URL (default http://127.0.0.1:$INGRESS_PORT, 8080), ADMIN_TOKEN (default .local/admin-token),
 * ENTRA_SCALE (1: 3000 users, 100 groups), ENTRA_USERS, ENTRA_GROUPS, ENTRA_MEMBERSHIPS_PER_USER (10),
 * ENTRA_IMPORTED_SHARE (0.05), ENTRA_CONCURRENCY (5), ENTRA_MEMBER_CHUNK (100), ENTRA_SEED (1),
 * ENTRA_MATCH_BY_EMAIL (1; 0: userName is the only matching attribute), ENTRA_RATE_LIMIT (the tenant's requests/s;
 * default: the system's), ENTRA_SETTLE_MS (30000), ENTRA_EXAMPLES (example requests printed per failed kind, 3).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { HttpTarget } from './load';
import { ROOT } from './root';
import {
  buildDirectory,
  changePatch,
  countByWhat,
  Difference,
  Directory,
  DirectoryGroup,
  DirectoryShape,
  DirectoryUser,
  groupNameFilter,
  groupResource,
  importedUser,
  IncrementalPlan,
  intendedUser,
  managerPatch,
  matchedUserPatch,
  memberDifferences,
  membersPatch,
  observedUser,
  patchBody,
  planIncremental,
  PatchOperation,
  userDifferences,
  userNameFilter,
  userResource,
  workEmailFilter,
} from './entra-directory';

export interface EntraCycleOptions extends DirectoryShape {
  /** the ingress's origin, e.g. http://127.0.0.1:8080 */
  baseUrl: string;
  adminToken: string;
  /** requests in flight at once, as the provisioning service keeps a handful per job */
  concurrency: number;
  /** members per PATCH of a group */
  memberChunk: number;
  /** work email is the second matching attribute (SureCloud's guide); otherwise only userName */
  matchByEmail: boolean;
  /** the tenant's rate limit (requests/s, burst the same); undefined: the system's default */
  rateLimit?: number;
  /** how long the consistency check waits for the read-back to equal the directory */
  settleMs: number;
  log?: (line: string) => void;
}

export interface RequestFailure {
  kind: string;
  method: string;
  path: string;
  status: number;
  request?: unknown;
  response: string;
}

export interface Consistency {
  users: number;
  groups: number;
  memberships: number;
  /** how long until the read-back equalled the directory (or the check gave up) */
  settledMs: number;
  differences: Difference[];
}

export interface CycleReport {
  cycle: 'initial' | 'incremental';
  requests: number;
  durationMs: number;
  /** `METHOD kind` → status → count */
  statuses: Record<string, Record<string, number>>;
  /** 429 answers, retried after Retry-After as the provisioning service does; not failures */
  throttled: number;
  failures: RequestFailure[];
  consistency?: Consistency;
}

export interface EntraCycleReport {
  tenantId: string;
  shape: DirectoryShape & { concurrency: number; memberChunk: number; matchByEmail: boolean };
  /** product users imported beforehand: under their userName, and under another one with the same work email */
  imported: { sameUserName: number; sameWorkEmail: number };
  cycles: CycleReport[];
  ok: boolean;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const query = (filter: string, extra = '') => `?filter=${encodeURIComponent(filter)}${extra}`;

/** Runs `work` on every item with at most `concurrency` in flight. */
async function eachConcurrently<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

function chunks<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/** The SCIM side of the job: sends Entra's requests for one tenant, records each answer by kind, keeps the ids. */
class ProvisioningJob {
  readonly userIds = new Map<number, string>();
  readonly groupIds = new Map<number, string>();
  private report!: CycleReport;

  constructor(
    private readonly scim: HttpTarget,
    private readonly opts: EntraCycleOptions,
  ) {}

  private readonly idOf = (key: number) => this.userIds.get(key);

  private async send(kind: string, method: string, path: string, body?: unknown): Promise<Json | undefined> {
    for (;;) {
      // a refused or dropped connection is a failed request like any other (status 0), not the end of the job
      const res = await this.scim
        .send({ method, path, body })
        .catch((e: Error) => ({ status: 0, body: `network error: ${e.message}`, headers: {} as Record<string, string> }));
      if (res.status === 429) {
        this.report.throttled++;
        await sleep(Math.min(10, Number(res.headers['retry-after'] ?? 1)) * 1000);
        continue;
      }
      const label = `${method} ${kind}`;
      const byStatus = (this.report.statuses[label] ??= {});
      byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
      this.report.requests++;
      const failed = (response: string) =>
        void this.report.failures.push({ kind, method, path, status: res.status, request: body, response: response.slice(0, 2000) });
      if (res.status < 200 || res.status >= 300) return failed(res.body);
      if (!res.body) return {};
      try {
        return JSON.parse(res.body);
      } catch {
        return failed(`a body that is not JSON: ${res.body}`);
      }
    }
  }

  private patch = (kind: string, path: string, ops: PatchOperation[]) => this.send(kind, 'PATCH', path, patchBody(ops));

  private async timed(cycle: CycleReport['cycle'], run: () => Promise<void>): Promise<CycleReport> {
    this.report = { cycle, requests: 0, durationMs: 0, statuses: {}, throttled: 0, failures: [] };
    const t0 = performance.now();
    await run();
    this.report.durationMs = Math.round(performance.now() - t0);
    return this.report;
  }

  /**
   * One user of a cycle: the matching queries in precedence order, then a create, or an update of the match. A
   * manager not provisioned yet is left for the reference pass (`deferred`), as the service resolves references
   * once their targets exist.
   */
  private async provisionUser(u: DirectoryUser, deferred: DirectoryUser[]): Promise<void> {
    const byName = await this.send('userName lookup', 'GET', `/Users${query(userNameFilter(u))}`);
    if (!byName) return;
    let match: Json | undefined = byName.Resources?.[0];
    let matchedBy = 'userName';
    if (!match && this.opts.matchByEmail) {
      const byEmail = await this.send('work email lookup', 'GET', `/Users${query(workEmailFilter(u))}`);
      if (!byEmail) return;
      match = byEmail.Resources?.[0];
      matchedBy = 'work email';
    }
    const managerId = u.managerKey === undefined ? undefined : this.idOf(u.managerKey);
    if (u.managerKey !== undefined && !managerId) deferred.push(u);
    if (match) {
      if (await this.patch(`user matched by ${matchedBy}`, `/Users/${match.id}`, matchedUserPatch(u, managerId))) this.userIds.set(u.key, match.id);
      return;
    }
    const created = await this.send('user', 'POST', '/Users', userResource(u, managerId));
    if (created) this.userIds.set(u.key, created.id);
  }

  private async resolveManagers(deferred: DirectoryUser[]): Promise<void> {
    await eachConcurrently(deferred, this.opts.concurrency, async (u) => {
      const [id, managerId] = [this.idOf(u.key), this.idOf(u.managerKey!)];
      if (id && managerId) await this.patch('manager (reference pass)', `/Users/${id}`, managerPatch(managerId));
    });
  }

  private async changeMembers(groupId: string, op: 'Add' | 'Remove', keys: number[]): Promise<void> {
    const ids = keys.map(this.idOf).filter((id): id is string => !!id);
    for (const chunk of chunks(ids, this.opts.memberChunk)) await this.patch(`members ${op}`, `/Groups/${groupId}`, membersPatch(op, chunk));
  }

  private async provisionGroup(g: DirectoryGroup): Promise<void> {
    const found = await this.send('group displayName lookup', 'GET', `/Groups${query(groupNameFilter(g), '&excludedAttributes=members')}`);
    if (!found) return;
    const id: string | undefined = found.Resources?.[0]?.id ?? (await this.send('group', 'POST', '/Groups', groupResource(g)))?.id;
    if (!id) return;
    this.groupIds.set(g.key, id);
    await this.changeMembers(id, 'Add', [...g.members]);
  }

  initialCycle(d: Directory): Promise<CycleReport> {
    return this.timed('initial', async () => {
      const deferred: DirectoryUser[] = [];
      await eachConcurrently([...d.users.values()], this.opts.concurrency, (u) => this.provisionUser(u, deferred));
      await this.resolveManagers(deferred);
      await eachConcurrently(d.groups, this.opts.concurrency, (g) => this.provisionGroup(g));
    });
  }

  incrementalCycle(plan: IncrementalPlan, after: Directory): Promise<CycleReport> {
    return this.timed('incremental', async () => {
      const deferred: DirectoryUser[] = [];
      await eachConcurrently(plan.users, this.opts.concurrency, async (c) => {
        if (c.kind === 'created') return this.provisionUser(after.users.get(c.key)!, deferred);
        const id = this.idOf(c.key);
        // never provisioned (or its new manager): the initial cycle's failure is reported already
        if (!id || (c.kind === 'manager changed' && !this.idOf(c.managerKey))) return;
        if (c.kind === 'deleted') {
          if (await this.send('user', 'DELETE', `/Users/${id}`)) this.userIds.delete(c.key);
          return;
        }
        await this.patch(c.kind, `/Users/${id}`, changePatch(c, this.idOf));
      });
      await this.resolveManagers(deferred);
      await eachConcurrently(plan.memberships, this.opts.concurrency, async (m) => {
        const id = this.groupIds.get(m.group);
        if (!id) return;
        await this.changeMembers(id, 'Remove', m.removed);
        await this.changeMembers(id, 'Add', m.added);
      });
    });
  }

  /** Every page of a list (not counted as the job's requests: Entra does not read them back). */
  private async readAll(resource: 'Users' | 'Groups'): Promise<Json[]> {
    const out: Json[] = [];
    for (let start = 1; ;) {
      const res = await this.scim.send({ method: 'GET', path: `/${resource}?startIndex=${start}&count=200` });
      if (res.status !== 200) throw new Error(`reading back /${resource}: ${res.status} ${res.body.slice(0, 500)}`);
      const page = JSON.parse(res.body) as Json;
      const resources: Json[] = page.Resources ?? [];
      out.push(...resources);
      start += resources.length;
      if (!resources.length || start > page.totalResults) return out;
    }
  }

  /** What the SCIM API shows against what the directory means. */
  private async differences(d: Directory): Promise<Difference[]> {
    const out: Difference[] = [];
    const users = new Map((await this.readAll('Users')).map((r) => [r.id as string, r]));
    const intendedIds = new Set<string>();
    for (const u of d.users.values()) {
      const id = this.idOf(u.key);
      if (!id) {
        out.push({ subject: `user ${u.userName}`, what: 'not provisioned', detail: 'no request for it succeeded' });
        continue;
      }
      intendedIds.add(id);
      const observed = users.get(id);
      if (!observed) out.push({ subject: `user ${u.userName}`, what: 'not found', detail: `no user ${id}` });
      else out.push(...userDifferences(`user ${u.userName}`, intendedUser(u, this.idOf), observedUser(observed)));
    }
    for (const [id, r] of users) if (!intendedIds.has(id)) out.push({ subject: `user ${r.userName}`, what: 'not in the directory', detail: `id ${id}` });
    const groups = new Map((await this.readAll('Groups')).map((r) => [r.id as string, r]));
    for (const g of d.groups) {
      const subject = `group ${g.displayName}`;
      const id = this.groupIds.get(g.key);
      const observed = id ? groups.get(id) : undefined;
      if (!observed) {
        out.push({ subject, what: id ? 'not found' : 'not provisioned', detail: id ? `no group ${id}` : 'no request for it succeeded' });
        continue;
      }
      if (observed.displayName !== g.displayName) out.push({ subject, what: 'displayName', detail: `got ${JSON.stringify(observed.displayName)}` });
      const intended = new Set([...g.members].map((k) => this.idOf(k) ?? `(user ${k}, not provisioned)`));
      const { missing, extra } = memberDifferences(intended, new Set((observed.members ?? []).map((m: Json) => m.value as string)));
      if (missing.length)
        out.push({ subject, what: 'members missing', detail: `${missing.length}: ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}` });
      if (extra.length)
        out.push({ subject, what: 'members not in the directory', detail: `${extra.length}: ${extra.slice(0, 3).join(', ')}${extra.length > 3 ? ', …' : ''}` });
    }
    return out;
  }

  /**
   * The consistency check after a cycle. A write's answer means it was applied, so the read-back should equal the
   * directory at once; it is retried for `settleMs` all the same, so a lagging read is told from a lost write.
   */
  async consistency(d: Directory): Promise<Consistency> {
    const t0 = performance.now();
    let differences = await this.differences(d);
    while (differences.length && performance.now() - t0 < this.opts.settleMs) {
      await sleep(1000);
      differences = await this.differences(d);
    }
    const memberships = d.groups.reduce((n, g) => n + g.members.size, 0);
    return { users: d.users.size, groups: d.groups.length, memberships, settledMs: Math.round(performance.now() - t0), differences };
  }
}

/** The admin API's calls the job needs: a tenant whose role mapping knows the app roles, and the product's users. */
async function adminSend(admin: HttpTarget, method: string, path: string, body: unknown): Promise<Json> {
  const res = await admin.send({ method, path, body, contentType: 'application/json' });
  if (res.status < 200 || res.status >= 300) throw new Error(`admin ${method} ${path}: ${res.status} ${res.body.slice(0, 1000)}`);
  return JSON.parse(res.body);
}

export async function runEntraCycles(opts: EntraCycleOptions): Promise<EntraCycleReport> {
  const log = opts.log ?? (() => undefined);
  const admin = new HttpTarget(new URL(`${opts.baseUrl}/admin`), { authorization: `Bearer ${opts.adminToken}` }, 2);
  const { concurrency, memberChunk, matchByEmail } = opts;
  const shape = { users: opts.users, groups: opts.groups, membershipsPerUser: opts.membershipsPerUser, importedShare: opts.importedShare, seed: opts.seed };
  try {
    const tenant = await adminSend(admin, 'POST', '/tenants', {
      name: `entra-cycle ${new Date().toISOString()}`,
      profile: 'segura',
      settings: { roles: { mode: 'map', productRoles: ['Admin', 'Auditor', 'Operator', 'Viewer'], unknownRoles: 'reject' } },
      ...(opts.rateLimit ? { rateLimit: { perSecond: opts.rateLimit, burst: opts.rateLimit } } : {}),
    });
    log(`tenant ${tenant.tenantId}`);
    // a cycle disables 2% of the directory: beyond the default deprovisioning threshold, which would hold them
    await adminSend(admin, 'DELETE', `/tenants/${tenant.tenantId}/deprovision-threshold`, undefined);
    const directory = buildDirectory(shape);
    const productUsers = [...directory.users.values()].filter((u) => u.importedAs);
    for (const batch of chunks(productUsers.map(importedUser), 1000)) {
      const result = await adminSend(admin, 'POST', `/tenants/${tenant.tenantId}/users/import`, { users: batch });
      if (result.imported !== batch.length)
        throw new Error(`importing the product's users: ${JSON.stringify(result.results.filter((r: Json) => r.result !== 'imported').slice(0, 5))}`);
    }
    const sameUserName = productUsers.filter((u) => u.importedAs === u.userName).length;
    const imported = { sameUserName, sameWorkEmail: productUsers.length - sameUserName };
    log(
      `imported ${productUsers.length} product users: ${sameUserName} under their userName, ${imported.sameWorkEmail} under another one with the same work email`,
    );
    const scim = new HttpTarget(new URL(`${opts.baseUrl}/scim/v2/${tenant.tenantId}`), { authorization: `Bearer ${tenant.token}` }, concurrency);
    try {
      const job = new ProvisioningJob(scim, opts);
      const initial = await job.initialCycle(directory);
      log(`initial cycle: ${initial.requests} requests in ${initial.durationMs} ms, ${initial.failures.length} failed`);
      initial.consistency = await job.consistency(directory);
      const { plan, after } = planIncremental(directory, opts.seed);
      const incremental = await job.incrementalCycle(plan, after);
      log(`incremental cycle: ${incremental.requests} requests in ${incremental.durationMs} ms, ${incremental.failures.length} failed`);
      incremental.consistency = await job.consistency(after);
      const cycles = [initial, incremental];
      const ok = cycles.every((c) => c.failures.length === 0 && c.consistency?.differences.length === 0);
      return { tenantId: tenant.tenantId, shape: { ...shape, concurrency, memberChunk, matchByEmail }, imported, cycles, ok };
    } finally {
      scim.close();
    }
  } finally {
    admin.close();
  }
}

/** The report as lines: per cycle the requests by kind and status, the failed kinds with an example body, the check. */
export function reportLines(r: EntraCycleReport, examplesPerKind = 2): string[] {
  const s = r.shape;
  const lines = [
    `entra-cycle: tenant ${r.tenantId}; ${s.users} users (imported beforehand: ${r.imported.sameUserName} under their userName, ` +
      `${r.imported.sameWorkEmail} under another with the same work email${s.matchByEmail ? '' : ', not a matching attribute'}), ${s.groups} groups, ` +
      `~${s.membershipsPerUser} memberships per user; concurrency ${s.concurrency}, ${s.memberChunk} members per PATCH, seed ${s.seed}`,
  ];
  for (const c of r.cycles) {
    lines.push(
      `\n${c.cycle} cycle: ${c.requests} requests in ${(c.durationMs / 1000).toFixed(1)} s (${Math.round((c.requests / Math.max(1, c.durationMs)) * 1000)}/s), ${c.failures.length} failed, ${c.throttled} throttled (429, retried)`,
    );
    for (const [label, byStatus] of Object.entries(c.statuses).sort())
      lines.push(
        `  ${label.padEnd(48)} ${Object.entries(byStatus)
          .map(([st, n]) => `${st}×${n}`)
          .join(' ')}`,
      );
    const byKind = new Map<string, RequestFailure[]>();
    for (const f of c.failures) byKind.set(`${f.method} ${f.kind} ${f.status}`, [...(byKind.get(`${f.method} ${f.kind} ${f.status}`) ?? []), f]);
    for (const [label, fs] of byKind) {
      lines.push(`  FAILED ${label}: ${fs.length}`);
      for (const f of fs.slice(0, examplesPerKind))
        lines.push(
          `    ${f.method} ${f.path}${f.request ? ` ${JSON.stringify(f.request).slice(0, 400)}` : ''}\n      → ${f.status} ${f.response.slice(0, 400)}`,
        );
    }
    const k = c.consistency;
    if (k && !k.differences.length)
      lines.push(`  consistency: OK (${k.users} users, ${k.groups} groups, ${k.memberships} memberships read back equal the directory; ${k.settledMs} ms)`);
    if (k?.differences.length) {
      lines.push(`  consistency: ${k.differences.length} differences after ${k.settledMs} ms`);
      for (const [what, n] of countByWhat(k.differences)) {
        lines.push(`    ${what}: ${n}`);
        for (const d of k.differences.filter((x) => x.what === what).slice(0, examplesPerKind)) lines.push(`      ${d.subject}: ${d.detail}`);
      }
    }
  }
  lines.push(
    `\n${r.ok ? 'PASS' : 'FAIL'}  entra-cycle: ${r.ok ? 'no failed request, read-back equals the directory after both cycles' : 'failed requests or differences above'}`,
  );
  return lines;
}

const int = (name: string, fallback: number) => (process.env[name] === undefined ? fallback : Number(process.env[name]));

/** The options from the environment (see the header), over a base URL and admin token given by the caller. */
export function optionsFromEnv(defaults: Partial<EntraCycleOptions> = {}): EntraCycleOptions {
  const scale = Number(process.env.ENTRA_SCALE ?? 1);
  const tokenFile = path.join(process.env.SCIMFLOW_STATE_DIR ?? path.join(ROOT, '.local'), 'admin-token');
  const adminToken = defaults.adminToken ?? process.env.ADMIN_TOKEN ?? (existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : '');
  if (!adminToken) throw new Error(`no admin token: set ADMIN_TOKEN or run npm run up (it writes ${tokenFile})`);
  return {
    baseUrl: defaults.baseUrl ?? process.env.SCIMFLOW_URL ?? `http://127.0.0.1:${process.env.INGRESS_PORT ?? 8080}`,
    adminToken,
    users: int('ENTRA_USERS', Math.max(1, Math.round(3000 * scale))),
    groups: int('ENTRA_GROUPS', Math.max(1, Math.round(100 * scale))),
    membershipsPerUser: int('ENTRA_MEMBERSHIPS_PER_USER', 10),
    importedShare: Number(process.env.ENTRA_IMPORTED_SHARE ?? 0.05),
    concurrency: int('ENTRA_CONCURRENCY', 5),
    memberChunk: int('ENTRA_MEMBER_CHUNK', 100),
    seed: int('ENTRA_SEED', 1),
    matchByEmail: process.env.ENTRA_MATCH_BY_EMAIL !== '0',
    rateLimit: process.env.ENTRA_RATE_LIMIT ? Number(process.env.ENTRA_RATE_LIMIT) : undefined,
    settleMs: int('ENTRA_SETTLE_MS', 30_000),
    log: (line) => process.stderr.write(`[entra-cycle] ${line}\n`),
  };
}

/**
 * Prints the report (ENTRA_EXAMPLES example requests per failed kind, default 3) and writes it whole, every failed
 * request with its body, to bench/results/entra-cycle-<time>.json.
 */
export function publishReport(report: EntraCycleReport): void {
  mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  const file = path.join(ROOT, `bench/results/entra-cycle-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  console.log(reportLines(report, int('ENTRA_EXAMPLES', 3)).join('\n'));
  console.log(`every failed request with its answer, and every difference: ${path.relative(ROOT, file)}`);
}

if (require.main === module) {
  runEntraCycles(optionsFromEnv())
    .then((report) => {
      publishReport(report);
      process.exitCode = report.ok ? 0 : 1;
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
