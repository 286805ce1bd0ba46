import { MembershipEventType } from '@scimflow/contracts';
import { command, EARLIER, GROUP, NOW, TENANT, U1 } from '../groups/test-helpers';
import { userDeletionEvents } from './user-deletion-events';
import { SCIM_USER_LIFECYCLE, UserState } from './user-state';

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
  const del = { ...command('delete'), resourceType: 'User' as const, resourceId: U1 };

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
