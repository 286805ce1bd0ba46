import { MembershipEventType } from '@scimflow/contracts';
import { command, imported, IMPORTED, NOW, TENANT, valid } from './test-helpers';
import { userDeletionEvents } from './user-deletion-events';
import { SCIM_USER_LIFECYCLE, UserState } from './user-state';

const U1 = '00000000-0000-4000-8000-000000000001';
const GROUP = '9a1b0000-0000-4000-8000-0000000000aa';
const EARLIER = new Date('2026-11-01T08:00:00.000Z');

describe('userDeletionEvents: leaving every group, then deleted', () => {
  const user: UserState = {
    id: U1,
    tenantId: TENANT,
    userName: 'ada@contoso.example',
    externalId: 'ada',
    active: true,
    document: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada@contoso.example' },
    version: 7,
    createdAt: EARLIER,
    updatedAt: EARLIER,
    workEmail: null,
    ...SCIM_USER_LIFECYCLE,
  };
  const del = command(U1, 'delete');

  it('without groups: just the deleted event at version + 1', () => {
    const { memberships, deleted } = userDeletionEvents(del, user, [], NOW);
    expect(memberships).toEqual([]);
    expect([deleted.type, deleted.sequence]).toEqual(['dev.scimflow.user.deleted.v1', 8]);
  });

  it('with groups: removed events (group id order) take the next sequences, deleted is last', () => {
    const G2 = 'ffff0000-0000-4000-8000-000000000000';
    const { memberships, deleted } = userDeletionEvents(
      del,
      user,
      [
        { id: G2, displayName: 'Zeta' },
        { id: GROUP, displayName: 'Ops' },
      ],
      NOW,
    );
    expect(memberships.map((e) => [e.type, e.data.groupId, e.data.groupDisplayName, e.sequence])).toEqual([
      [MembershipEventType.removed, GROUP, 'Ops', 8],
      [MembershipEventType.removed, G2, 'Zeta', 9],
    ]);
    expect([deleted.type, deleted.sequence, deleted.data.userId]).toEqual(['dev.scimflow.user.deleted.v1', 10, U1]);
  });
});

describe('soft delete', () => {
  it('leaves the groups, then a deleted event saying soft; the kept user is inactive, unlinked, at the event sequence', () => {
    const user = { ...imported(), linked: true, version: 4 };
    const { memberships, deleted, kept } = userDeletionEvents(
      command(IMPORTED, 'delete'),
      user,
      [
        { id: 'g2', displayName: 'B' },
        { id: 'g1', displayName: 'A' },
      ],
      NOW,
      'soft',
    );
    expect(memberships.map((e) => [e.data.groupId, e.sequence])).toEqual([
      ['g1', 5],
      ['g2', 6],
    ]);
    expect([deleted.type, deleted.sequence, deleted.data.deleteMode]).toEqual(['dev.scimflow.user.deleted.v1', 7, 'soft']);
    expect(kept).toMatchObject({ version: 7, active: false, linked: false, deletedAt: NOW });
    expect(kept!.document.active).toBe(false);
    valid(deleted);
  });

  it('a hard delete says hard and keeps nothing', () => {
    const { deleted, kept } = userDeletionEvents(command(IMPORTED, 'delete'), imported(), [], NOW);
    expect([deleted.data.deleteMode, kept]).toEqual(['hard', undefined]);
    valid(deleted);
  });
});
