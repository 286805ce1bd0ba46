import { randomUUID } from 'node:crypto';
import { CommandApplyConfig, PersistenceConfig, validateConfig } from '@scimflow/config';
import { createStores } from '@scimflow/persistence';
import { GroupCommand, ProvisioningCommand, UserCommand } from '@scimflow/contracts';
import { asRead } from '../../../contracts/src/test-helpers';
import { useDatabase } from '../../../../test/support/medium/database';
import { createTenant } from '../../../../bench/tenants';
import { ApplyUserCommands } from '../users/apply-user-commands';
import { ApplyGroupCommand } from './apply-group-command';

const db = useDatabase();
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const config = () => validateConfig(CommandApplyConfig, { ...process.env, PROFILE_CACHE_TTL_MS: '0' });
const stores = () => createStores(db(), validateConfig(PersistenceConfig, { ...process.env, TENANT_SCHEMA_CACHE_TTL_MS: '0' }));

const tenant = async (profile: 'custom' | 'surecloud' = 'custom') => (await createTenant(db(), `groups ${profile}`, [], { profile })).tenant.id;

function command(tenantId: string, resourceId: string, action: ProvisioningCommand['action'], payload?: unknown): GroupCommand {
  return asRead({ v: 1, commandId: randomUUID(), tenantId, resourceType: 'Group', resourceId, action, payload, issuedAt: '2026-12-06T00:00:00.000Z' });
}
const create = (tenantId: string, displayName: string, members: string[] = []) =>
  command(tenantId, randomUUID(), 'create', { schemas: [GROUP], displayName, ...(members.length ? { members: members.map((value) => ({ value })) } : {}) });

const audited = async (commandId: string) => db().query(`SELECT status, outcome FROM audit_log WHERE command_id = $1`, [commandId]);

describe('ApplyGroupCommand (Postgres)', () => {
  let groups: ApplyGroupCommand;
  beforeAll(() => {
    groups = new ApplyGroupCommand(db(), config(), stores());
  });

  it('creates a group with its members and events; a redelivery answers the same', async () => {
    const t = await tenant();
    const user = asRead<UserCommand>({
      v: 1,
      commandId: randomUUID(),
      tenantId: t,
      resourceType: 'User',
      resourceId: randomUUID(),
      action: 'create',
      payload: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'member' },
      issuedAt: '2026-12-06T00:00:00.000Z',
    });
    await new ApplyUserCommands(db(), config(), stores()).apply(user);
    const sales = create(t, 'Sales', [user.resourceId]);
    const applied = await groups.execute(sales);
    expect([applied.outcome.status, applied.firstTime, applied.events]).toEqual([201, true, 2]); // group-changed, membership-changed
    expect(await groups.execute(sales)).toEqual({ outcome: applied.outcome, firstTime: false, events: 0 });
  });

  it('is rejected with what the store raises: a displayName taken (409)', async () => {
    const t = await tenant();
    await groups.execute(create(t, 'Sales'));
    const taken = create(t, 'SALES');
    expect((await groups.execute(taken)).outcome).toMatchObject({
      status: 409,
      error: { scimType: 'uniqueness', detail: 'displayName is already taken by another group of this tenant' },
    });
    expect(await audited(taken.commandId)).toEqual([{ status: 409, outcome: 'failure' }]);
  });

  it('rejects members that are not users of the tenant (400 naming them), and a group write where group provisioning is off (501)', async () => {
    const t = await tenant();
    const stranger = randomUUID();
    expect((await groups.execute(create(t, 'Ghosts', [stranger]))).outcome).toMatchObject({
      status: 400,
      error: { scimType: 'invalidValue', detail: `Members must be Users of this tenant; unknown member ids: ${stranger}` },
    });

    const off = await tenant('surecloud');
    const refused = create(off, 'Entra group');
    expect((await groups.execute(refused)).outcome).toMatchObject({ status: 501 });
    expect(await audited(refused.commandId)).toEqual([{ status: 501, outcome: 'failure' }]);
  });
});
