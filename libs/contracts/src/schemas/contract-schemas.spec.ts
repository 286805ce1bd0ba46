import { decideGroupCommand, decideUserCommand, finalizeGroupChange, membershipEvents, userDeletionEvents } from '@scimflow/provisioning';
import { GROUP_SCHEMA, USER_SCHEMA } from '@scimflow/scim';
import { userResourceTypeSchemas } from '../../../scim/src/resource/types';
import { GroupCommand, ProvisioningCommand, UserCommand } from '../commands';
import { asRead } from '../test-helpers';
import { WebhookDeadLetter } from '../dead-letters';
import { USER_CHANGED_DATASCHEMA } from '../events';
import { GROUP_CHANGED_DATASCHEMA, MEMBERSHIP_CHANGED_DATASCHEMA } from '../group-events';
import { CONTRACT_SCHEMAS } from './index';
import { contractValidator } from './test-helpers';

const TENANT = '4f0e0000-0000-4000-8000-000000000001';
const USER = '00000000-0000-4000-8000-000000000001';
const GROUP = '9a1b0000-0000-4000-8000-0000000000aa';
const NOW = new Date('2026-11-22T10:00:00.000Z');
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
let n = 0;
const record = (resourceType: 'User' | 'Group', action: ProvisioningCommand['action'], payload?: unknown) => ({
  v: 1,
  commandId: `c0000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  tenantId: TENANT,
  resourceType,
  resourceId: resourceType === 'User' ? USER : GROUP,
  action,
  payload,
  issuedAt: NOW.toISOString(),
});
const command = <C extends ProvisioningCommand = UserCommand>(resourceType: 'User' | 'Group', action: ProvisioningCommand['action'], payload?: unknown) =>
  asRead<C>(record(resourceType, action, payload));
const userDoc = (extra: object = {}) => ({ schemas: [USER_SCHEMA], userName: 'ada@example.com', externalId: 'ext-1', active: true, ...extra });
const v = contractValidator();

describe('contract schemas', () => {
  it('use draft 2020-12 and versioned ids that match the events dataschema', () => {
    for (const s of Object.values(CONTRACT_SCHEMAS)) {
      expect(s.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(s.$id).toMatch(/\/v\d+\.json$/);
    }
    expect([USER_CHANGED_DATASCHEMA, GROUP_CHANGED_DATASCHEMA, MEMBERSHIP_CHANGED_DATASCHEMA]).toEqual([
      CONTRACT_SCHEMAS.userChanged.$id,
      CONTRACT_SCHEMAS.groupChanged.$id,
      CONTRACT_SCHEMAS.membershipChanged.$id,
    ]);
  });

  describe('ProvisioningCommand v1', () => {
    it.each<[string, ProvisioningCommand]>([
      ['user create', command('User', 'create', userDoc())],
      ['user replace', command('User', 'replace', userDoc({ active: false }))],
      ['user patch', command('User', 'patch', { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] })],
      ['user delete', command('User', 'delete')],
      ['group create', command('Group', 'create', { schemas: [GROUP_SCHEMA], displayName: 'Ops', members: [{ value: USER }] })],
      ['legacy command without resourceType', { ...command('User', 'delete'), resourceType: undefined } as unknown as ProvisioningCommand],
      ['with ifMatch and requestId', { ...command('User', 'delete'), ifMatch: 'W/"3"', requestId: 'r-1' }],
    ])('accepts %s', (_, c) => expect(v.forTopic('commands', JSON.parse(JSON.stringify(c)))).toEqual([]));

    it.each<[string, object]>([
      ['another version', { ...command('User', 'delete'), v: 2 }],
      ['an unknown action', { ...command('User', 'delete'), action: 'upsert' }],
      ['an unknown resource type', { ...command('User', 'delete'), resourceType: 'Device' }],
      ['create without payload', record('User', 'create')],
      ['patch without Operations', record('User', 'patch', { schemas: [PATCH_OP] })],
      ['a bad issuedAt', { ...command('User', 'delete'), issuedAt: 'yesterday' }],
      ['no commandId', { ...command('User', 'delete'), commandId: undefined }],
    ])('rejects %s', (_, c) => expect(v.forTopic('commands', JSON.parse(JSON.stringify(c))).length).toBeGreaterThan(0));
  });

  it('accept every user event decideUserCommand produces (created, updated, deactivated, reactivated, deleted)', () => {
    const events = [];
    let current;
    for (const c of [
      command('User', 'create', userDoc()),
      command('User', 'replace', userDoc({ displayName: 'Ada' })),
      command('User', 'patch', { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] }),
      command('User', 'patch', { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: true }] }),
    ]) {
      const d = decideUserCommand(current, c, NOW, userResourceTypeSchemas);
      if (d.kind !== 'save') throw new Error(`expected save, got ${d.kind}: ${JSON.stringify(d)}`);
      events.push(d.event);
      current = d.state;
    }
    const deletion = userDeletionEvents(command('User', 'delete'), current!, [{ id: GROUP, displayName: 'Ops' }], NOW);
    events.push(deletion.deleted);
    expect(events.map((e) => e.type.split('.')[3])).toEqual(['created', 'updated', 'deactivated', 'reactivated', 'deleted']);
    for (const e of events) expect(v.forTopic('userChanged', JSON.parse(JSON.stringify(e)))).toEqual([]);
    for (const e of deletion.memberships) expect(v.forTopic('membershipChanged', JSON.parse(JSON.stringify(e)))).toEqual([]);
  });

  it('accept group and membership events from decideGroupCommand + finalizeGroupChange, also split in parts', () => {
    const create = command<GroupCommand>('Group', 'create', { schemas: [GROUP_SCHEMA], displayName: 'Ops', externalId: 'g-1' });
    const d = decideGroupCommand(undefined, create, NOW);
    if (d.kind !== 'save') throw new Error(`expected save, got ${d.kind}`);
    const diff = { added: ['u1', 'u2', 'u3'], removed: [] };
    const change = finalizeGroupChange(d, diff, create, NOW, 2)!;
    expect(change.events).toHaveLength(2);
    for (const e of change.events) expect(v.forTopic('groupChanged', JSON.parse(JSON.stringify(e)))).toEqual([]);
    const members = membershipEvents(create, { id: GROUP, displayName: 'Ops' }, diff, new Map([['u1', 2], ['u2', 5], ['u3', 1]]), NOW);
    for (const e of members) expect(v.forTopic('membershipChanged', JSON.parse(JSON.stringify(e)))).toEqual([]);
    const del = command<GroupCommand>('Group', 'delete');
    const gone = decideGroupCommand(change.state, del, NOW);
    if (gone.kind !== 'delete') throw new Error(`expected delete, got ${gone.kind}`);
    const deleted = finalizeGroupChange(gone, { added: [], removed: ['u1'] }, del, NOW)!;
    for (const e of deleted.events) expect(v.forTopic('groupChanged', JSON.parse(JSON.stringify(e)))).toEqual([]);
  });

  it.each<[string, (e: Record<string, unknown>) => unknown]>([
    ['a user event with another type', (e) => ({ ...e, type: 'dev.scimflow.group.created.v1' })],
    ['a user event with an unknown data field', (e) => ({ ...e, data: { ...(e.data as object), extra: 1 } })],
    ['a user event without id', (e) => ({ ...e, id: undefined })],
    ['a user event with a wrong specversion', (e) => ({ ...e, specversion: '0.3' })],
    ['a user event with sequence 0', (e) => ({ ...e, sequence: 0 })],
  ])('reject %s', (_, mutate) => {
    const d = decideUserCommand(undefined, command('User', 'create', userDoc()), NOW, userResourceTypeSchemas);
    if (d.kind !== 'save') throw new Error('expected save');
    const event = JSON.parse(JSON.stringify(d.event)) as Record<string, unknown>;
    expect(v.forTopic('userChanged', event)).toEqual([]);
    expect(v.forTopic('userChanged', JSON.parse(JSON.stringify(mutate(event)))).length).toBeGreaterThan(0);
  });

  it('accept a dead letter and reject one without its event', () => {
    const letter: WebhookDeadLetter = {
      v: 1,
      deadLetterId: '42',
      subscriptionId: 's-1',
      tenantId: TENANT,
      url: 'https://hooks.example.com/scim',
      eventId: 'e-1',
      eventType: 'dev.scimflow.user.created.v1',
      orderingKey: `${TENANT}:${USER}`,
      attempts: 7,
      queuedAt: NOW.toISOString(),
      lastAttemptAt: NOW.toISOString(),
      deadAt: NOW.toISOString(),
      lastStatus: 503,
      lastResponseExcerpt: 'busy',
      event: { specversion: '1.0', id: 'e-1', type: 'dev.scimflow.user.created.v1' },
    };
    expect(v.forTopic('deadLetters', letter)).toEqual([]);
    expect(v.forTopic('deadLetters', { ...letter, event: undefined }).length).toBeGreaterThan(0);
  });
});
