import { MembershipChangedEvent, MembershipEventType, ProvisioningCommand, UserChangedEvent } from '@scimflow/contracts';
import { membershipEvent } from '../groups/membership-events';
import { userEvent } from './user-events';
import { UserState } from './user-state';

/**
 * A user's deletion removes the user from every group: one membership-removed event per group (sequences after the
 * user's current version, in group id order), then the user-deleted event, which stays the user's last event.
 */
export function userDeletionEvents(
  command: ProvisioningCommand,
  user: UserState,
  removedFrom: { id: string; displayName: string }[],
  now: Date,
  mode: 'soft' | 'hard' = 'hard',
): { memberships: MembershipChangedEvent[]; deleted: UserChangedEvent; kept?: UserState } {
  const groups = [...removedFrom].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const memberships = groups.map((g, i) => membershipEvent(command, user.id, g, MembershipEventType.removed, user.version + i + 1, now));
  const last = { ...user, version: user.version + groups.length };
  const deleted = userEvent(command, last, undefined, now, { deleteMode: mode });
  // A soft delete keeps the row, inactive and unlinked (a later SCIM create with its userName or email claims it).
  const kept: UserState | undefined =
    mode === 'soft'
      ? { ...last, document: { ...last.document, active: false }, active: false, linked: false, deletedAt: now, version: deleted.sequence, updatedAt: now }
      : undefined;
  return { memberships, deleted, kept };
}
