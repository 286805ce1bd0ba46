import {
  diffDocuments,
  eventId,
  GROUP_CHANGED_DATASCHEMA,
  GroupChangedEvent,
  GroupEventType,
  GroupEventTypeName,
  MembershipDiff,
  ProvisioningCommand,
} from '@scimflow/contracts';
import { reconcilerEvent } from '../reconciler-event';
import { GroupDecision } from './group-decision';
import { GroupState } from './group-state';
import { chunkMembershipDiff, isEmptyDiff, MAX_MEMBER_IDS_PER_EVENT } from './membership-diff';

export interface GroupChange {
  /** the group after the command (absent on delete), version advanced by one per event */
  state?: GroupState;
  events: GroupChangedEvent[];
}

/**
 * Turns a decision plus the membership diff the SQL steps produced into the final group state and its events;
 * undefined when nothing changed (no event, no new version). Each event has its own per-group sequence, so a
 * command whose diff needs several events advances the version by that many; `meta.version` equals the sequence of
 * the group's last event.
 */
export function finalizeGroupChange(
  decision: Extract<GroupDecision, { kind: 'save' | 'delete' }>,
  diff: MembershipDiff,
  command: ProvisioningCommand,
  now: Date,
  maxIdsPerEvent = MAX_MEMBER_IDS_PER_EVENT,
): GroupChange | undefined {
  const before = decision.before;
  const after = decision.kind === 'save' ? decision.state : undefined;
  const changes = diffDocuments(before?.document, after?.document);
  if (before && after && changes.length === 0 && isEmptyDiff(diff)) return undefined;
  const type: GroupEventTypeName = !before ? GroupEventType.created : !after ? GroupEventType.deleted : GroupEventType.updated;
  const parts = chunkMembershipDiff(diff, maxIdsPerEvent);
  const base = before?.version ?? 0;
  const subject = (before ?? after)!;
  const state = after && { ...after, version: base + parts.length, updatedAt: now };
  const events = parts.map((part, i): GroupChangedEvent => {
    const sequence = base + i + 1;
    return reconcilerEvent(command, now, {
      id: eventId(command.commandId, type, sequence),
      type,
      subject: `tenants/${command.tenantId}/groups/${command.resourceId}`,
      dataschema: GROUP_CHANGED_DATASCHEMA,
      sequence,
      data: {
        groupId: command.resourceId,
        externalId: (state ?? subject).externalId,
        displayName: (state ?? subject).displayName,
        commandId: command.commandId,
        changes: i === 0 ? changes : [],
        members: part,
        memberCounts: { added: diff.added.length, removed: diff.removed.length },
        part: { index: i + 1, count: parts.length },
        group: state ? { id: state.id, ...state.document } : undefined,
      },
    });
  });
  return { state, events };
}
