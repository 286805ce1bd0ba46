import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CommandApplyConfig, PersistenceConfig, validateConfig } from '@scimflow/config';
import { createStores } from '@scimflow/persistence';
import { GroupCommand, ProvisioningCommand, UserCommand } from '@scimflow/contracts';
import { asRead } from '../../../contracts/src/test-helpers';
import { useDatabase } from '../../../../test/support/medium/database';
import { createTenant } from '../../../../bench/tenants';
import { ApplyGroupCommand } from '../groups/apply-group-command';
import { ApplyUserCommands } from './apply-user-commands';

const db = useDatabase();
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const config = () => validateConfig(CommandApplyConfig, { ...process.env, PROFILE_CACHE_TTL_MS: '0', TENANT_SCHEMA_CACHE_TTL_MS: '0' });
const stores = () => createStores(db(), validateConfig(PersistenceConfig, { ...process.env, TENANT_SCHEMA_CACHE_TTL_MS: '0' }));

async function tenant(profile: 'custom' | 'workforce' | 'surecloud' = 'custom', settings: Record<string, unknown> = {}): Promise<string> {
  return (await createTenant(db(), `pipeline ${profile}`, [], { profile, settings })).tenant.id;
}

function command(tenantId: string, resourceId: string, action: ProvisioningCommand['action'], payload?: unknown): UserCommand {
  return asRead({ v: 1, commandId: randomUUID(), tenantId, resourceType: 'User', resourceId, action, payload, issuedAt: '2026-12-06T00:00:00.000Z' });
}
const create = (tenantId: string, userName: string, extra: object = {}, id = randomUUID()) =>
  command(tenantId, id, 'create', { schemas: [USER], userName, emails: [{ type: 'work', value: `${userName}@contoso.example` }], ...extra });
const patch = (tenantId: string, id: string, ...Operations: object[]) => command(tenantId, id, 'patch', { schemas: [PATCH_OP], Operations });

/** What each command left in the store: its recorded outcome, audit entry and events. */
async function recorded(commandId: string) {
  const [processed] = await db().query(`SELECT outcome FROM processed_commands WHERE command_id = $1`, [commandId]);
  const audit = await db().query(`SELECT resource_id, status, outcome, diff FROM audit_log WHERE command_id = $1`, [commandId]);
  const events = await db().query(
    `SELECT record_key, payload->>'type' AS type, (payload->>'sequence')::int AS sequence FROM outbox_events WHERE payload->'data'->>'commandId' = $1 ORDER BY id`,
    [commandId],
  );
  return { outcome: processed?.outcome, audit, events };
}

describe('ApplyUserCommands (Postgres): one pipeline for a command alone and for a batch', () => {
  let users: ApplyUserCommands;
  let warn: jest.SpyInstance;

  beforeAll(() => {
    users = new ApplyUserCommands(db(), config(), stores());
  });
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn');
  });
  afterEach(() => warn.mockRestore());

  describe('a batch of one', () => {
    it('applies a create, a patch and a delete, each with its outcome, audit entry and events; a redelivery answers the same', async () => {
      const t = await tenant();
      const created = create(t, 'ada');
      const first = await users.apply(created);
      expect([first.outcome.status, first.firstTime, first.events, first.outcome.resource?.version]).toEqual([201, true, 1, 1]);
      expect(await recorded(created.commandId)).toMatchObject({
        outcome: { status: 201 },
        audit: [{ resource_id: created.resourceId, status: 201, outcome: 'success', diff: { changes: expect.arrayContaining(['userName']) } }],
        events: [{ record_key: `${t}:${created.resourceId}`, type: 'dev.scimflow.user.created.v1', sequence: 1 }],
      });
      expect(await users.apply(created)).toEqual({ outcome: first.outcome, firstTime: false, events: 0 });

      const patched = await users.apply(patch(t, created.resourceId, { op: 'Replace', path: 'active', value: 'False' }));
      expect([patched.outcome.status, patched.outcome.resource?.version, patched.outcome.resource?.document.active]).toEqual([200, 2, false]);

      const deleted = command(t, created.resourceId, 'delete');
      expect((await users.apply(deleted)).outcome.status).toBe(204);
      expect((await recorded(deleted.commandId)).events.map((e: { type: string; sequence: number }) => [e.type, e.sequence])).toEqual([
        ['dev.scimflow.user.deleted.v1', 3],
      ]);
      expect(await db().query(`SELECT 1 FROM scim_users WHERE id = $1`, [created.resourceId])).toEqual([]);
    });

    it('rejects a decision (404, 412) and records it as its outcome, without events', async () => {
      const t = await tenant();
      const missing = patch(t, randomUUID(), { op: 'replace', path: 'title', value: 'x' });
      expect((await users.apply(missing)).outcome).toMatchObject({ status: 404 });
      expect(await recorded(missing.commandId)).toMatchObject({ outcome: { status: 404 }, audit: [{ status: 404, outcome: 'failure', diff: {} }], events: [] });

      const ada = create(t, 'ada412');
      await users.apply(ada);
      const stale = { ...patch(t, ada.resourceId, { op: 'replace', path: 'title', value: 'x' }), ifMatch: 'W/"7"' };
      expect((await users.apply(stale)).outcome.status).toBe(412);
    });

    it('is rejected with what the store raises (userName taken: 409; tenant gone: 404), recorded in a transaction of its own', async () => {
      const t = await tenant();
      await users.apply(create(t, 'grace'));
      const taken = create(t, 'GRACE'); // userName is unique per tenant, case-insensitively: the insert says so
      const answer = await users.apply(taken);
      expect(answer.outcome).toMatchObject({
        status: 409,
        error: { scimType: 'uniqueness', detail: 'userName is already taken by another user of this tenant' },
      });
      expect(await recorded(taken.commandId)).toMatchObject({ audit: [{ status: 409, outcome: 'failure' }], events: [] });
      expect(await db().query(`SELECT 1 FROM scim_users WHERE id = $1`, [taken.resourceId])).toEqual([]);

      const nowhere = randomUUID();
      expect((await users.apply(create(nowhere, 'nobody'))).outcome).toMatchObject({ status: 404, error: { detail: `tenant ${nowhere} does not exist` } });
      expect(warn).not.toHaveBeenCalled();
    });
  });

  describe('a batch of several', () => {
    it('rejects its bad commands alone (a taken work email under a savepoint, a 404 in memory); the others commit in the same transaction', async () => {
      const t = await tenant('custom', { uniqueWorkEmail: true });
      const ada = create(t, 'ada', { emails: [{ type: 'work', value: 'shared@contoso.example' }] });
      const twin = create(t, 'ada-twin', { emails: [{ type: 'work', value: 'Shared@contoso.example' }] });
      const missing = patch(t, randomUUID(), { op: 'replace', path: 'title', value: 'x' });
      const grace = create(t, 'grace');
      const graceTitled = patch(t, grace.resourceId, { op: 'replace', path: 'title', value: 'Admiral' });
      const batch = [ada, twin, missing, grace, graceTitled];

      const applied = await users.execute(batch.map((c) => ({ command: c })));
      expect(applied.map((a) => a.outcome.status)).toEqual([201, 409, 404, 201, 200]);
      expect(applied[1].outcome.error?.detail).toBe('the work email shared@contoso.example is already used by another user of this tenant');
      expect(applied[4].outcome.resource).toMatchObject({ id: grace.resourceId, version: 2, document: { title: 'Admiral' } });
      expect(warn).not.toHaveBeenCalled(); // no fallback: the batch committed as one
      expect(await db().query(`SELECT user_name FROM scim_users WHERE tenant_id = $1 ORDER BY user_name`, [t])).toEqual([
        { user_name: 'ada' },
        { user_name: 'grace' },
      ]);
      for (const [c, a] of batch.map((c, i) => [c, applied[i]] as const)) expect((await recorded(c.commandId)).outcome).toEqual(a.outcome);
      expect((await recorded(twin.commandId)).audit).toMatchObject([{ status: 409, outcome: 'failure' }]);
    });

    it('applies a membership directive and rejects one naming unknown groups (savepoint), the batch going on', async () => {
      const t = await tenant('surecloud');
      const groupId = randomUUID();
      const group = await new ApplyGroupCommand(db(), config(), stores()).execute(
        asRead<GroupCommand>({
          v: 1,
          commandId: randomUUID(),
          tenantId: t,
          resourceType: 'Group',
          resourceId: groupId,
          action: 'import',
          payload: { document: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Admins' } },
          issuedAt: '2026-12-06T00:00:00.000Z',
        }),
      );
      expect(group.outcome.status).toBe(201);
      const member = create(t, 'member', { userType: groupId });
      const unknownGroup = randomUUID();
      const lost = create(t, 'lost', { userType: unknownGroup });
      const after = create(t, 'after');

      const applied = await users.execute([member, lost, after].map((command) => ({ command })));
      expect(applied.map((a) => a.outcome.status)).toEqual([201, 400, 201]);
      expect(applied[0].outcome.resource?.version).toBe(2); // created, then joined: one sequence each
      expect(applied[1].outcome.error).toMatchObject({
        scimType: 'invalidValue',
        detail: `userType names groups that do not exist in this tenant: ${unknownGroup}`,
      });
      expect((await recorded(member.commandId)).events.map((e: { type: string }) => e.type)).toEqual([
        'dev.scimflow.user.created.v1',
        'dev.scimflow.membership.added.v1',
      ]);
      expect(await db().query(`SELECT user_id FROM scim_group_members WHERE tenant_id = $1 AND group_id = $2`, [t, groupId])).toEqual([
        { user_id: member.resourceId },
      ]);
      expect(await db().query(`SELECT 1 FROM scim_users WHERE id = $1`, [lost.resourceId])).toEqual([]);
      expect(warn).not.toHaveBeenCalled();
    });

    it('claims a user imported earlier in the same batch, and a soft-deleted one', async () => {
      const t = await tenant('custom', { deleteMode: 'soft' });
      const imported = command(t, randomUUID(), 'import', {
        document: { schemas: [USER], userName: 'legacy', emails: [{ type: 'work', value: 'legacy@contoso.example' }] },
      });
      const claim = create(t, 'legacy');
      const gone = create(t, 'gone');
      const goneDeleted = command(t, gone.resourceId, 'delete');
      const back = create(t, 'gone');
      const applied = await users.execute([imported, claim, gone, goneDeleted, back].map((command) => ({ command })));
      expect(applied.map((a) => [a.outcome.status, a.outcome.resource?.id])).toEqual([
        [201, imported.resourceId],
        [201, imported.resourceId],
        [201, gone.resourceId],
        [204, undefined],
        [201, gone.resourceId],
      ]);
      expect(await recorded(claim.commandId)).toMatchObject({
        audit: [{ resource_id: imported.resourceId, diff: { claimed: { matchedBy: 'userName', commandResourceId: claim.resourceId } } }],
        events: [{ record_key: `${t}:${imported.resourceId}`, type: 'dev.scimflow.user.updated.v1', sequence: 2 }],
      });
      expect((await recorded(back.commandId)).events).toEqual([{ record_key: `${t}:${gone.resourceId}`, type: 'dev.scimflow.user.created.v1', sequence: 3 }]);
    });

    it('falls back to one by one when its transaction fails (a userName taken between two of its creates), with the same outcomes', async () => {
      const t = await tenant();
      const first = create(t, 'dup');
      const second = create(t, 'DUP');
      const other = create(t, 'other');
      const applied = await users.execute([first, second, other].map((command) => ({ command })));
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('applying them one by one'));
      expect(applied.map((a) => a.outcome.status)).toEqual([201, 409, 201]);
      expect((await recorded(second.commandId)).audit).toMatchObject([{ status: 409, outcome: 'failure' }]);
    });

    it("rejects the commands of a tenant whose stored settings no longer validate (400), and applies the other tenant's", async () => {
      const broken = await tenant();
      const fine = await tenant();
      await db().query(`UPDATE tenants SET settings = '{"deleteMode":"archive"}' WHERE id = $1`, [broken]);
      const applied = await users.execute([create(broken, 'a'), create(fine, 'b')].map((command) => ({ command })));
      expect(applied.map((a) => [a.outcome.status, a.outcome.error?.scimType])).toEqual([
        [400, 'invalidValue'],
        [201, undefined],
      ]);
    });
  });

  it('previews a deprovisioning without writing', async () => {
    const t = await tenant();
    const ada = create(t, 'preview');
    await users.apply(ada);
    const deletion = command(t, ada.resourceId, 'delete');
    const preview = await users.preview(deletion);
    expect([preview?.current?.id, preview?.decision.kind]).toEqual([ada.resourceId, 'delete']);
    expect(await recorded(deletion.commandId)).toEqual({ outcome: undefined, audit: [], events: [] });
    expect(await users.preview(ada)).toBeUndefined(); // applied before
  });
});
