import { MembershipEventType } from '@scimflow/contracts';
import { membershipEvents } from './membership-events';
import { envelope, GROUP, NOW, TENANT, U1, U2, U3 } from './test-helpers';

describe('membershipEvents: one per affected user, on the user’s sequence', () => {
  const group = { id: GROUP, displayName: 'Ops' };

  it('emits added and removed events with each user’s new version as sequence', () => {
    const events = membershipEvents(
      envelope('patch'),
      group,
      { added: [U1, U2], removed: [U3] },
      new Map([
        [U1, 5],
        [U2, 2],
        [U3, 9],
      ]),
      NOW,
    );
    expect(events.map((e) => [e.type, e.data.userId, e.sequence, e.subject])).toEqual([
      [MembershipEventType.added, U1, 5, `tenants/${TENANT}/users/${U1}`],
      [MembershipEventType.added, U2, 2, `tenants/${TENANT}/users/${U2}`],
      [MembershipEventType.removed, U3, 9, `tenants/${TENANT}/users/${U3}`],
    ]);
    expect(events[0]).toMatchObject({
      specversion: '1.0',
      dataschema: 'https://scimflow.dev/schemas/events/membership-changed/v1.json',
      tenantid: TENANT,
      data: { userId: U1, groupId: GROUP, groupDisplayName: 'Ops', commandId: envelope('patch').commandId },
    });
  });

  it('gives distinct ids to users that share type and sequence', () => {
    const events = membershipEvents(
      envelope('patch'),
      group,
      { added: [U1, U2], removed: [] },
      new Map([
        [U1, 2],
        [U2, 2],
      ]),
      NOW,
    );
    expect(events[0].id).not.toBe(events[1].id);
  });

  it('nothing for an empty diff', () => {
    expect(membershipEvents(envelope('patch'), group, { added: [], removed: [] }, new Map(), NOW)).toEqual([]);
  });

  it('refuses a user without a new version (the reconciler must advance every affected user)', () => {
    expect(() => membershipEvents(envelope('patch'), group, { added: [U1], removed: [] }, new Map(), NOW)).toThrow(/no new version/);
  });
});
