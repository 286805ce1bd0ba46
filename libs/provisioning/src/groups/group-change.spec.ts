import { GroupChangedEvent, GroupCommand } from '@scimflow/contracts';
import { GROUP_SCHEMA } from '@scimflow/scim';
import { finalizeGroupChange } from './group-change';
import { decideGroupCommand, GroupDecision } from './group-decision';
import { GroupState } from './group-state';
import { MembershipDiff } from './membership-diff';
import { command, EARLIER, envelope, GROUP, NOW, patchCommand, saved, stored, TENANT, U1, U2, U3 } from './test-helpers';

describe('finalizeGroupChange: versions and group-changed events', () => {
  const none: MembershipDiff = { added: [], removed: [] };
  const save = (cmd: GroupCommand, current?: GroupState) => saved(decideGroupCommand(current, cmd, NOW));

  it('create: version 1, one created event with the group and the added members', () => {
    const d = save(command('create', { schemas: [GROUP_SCHEMA], displayName: 'Ops', externalId: 'e' }));
    const change = finalizeGroupChange(d, { added: [U1, U2], removed: [] }, envelope('create'), NOW)!;
    expect(change.state).toMatchObject({ version: 1, createdAt: NOW, updatedAt: NOW });
    expect(change.events).toHaveLength(1);
    const [e] = change.events;
    expect(e).toMatchObject({
      specversion: '1.0',
      type: 'dev.scimflow.group.created.v1',
      source: '/scimflow/reconciler',
      subject: `tenants/${TENANT}/groups/${GROUP}`,
      dataschema: 'https://scimflow.dev/schemas/events/group-changed/v1.json',
      tenantid: TENANT,
      sequence: 1,
      time: NOW.toISOString(),
      data: {
        groupId: GROUP,
        displayName: 'Ops',
        externalId: 'e',
        members: { added: [U1, U2], removed: [] },
        memberCounts: { added: 2, removed: 0 },
        part: { index: 1, count: 1 },
        group: { id: GROUP, schemas: [GROUP_SCHEMA], displayName: 'Ops', externalId: 'e' },
      },
    });
    expect(e.data.changes).toEqual([
      { attribute: 'displayName', after: 'Ops' },
      { attribute: 'externalId', after: 'e' },
      { attribute: 'schemas', after: [GROUP_SCHEMA] },
    ]);
  });

  it('rename: one updated event with before/after, version +1', () => {
    const d = save(patchCommand({ op: 'Replace', path: 'displayName', value: 'Ops 2' }), stored());
    const change = finalizeGroupChange(d, none, envelope('patch'), NOW)!;
    expect(change.state).toMatchObject({ version: 4, displayName: 'Ops 2', createdAt: EARLIER, updatedAt: NOW, id: GROUP });
    expect(change.events.map((e) => [e.type, e.sequence])).toEqual([['dev.scimflow.group.updated.v1', 4]]);
    expect(change.events[0].data.changes).toEqual([{ attribute: 'displayName', before: 'Ops', after: 'Ops 2' }]);
    expect(change.events[0].data.members).toEqual(none);
  });

  it('membership-only change: updated event, no attribute changes', () => {
    const d = save(patchCommand({ op: 'Add', path: 'members', value: [{ value: U1 }] }), stored());
    const change = finalizeGroupChange(d, { added: [U1], removed: [] }, envelope('patch'), NOW)!;
    expect(change.events[0]).toMatchObject({
      type: 'dev.scimflow.group.updated.v1',
      sequence: 4,
      data: { changes: [], members: { added: [U1], removed: [] } },
    });
  });

  it('nothing changed (member already there, same name): no event, no new version', () => {
    const d = save(patchCommand({ op: 'Add', path: 'members', value: [{ value: U1 }] }, { op: 'Replace', path: 'displayName', value: 'Ops' }), stored());
    expect(finalizeGroupChange(d, none, envelope('patch'), NOW)).toBeUndefined();
  });

  it('a large diff is split: one event per part, each with its own sequence; version = last sequence', () => {
    const added = Array.from({ length: 2500 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const d = save(patchCommand({ op: 'Replace', path: 'displayName', value: 'Big' }), stored());
    const change = finalizeGroupChange(d, { added, removed: [U3] }, envelope('patch'), NOW)!;
    expect(change.events.map((e) => e.sequence)).toEqual([4, 5, 6]);
    expect(change.state!.version).toBe(6);
    expect(change.events.map((e) => e.data.part)).toEqual([
      { index: 1, count: 3 },
      { index: 2, count: 3 },
      { index: 3, count: 3 },
    ]);
    expect(change.events.map((e) => e.data.members.added.length + e.data.members.removed.length)).toEqual([1000, 1000, 501]);
    expect(change.events.every((e) => e.type === 'dev.scimflow.group.updated.v1')).toBe(true);
    expect(change.events.map((e) => e.data.changes.length)).toEqual([1, 0, 0]);
    expect(change.events.every((e) => e.data.memberCounts.added === 2500 && e.data.memberCounts.removed === 1)).toBe(true);
    expect(new Set(change.events.map((e) => e.id)).size).toBe(3);
  });

  it('delete: deleted event(s) listing the removed members, no group, sequences after the last version', () => {
    const d = decideGroupCommand(stored(), command('delete'), NOW) as Extract<GroupDecision, { kind: 'delete' }>;
    const removed = Array.from({ length: 1500 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const change = finalizeGroupChange(d, { added: [], removed }, command('delete'), NOW)!;
    expect(change.state).toBeUndefined();
    expect(change.events.map((e) => [e.type, e.sequence])).toEqual([
      ['dev.scimflow.group.deleted.v1', 4],
      ['dev.scimflow.group.deleted.v1', 5],
    ]);
    expect(change.events.every((e) => e.data.group === undefined && e.data.displayName === 'Ops')).toBe(true);
    expect(change.events.flatMap((e) => e.data.members.removed)).toEqual(removed);
  });

  it('delete of an empty group: one deleted event', () => {
    const d = decideGroupCommand(stored(), command('delete'), NOW) as Extract<GroupDecision, { kind: 'delete' }>;
    const change = finalizeGroupChange(d, none, command('delete'), NOW)!;
    expect(change.events.map((e: GroupChangedEvent) => [e.type, e.sequence, e.data.members])).toEqual([['dev.scimflow.group.deleted.v1', 4, none]]);
  });

  it('is deterministic: the same command gives the same event ids (replays de-duplicate)', () => {
    const d = save(patchCommand({ op: 'Replace', path: 'displayName', value: 'Ops 2' }), stored());
    const a = finalizeGroupChange(d, { added: [U1], removed: [] }, envelope('patch'), NOW)!;
    const b = finalizeGroupChange(d, { added: [U1], removed: [] }, envelope('patch'), NOW)!;
    expect(a.events.map((e) => e.id)).toEqual(b.events.map((e) => e.id));
  });
});
