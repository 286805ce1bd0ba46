import {
  MEMBERSHIP_CHANGED_DATASCHEMA,
  MembershipChangedEvent,
  MembershipDiff,
  membershipEventId,
  MembershipEventType,
  ProvisioningCommand,
} from '@scimflow/contracts';
import { reconcilerEvent } from '../reconciler-event';

/**
 * One event per user whose membership changed, on that user's key. Its sequence is the user's version after the
 * change: membership changes advance the user's version (the user's `groups` attribute changed), so user-changed
 * and membership-changed events of one user share one gapless sequence.
 */
export function membershipEvents(
  command: ProvisioningCommand,
  group: { id: string; displayName: string },
  diff: MembershipDiff,
  userVersions: ReadonlyMap<string, number>,
  now: Date,
): MembershipChangedEvent[] {
  const events: MembershipChangedEvent[] = [];
  const emit = (userId: string, type: (typeof MembershipEventType)[keyof typeof MembershipEventType]) => {
    const sequence = userVersions.get(userId);
    // The reconciler advances the version of every user in the diff; a gap here is a bug, not bad input.
    if (sequence === undefined) throw new Error(`no new version for user ${userId} of a membership change`);
    events.push(membershipEvent(command, userId, group, type, sequence, now));
  };
  diff.added.forEach((id) => emit(id, MembershipEventType.added));
  diff.removed.forEach((id) => emit(id, MembershipEventType.removed));
  return events;
}

export function membershipEvent(
  command: ProvisioningCommand,
  userId: string,
  group: { id: string; displayName: string },
  type: (typeof MembershipEventType)[keyof typeof MembershipEventType],
  sequence: number,
  now: Date,
): MembershipChangedEvent {
  return reconcilerEvent(command, now, {
    id: membershipEventId(command.commandId, type, userId, sequence),
    type,
    subject: `tenants/${command.tenantId}/users/${userId}`,
    dataschema: MEMBERSHIP_CHANGED_DATASCHEMA,
    sequence,
    data: { userId, groupId: group.id, groupDisplayName: group.displayName, commandId: command.commandId },
  });
}
