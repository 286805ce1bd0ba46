import { createHash } from 'node:crypto';
import { AttributeChange, CloudEvent, UserChangedEvent } from './events';

export const GroupEventType = {
  created: 'dev.scimflow.group.created.v1',
  updated: 'dev.scimflow.group.updated.v1',
  deleted: 'dev.scimflow.group.deleted.v1',
} as const;
export type GroupEventTypeName = (typeof GroupEventType)[keyof typeof GroupEventType];

export const MembershipEventType = {
  added: 'dev.scimflow.membership.added.v1',
  removed: 'dev.scimflow.membership.removed.v1',
} as const;
export type MembershipEventTypeName = (typeof MembershipEventType)[keyof typeof MembershipEventType];

export const GROUP_CHANGED_DATASCHEMA = 'https://scimflow.dev/schemas/events/group-changed/v1.json';
export const MEMBERSHIP_CHANGED_DATASCHEMA = 'https://scimflow.dev/schemas/events/membership-changed/v1.json';

/** The users that became members (`added`) or stopped being members (`removed`) of a group. */
export interface MembershipDiff {
  added: string[];
  removed: string[];
}

export interface GroupChangedData {
  groupId: string;
  externalId?: string | null;
  displayName: string;
  commandId: string;
  /** attributes other than members that differ (before/after); only on the first part of a command */
  changes: AttributeChange[];
  /** the user ids added and removed by this part of the command (at most a bounded number per event) */
  members: MembershipDiff;
  /** totals over the whole command, whatever the number of parts */
  memberCounts: { added: number; removed: number };
  /** a command whose membership diff is large is split over several events: this is part `index` (1-based) of `count` */
  part: { index: number; count: number };
  /** the group after the change, without members; absent on delete */
  group?: Record<string, unknown>;
}

export type GroupChangedEvent = CloudEvent<GroupChangedData>;

export interface MembershipChangedData {
  userId: string;
  groupId: string;
  groupDisplayName: string;
  commandId: string;
}

export type MembershipChangedEvent = CloudEvent<MembershipChangedData>;

/** Every event scimflow publishes, as consumers (the notifier, webhooks) receive it. */
export type ChangeEvent = UserChangedEvent | GroupChangedEvent | MembershipChangedEvent;

/**
 * Like eventId, plus the user: one group command emits membership events for many users with the same type and,
 * possibly, the same per-user sequence number.
 */
export function membershipEventId(commandId: string, type: string, userId: string, sequence: number): string {
  const h = createHash('sha256').update(`${commandId}|${type}|${userId}|${sequence}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function isMembershipEvent(e: { type: string }): e is MembershipChangedEvent {
  return e.type === MembershipEventType.added || e.type === MembershipEventType.removed;
}
