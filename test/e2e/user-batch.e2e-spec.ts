import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CommandApplyConfig, validateConfig } from '../../libs/config/src';
import { UserCommand } from '../../libs/contracts/src';
import { asRead } from '../../libs/contracts/src/test-helpers';
import { dataSourceOptions } from '../../libs/persistence/src';
import { createTenant, storesOn } from '../../bench/tenants';
import { ApplyResult, CommandDispatcher } from '../../libs/reconciliation/src';

/**
 * Batch application (ApplyUserCommands) against real Postgres, differentially: the same workload applied one command
 * per transaction in one tenant and as a batch in a twin tenant must give the same outcomes, the same users and the
 * same events — with profile rules, soft delete, imports and claims, login methods, duplicates and rejections mixed in.
 */
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** A deterministic pseudo-random workload over `n` users, expressed with user indexes (ids are per tenant). */
type Step =
  | { kind: 'create' | 'replace'; user: number; name: string; email?: string; extra?: object }
  | { kind: 'patch'; user: number; ops: object[]; ifMatch?: string }
  | { kind: 'delete' | 'replay'; user: number }
  | { kind: 'import'; user: number; name: string; email?: string; loginMethod?: string }
  | { kind: 'login'; user: number; method: string };

function workload(n: number, seed: number, options: { duplicateNames: boolean }): Step[] {
  let x = seed;
  const rnd = (k: number) => ((x = (x * 1103515245 + 12345) % 2 ** 31), x % k);
  const steps: Step[] = [];
  const names = (i: number) => `user${i}@contoso.example`;
  for (let i = 0; i < n; i++) {
    if (i % 5 === 0) steps.push({ kind: 'import', user: i, name: `legacy${i}`, email: names(i), loginMethod: i % 10 === 0 ? 'builtIn' : undefined });
    else steps.push({ kind: 'create', user: i, name: names(i), email: names(i), extra: { name: { givenName: 'G', familyName: 'F' } } });
  }
  for (let s = 0; s < n * 6; s++) {
    const u = rnd(n);
    switch (rnd(9)) {
      case 0:
        steps.push({ kind: 'patch', user: u, ops: [{ op: 'Replace', path: 'active', value: rnd(2) ? 'False' : 'True' }] });
        break;
      case 1:
        steps.push({ kind: 'patch', user: u, ops: [{ op: 'replace', path: 'displayName', value: `D${rnd(3)}` }] });
        break;
      case 2:
        steps.push({
          kind: 'replace',
          user: u,
          name: `user${u}@contoso.example`,
          email: `user${u}@contoso.example`,
          extra: { name: { givenName: 'R', familyName: `F${rnd(2)}` }, userType: rnd(2) ? 'Premium' : 'Standard' },
        });
        break;
      case 3:
        steps.push({ kind: 'login', user: u, method: rnd(2) ? 'builtIn' : 'sso' });
        break;
      case 4:
        steps.push({ kind: 'delete', user: u });
        break;
      case 5: // Entra creating a user the product imported (claims by userName or email), or creating one again after a delete
        steps.push({
          kind: 'create',
          user: n + s,
          name: rnd(2) ? `legacy${u}` : `user${u}@contoso.example`,
          email: `user${u}@contoso.example`,
          extra: { name: { givenName: 'C', familyName: 'F' } },
        });
        break;
      case 6:
        steps.push({ kind: 'patch', user: u, ops: [{ op: 'replace', path: 'title', value: 'T' }], ifMatch: `W/"${rnd(4) + 1}"` });
        break;
      case 7:
        steps.push({ kind: 'replay', user: u });
        break;
      default:
        steps.push({ kind: 'patch', user: u, ops: [{ op: 'add', path: 'emails[type eq "work"].value', value: `user${rnd(n)}@contoso.example` }] });
    }
  }
  if (options.duplicateNames)
    steps.push({ kind: 'create', user: 10 * n, name: names(1), email: 'dup@contoso.example', extra: { name: { givenName: 'G', familyName: 'F' } } });
  return steps;
}

/** The workload's commands as the reconciler reads them off the topic. */
function commandsFor(tenantId: string, steps: Step[]): UserCommand[] {
  const ids = new Map<number, string>();
  const id = (i: number) => ids.get(i) ?? (ids.set(i, randomUUID()), ids.get(i)!);
  const commands: UserCommand[] = [];
  const push = (record: object) => commands.push(asRead<UserCommand>(record));
  const base = { v: 1 as const, tenantId, resourceType: 'User' as const, issuedAt: '2026-11-23T00:00:00.000Z' };
  for (const step of steps) {
    const c = { ...base, commandId: randomUUID(), resourceId: id(step.user) };
    const doc = (s: { name: string; email?: string; extra?: object }) => ({
      schemas: [USER],
      userName: s.name,
      ...(s.email ? { emails: [{ type: 'work', value: s.email }] } : {}),
      ...s.extra,
    });
    switch (step.kind) {
      case 'create':
      case 'replace':
        push({ ...c, action: step.kind, payload: doc(step) });
        break;
      case 'patch':
        push({ ...c, action: 'patch', payload: { schemas: [PATCH_OP], Operations: step.ops }, ...(step.ifMatch ? { ifMatch: step.ifMatch } : {}) });
        break;
      case 'delete':
        push({ ...c, action: 'delete' });
        break;
      case 'import':
        push({
          ...c,
          action: 'import',
          payload: { document: { ...doc(step), name: { givenName: 'I', familyName: 'F' } }, ...(step.loginMethod ? { loginMethod: step.loginMethod } : {}) },
        });
        break;
      case 'login':
        push({ ...c, action: 'setLoginMethod', payload: { loginMethod: step.method } });
        break;
      case 'replay': // a redelivery of an earlier command of this tenant
        if (commands.length) commands.push(commands[Math.floor(commands.length / 2)]);
        break;
    }
  }
  return commands;
}

describe('batch application of user commands equals one-by-one application (real Postgres)', () => {
  let ds: DataSource;
  let dispatcher: CommandDispatcher;
  const config = () => validateConfig(CommandApplyConfig, { ...process.env, PROFILE_CACHE_TTL_MS: '0' });

  beforeAll(async () => {
    ds = new DataSource(dataSourceOptions(process.env.DATABASE_URL!, { extra: { max: 4 } }));
    await ds.initialize();
    dispatcher = new CommandDispatcher(ds, config(), storesOn(ds));
  });
  afterAll(async () => ds?.destroy());

  async function twinTenants(profile: 'workforce' | 'custom', settings: Record<string, unknown>) {
    const make = async () => (await createTenant(ds, `batch ${profile}`, [], { profile, settings })).tenant.id;
    return [await make(), await make()];
  }

  /** What must be equal: outcomes, users and events, with tenant-specific ids replaced by their position. */
  async function observed(tenantId: string, commands: UserCommand[], applied: ApplyResult[]) {
    const index = new Map<string, number>();
    for (const c of commands) if (!index.has(c.resourceId)) index.set(c.resourceId, index.size);
    const ref = (id: string | undefined) => (id === undefined ? undefined : `u${index.get(id) ?? '?'}`);
    const outcomes = applied.map((a) => ({
      status: a.outcome.status,
      id: ref(a.outcome.resource?.id),
      version: a.outcome.resource?.version,
      firstTime: a.firstTime,
      events: a.events,
      error: a.outcome.error?.detail?.replace(/[0-9a-f-]{36}/g, (id) => ref(id) ?? id),
    }));
    const users = (
      await ds.query(
        `SELECT id, user_name, active, document, version, work_email, login_method, origin, linked, deleted_at IS NOT NULL AS deleted, unmatched_roles FROM scim_users WHERE tenant_id = $1`,
        [tenantId],
      )
    )
      .map((u: Record<string, unknown>) => ({ ...u, id: ref(String(u.id)) }))
      .sort((a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id));
    const events = ((await ds.query(`SELECT payload FROM outbox_events WHERE record_key LIKE $1 ORDER BY id`, [`${tenantId}:%`])) as { payload: never }[]).map(
      ({
        payload: e,
      }: {
        payload: { type: string; sequence: number; data: { userId: string; changes: unknown; matchedBy?: string; deleteMode?: string; loginMethod?: string } };
      }) => ({
        user: ref(e.data.userId),
        type: e.type,
        sequence: e.sequence,
        changes: e.data.changes,
        matchedBy: e.data.matchedBy,
        deleteMode: e.data.deleteMode,
        loginMethod: e.data.loginMethod,
      }),
    );
    const audit = await ds.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE outcome = 'failure')::int AS failures FROM audit_log WHERE tenant_id = $1`,
      [tenantId],
    );
    return { outcomes, users, events, audit };
  }

  it.each([
    ['workforce, soft delete (directive-free profile rules: required names, unique work email, enum userType)', 'workforce', { deleteMode: 'soft' }, 1],
    ['custom, hard delete', 'custom', {}, 2],
    ['custom, soft delete', 'custom', { deleteMode: 'soft' }, 3],
  ] as const)('%s', async (_, profile, settings, seed) => {
    const [oneByOneTenant, batchTenant] = await twinTenants(profile, settings);
    const steps = workload(40, seed, { duplicateNames: false });
    const serial = commandsFor(oneByOneTenant, steps);
    const batched = commandsFor(batchTenant, steps);

    const serialApplied: ApplyResult[] = [];
    for (const c of serial) serialApplied.push(await dispatcher.apply(c));
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const batchApplied = await dispatcher.applyUsers(batched.map((command) => ({ command })));
    expect(warn).not.toHaveBeenCalled(); // the batch path ran, not its one-by-one fallback
    warn.mockRestore();

    const a = await observed(oneByOneTenant, serial, serialApplied);
    const b = await observed(batchTenant, batched, batchApplied);
    expect(b.outcomes).toEqual(a.outcomes);
    expect(b.users).toEqual(a.users);
    expect(b.events).toEqual(a.events);
    expect(b.audit).toEqual(a.audit);
    // the workload is not trivial: successes, each kind of rejection, claims and soft/hard deletes happened
    const statuses = new Set(a.outcomes.map((o) => o.status));
    for (const s of [200, 201, 204, 404, 412]) expect(statuses).toContain(s);
    expect(a.events.some((e) => e.matchedBy)).toBe(true);
    expect(a.outcomes.some((o) => !o.firstTime)).toBe(true);

    // applying the same batch again changes nothing and answers the same (idempotency across batches)
    const again = await dispatcher.applyUsers(batched.map((command) => ({ command })));
    expect(again.map((x) => [x.outcome.status, x.firstTime])).toEqual(batchApplied.map((x) => [x.outcome.status, false]));
    expect((await observed(batchTenant, batched, batchApplied)).events).toEqual(b.events);
  });

  it('falls back to one-by-one application when the batch hits a constraint (a duplicate userName) and still equals it', async () => {
    const [oneByOneTenant, batchTenant] = await twinTenants('custom', {});
    const steps = workload(20, 4, { duplicateNames: true }).filter((s) => s.kind !== 'import'); // no unlinked users: creates take the batch path
    const serial = commandsFor(oneByOneTenant, steps);
    const batched = commandsFor(batchTenant, steps);
    const serialApplied: ApplyResult[] = [];
    for (const c of serial) serialApplied.push(await dispatcher.apply(c));
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const batchApplied = await dispatcher.applyUsers(batched.map((command) => ({ command })));
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('applying them one by one'));
    warn.mockRestore();
    const a = await observed(oneByOneTenant, serial, serialApplied);
    const b = await observed(batchTenant, batched, batchApplied);
    expect(b).toEqual(a);
    expect(a.outcomes[a.outcomes.length - 1].status).toBe(409);
  });
});
