import {
  contractValidator,
  TEST_GROUP as GROUP,
  TEST_NOW as NOW,
  testCommand as command,
  testPatch as patch,
  testUserDoc as userDoc,
} from '@scimflow/contracts/schemas/test-helpers';
import { GroupCommand } from '@scimflow/contracts';
import { GROUP_SCHEMA, userResourceTypeSchemas } from '@scimflow/scim';
import { finalizeGroupChange } from './groups/group-change';
import { decideGroupCommand } from './groups/group-decision';
import { membershipEvents } from './groups/membership-events';
import { userDeletionEvents } from './users/user-deletion-events';
import { decideUserCommand } from './users/user-decision';

// The events these decisions produce are what the contract schemas (libs/contracts) describe.
const v = contractValidator();

describe('contract schemas', () => {
  it('accept every user event decideUserCommand produces (created, updated, deactivated, reactivated, deleted)', () => {
    const events = [];
    let current;
    for (const c of [
      command('User', 'create', userDoc()),
      command('User', 'replace', userDoc({ displayName: 'Ada' })),
      command('User', 'patch', patch({ op: 'replace', path: 'active', value: false })),
      command('User', 'patch', patch({ op: 'replace', path: 'active', value: true })),
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
    const members = membershipEvents(
      create,
      { id: GROUP, displayName: 'Ops' },
      diff,
      new Map([
        ['u1', 2],
        ['u2', 5],
        ['u3', 1],
      ]),
      NOW,
    );
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
});
