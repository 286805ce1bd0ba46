import { deepEqual, ownValue } from '@scimflow/scim';
import { createHash } from 'node:crypto';

// The envelope and the state pull's items are defined in the client package, which product services install.
import type { CloudEvent } from '../../../packages/client/src/events';
export type { CloudEvent, StateGroup, StateUser } from '../../../packages/client/src/events';

export const UserEventType = {
  created: 'dev.scimflow.user.created.v1',
  updated: 'dev.scimflow.user.updated.v1',
  deactivated: 'dev.scimflow.user.deactivated.v1',
  reactivated: 'dev.scimflow.user.reactivated.v1',
  deleted: 'dev.scimflow.user.deleted.v1',
} as const;
export type UserEventTypeName = (typeof UserEventType)[keyof typeof UserEventType];

export const USER_CHANGED_DATASCHEMA = 'https://scimflow.dev/schemas/events/user-changed/v1.json';

/** One changed top-level attribute: its value before and after (undefined = absent). */
export interface AttributeChange {
  attribute: string;
  before?: unknown;
  after?: unknown;
}

export interface UserChangedData {
  userId: string;
  externalId?: string | null;
  userName: string;
  active: boolean;
  /** the command that caused the change */
  commandId: string;
  changes: AttributeChange[];
  /** the whole user after the change; absent on delete */
  user?: Record<string, unknown>;
  // Optional fields added within v1 (absent in events written before them).
  /** how the user signs in to the product; absent on delete */
  loginMethod?: 'sso' | 'builtIn';
  /** `import`: the user came from the product's bulk import; `scim`: created through SCIM */
  origin?: 'scim' | 'import';
  /** false while the user is an imported (or soft-deleted) user that no Entra write has claimed yet */
  linked?: boolean;
  /** on a create that claimed an existing unlinked user instead of creating one: which attribute matched */
  matchedBy?: 'userName' | 'email';
  /** on delete: `soft` keeps the user's record in the product (hidden from SCIM), `hard` removes it */
  deleteMode?: 'soft' | 'hard';
  /** role names that match no product role, recorded because the tenant records rather than rejects them */
  unmatchedRoles?: string[];
}

export type UserChangedEvent = CloudEvent<UserChangedData>;

/**
 * Event ids are derived, not random: the same command applied twice would produce the same id,
 * so downstream de-duplication works even across a replay.
 */
export function eventId(commandId: string, type: string, sequence: number): string {
  const h = createHash('sha256').update(`${commandId}|${type}|${sequence}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Top-level attribute differences between two SCIM documents (deep equality per attribute). */
export function diffDocuments(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): AttributeChange[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: AttributeChange[] = [];
  for (const attribute of [...keys].sort()) {
    const b = ownValue(before, attribute);
    const a = ownValue(after, attribute);
    if (!deepEqual(a, b)) changes.push({ attribute, before: b, after: a });
  }
  return changes;
}

/** Classifies a user change for the event type; activity transitions get their own types. */
export function userEventType(before: { active: boolean } | undefined, after: { active: boolean } | undefined): UserEventTypeName {
  if (!before) return UserEventType.created;
  if (!after) return UserEventType.deleted;
  if (before.active && !after.active) return UserEventType.deactivated;
  if (!before.active && after.active) return UserEventType.reactivated;
  return UserEventType.updated;
}
