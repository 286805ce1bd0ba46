import { AttributeChange, diffDocuments, eventId, ProvisioningCommand, USER_CHANGED_DATASCHEMA, UserChangedEvent, userEventType } from '@scimflow/contracts';
import { reconcilerEvent } from '../reconciler-event';
import type { MatchedBy } from './user-decision';
import { UserState } from './user-state';

/** What an event says beyond the before/after states. */
export interface UserEventDetail {
  matchedBy?: MatchedBy;
  deleteMode?: 'soft' | 'hard';
  unmatchedRoles?: string[];
}

/**
 * The change event; its sequence is the user's version after the change (delete: one past the last). A create
 * that claims a soft-deleted user is a `created` event (the user had been deleted for SCIM) whose `changes` are
 * relative to the kept document.
 */
export function userEvent(
  command: ProvisioningCommand,
  before: UserState | undefined,
  after: UserState | undefined,
  now: Date,
  detail: UserEventDetail = {},
  documentChanges?: AttributeChange[],
): UserChangedEvent {
  const restored = before?.deletedAt && after ? true : false;
  const type = userEventType(restored ? undefined : before, after);
  const sequence = after ? after.version : before!.version + 1;
  const subjectState = (after ?? before)!;
  // `documentChanges`: the diff of the two documents when the caller has it already
  const changes = documentChanges ? [...documentChanges] : diffDocuments(before?.document, after?.document);
  if (before && after && before.loginMethod !== after.loginMethod)
    changes.push({ attribute: 'loginMethod', before: before.loginMethod, after: after.loginMethod });
  return reconcilerEvent(command, now, {
    id: eventId(command.commandId, type, sequence),
    type,
    subject: `tenants/${command.tenantId}/users/${subjectState.id}`,
    dataschema: USER_CHANGED_DATASCHEMA,
    sequence,
    data: {
      userId: subjectState.id,
      externalId: subjectState.externalId,
      userName: subjectState.userName,
      active: after ? after.active : false,
      commandId: command.commandId,
      changes,
      user: after ? { id: after.id, ...after.document } : undefined,
      ...(after
        ? { loginMethod: after.loginMethod, origin: after.origin, linked: after.linked }
        : { origin: before!.origin, deleteMode: detail.deleteMode ?? 'hard' }),
      ...(detail.matchedBy ? { matchedBy: detail.matchedBy } : {}),
      ...(detail.unmatchedRoles?.length ? { unmatchedRoles: detail.unmatchedRoles } : {}),
    },
  });
}
