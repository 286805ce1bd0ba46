import { assertDocumentSize } from '../document-size';
import {
  CommandOutcome,
  diffDocuments,
  eventId,
  GROUP_CHANGED_DATASCHEMA,
  GroupChangedEvent,
  GroupEventType,
  GroupCommand,
  GroupEventTypeName,
  isUuid,
  MEMBERSHIP_CHANGED_DATASCHEMA,
  MembershipChangedEvent,
  MembershipDiff,
  membershipEventId,
  MembershipEventType,
  ProvisioningCommand,
  UserChangedEvent,
} from '@scimflow/contracts';
import {
  applyPatch,
  assertImmutableUnchanged,
  GROUP_SCHEMA,
  groupResourceTypeSchemas as groupTypes,
  compilePatchMessage,
  isPlainObject,
  normalizeResource,
  PatchOperation,
  ScimError,
} from '@scimflow/scim';
import type { FilterNode } from '@scimflow/scim';
import { groupColumns, GroupState } from './group-state';
import { EVENT_SOURCE, userEvent } from '../users/user-decision';
import { etag, UserState } from '../users/user-state';

export type { MembershipDiff } from '@scimflow/contracts';

/** At most this many member ids go into one group-changed event; a larger diff is split over several events. */
export const MAX_MEMBER_IDS_PER_EVENT = 1000;

/**
 * One step of a command's membership change. The reconciler applies the steps in order, each as one SQL statement
 * on the membership table (so a 50,000-member group is never loaded), and merges what each statement reports.
 */
export type MemberStep =
  | { op: 'add'; userIds: string[] }
  | { op: 'remove'; userIds: string[] }
  /** `remove` of path `members` without a value */
  | { op: 'removeAll' }
  /** the members become exactly these users (PUT, `replace` of `members`) */
  | { op: 'replace'; userIds: string[] };

export type GroupDecision =
  | { kind: 'reject'; error: ScimError }
  /**
   * The group's attributes after the command (`state.version`/`updatedAt` still the current ones: how far the version
   * moves depends on the membership diff, see finalizeGroupChange) and the membership steps to apply.
   */
  | { kind: 'save'; state: GroupState; before?: GroupState; memberSteps: MemberStep[] }
  | { kind: 'delete'; before: GroupState };

/**
 * What a command does to a group, decided without I/O, like decideUserCommand. Membership is decided as steps
 * because its effect depends on the membership table, which the reconciler changes with SQL.
 */
export function decideGroupCommand(current: GroupState | undefined, command: GroupCommand, now: Date): GroupDecision {
  try {
    return decide(current, command, now);
  } catch (e) {
    if (e instanceof ScimError) return { kind: 'reject', error: e };
    throw e;
  }
}

function decide(current: GroupState | undefined, command: GroupCommand, now: Date): GroupDecision {
  if (command.action !== 'create' && command.action !== 'import') {
    if (!current) throw ScimError.notFound(`Group ${command.resourceId} not found`);
    if (command.ifMatch && command.ifMatch !== '*' && command.ifMatch !== etag(current.version))
      throw new ScimError(412, `If-Match ${command.ifMatch} does not match the current version ${etag(current.version)}`);
  }
  switch (command.action) {
    case 'create': {
      if (current) throw ScimError.conflict(`Group ${command.resourceId} already exists`);
      const { document, userIds } = normalizeGroup(command.payload, 'create');
      const state: GroupState = {
        id: command.resourceId,
        tenantId: command.tenantId,
        ...groupColumns(document),
        document,
        version: 0,
        createdAt: now,
        updatedAt: now,
      };
      return { kind: 'save', state, memberSteps: userIds.length ? [{ op: 'add', userIds }] : [] };
    }
    case 'import': {
      // A product's own group (admin import): no members; Entra's writes or userType directives add them.
      if (current) throw ScimError.conflict(`Group ${command.resourceId} already exists`);
      const { document, userIds } = normalizeGroup(command.payload.document, 'create');
      if (userIds.length) throw ScimError.badRequest('invalidValue', 'an imported product group has no members: Entra or userType directives add them');
      const state: GroupState = {
        id: command.resourceId,
        tenantId: command.tenantId,
        ...groupColumns(document),
        document,
        version: 0,
        createdAt: now,
        updatedAt: now,
      };
      return { kind: 'save', state, memberSteps: [] };
    }
    case 'replace': {
      const { document, userIds } = normalizeGroup(command.payload, 'replace');
      assertImmutableUnchanged(current!.document, document, groupTypes);
      // PUT replaces everything it covers: members not listed are removed (RFC 7644 §3.5.1).
      return { kind: 'save', before: current, state: { ...current!, ...groupColumns(document), document }, memberSteps: [{ op: 'replace', userIds }] };
    }
    case 'patch': {
      const { attributeOps, memberSteps } = splitGroupPatch(compilePatchMessage(command.payload), current!.id);
      const document = attributeOps.length ? applyPatch(current!.document, attributeOps, groupTypes).document : current!.document;
      if (Object.keys(document).some((k) => k.toLowerCase() === 'members'))
        throw ScimError.badRequest('invalidPath', "members can be changed only through the path 'members' (or a 'members' key of a no-path value)");
      assertDocumentSize(document, 'Group');
      return { kind: 'save', before: current, state: { ...current!, ...groupColumns(document), document }, memberSteps };
    }
    case 'delete':
      return { kind: 'delete', before: current! };
    default:
      throw ScimError.badRequest('invalidSyntax', `unknown command action ${(command as { action: string }).action}`);
  }
}

/**
 * Validates a POST/PUT group body (normalizeResource with the Group schema) and splits off the member ids, which
 * are stored in the membership table rather than in the document.
 */
export function normalizeGroup(body: unknown, mode: 'create' | 'replace'): { document: Record<string, unknown>; userIds: string[] } {
  const { members, ...document } = normalizeResource(body, groupTypes, mode);
  return { document, userIds: memberIds(members, 'members') };
}

/**
 * The user ids of a `members` value: an array (or, in PATCH, a single object) of `{value, $ref?, display?, type?}`.
 * Ids are trimmed; UUIDs (the form of our ids) are lower-cased so that one user has one spelling; duplicates go.
 * Only Users can be members: nested groups are not supported, so `type` other than "User" is invalidValue.
 */
export function memberIds(value: unknown, label: string): string[] {
  if (value === null || value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  const ids: string[] = [];
  list.forEach((el, i) => {
    if (el === null) return;
    if (!isPlainObject(el)) throw invalid(`${label}[${i}] must be an object with a 'value' (the member's id)`);
    const id = member(el, 'value');
    if (typeof id !== 'string' || id.trim() === '') throw invalid(`${label}[${i}].value must be a non-empty string (the member's id)`);
    const type = member(el, 'type');
    if (type !== undefined && type !== null && (typeof type !== 'string' || type.toLowerCase() !== 'user'))
      throw invalid(`${label}[${i}]: only Users can be members of a group (type '${String(type)}' is not supported)`);
    const trimmed = id.trim();
    ids.push(isUuid(trimmed) ? trimmed.toLowerCase() : trimmed);
  });
  return [...new Set(ids)];
}

export interface GroupPatch {
  /** operations on the group's own attributes, for applyPatch */
  attributeOps: PatchOperation[];
  memberSteps: MemberStep[];
}

/**
 * Splits the member operations off a group PATCH; the rest goes to the PATCH engine. Shapes (Entra sends all):
 * - `{"op":"Add","path":"members","value":[{"value":"id1"},{"value":"id2"}]}` → add
 * - `{"op":"Remove","path":"members[value eq \"id\"]"}` (also `value eq "a" or value eq "b"`) → remove
 * - `{"op":"Remove","path":"members","value":[{"value":"id"}]}` → remove; without value → remove all
 * - `{"op":"Replace","path":"members","value":[…]}` → the members become exactly these
 * - no-path `{"op":"Add"|"Replace","value":{"members":[…], "displayName":"x", "id":"<this group's id>"}}`: `members`
 *   becomes an add/replace step; `id` is dropped when it names this group (Entra echoes it), else 400 mutability.
 * Other paths into members (sub-attributes, filters on anything but `value`, add/replace with a filter) are
 * 400 invalidPath: member elements have no writable sub-attributes.
 */
export function splitGroupPatch(ops: PatchOperation[], groupId: string): GroupPatch {
  const attributeOps: PatchOperation[] = [];
  const memberSteps: MemberStep[] = [];
  ops.forEach((op, i) => {
    const at = `Operations[${i}]`;
    if (op.path) {
      if (!isMembers(op.path.attribute.attribute, op.path.attribute.schema)) return void attributeOps.push(op);
      const label = `${at} (path '${op.rawPath ?? 'members'}')`;
      if (op.path.subAttribute !== undefined || op.path.attribute.subAttribute !== undefined)
        throw ScimError.badRequest('invalidPath', `${label}: members can only be added, removed or replaced as a whole`);
      if (op.path.valueFilter) {
        if (op.op !== 'remove') throw ScimError.badRequest('invalidPath', `${label}: a filter on members can only be used to remove them`);
        return void memberSteps.push({ op: 'remove', userIds: idsOfValueFilter(op.path.valueFilter, label) });
      }
      if (op.op === 'add') return void memberSteps.push({ op: 'add', userIds: memberIds(op.value, `${at}.value`) });
      if (op.op === 'replace') return void memberSteps.push({ op: 'replace', userIds: memberIds(op.value, `${at}.value`) });
      if (op.value === undefined || op.value === null) return void memberSteps.push({ op: 'removeAll' });
      return void memberSteps.push({ op: 'remove', userIds: memberIds(op.value, `${at}.value`) });
    }
    if (op.op === 'remove' || !isPlainObject(op.value)) return void attributeOps.push(op); // the engine reports these
    const rest: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(op.value)) {
      const lower = key.toLowerCase();
      if (lower === 'members' || lower === `${GROUP_SCHEMA.toLowerCase()}:members`) {
        memberSteps.push({ op: op.op === 'add' ? 'add' : 'replace', userIds: memberIds(value, `${at}.value.${key}`) });
      } else if (lower === 'id') {
        if (typeof value !== 'string' || value.toLowerCase() !== groupId.toLowerCase())
          throw ScimError.badRequest('mutability', `${at}: attribute 'id' is readOnly`);
      } else rest[key] = value;
    }
    if (Object.keys(rest).length) attributeOps.push({ ...op, value: rest });
  });
  return { attributeOps, memberSteps };
}

function isMembers(attribute: string, schema: string | undefined): boolean {
  return attribute.toLowerCase() === 'members' && (schema === undefined || schema.toLowerCase() === GROUP_SCHEMA.toLowerCase());
}

/** `value eq "id"`, or several joined by `or`: the ids; any other filter is invalidPath. */
function idsOfValueFilter(node: FilterNode, label: string): string[] {
  const ids: string[] = [];
  const visit = (n: FilterNode): void => {
    if (n.kind === 'or') {
      visit(n.left);
      visit(n.right);
      return;
    }
    if (n.kind === 'compare' && n.op === 'eq' && typeof n.value === 'string' && n.attribute.schema === undefined) {
      const name = n.attribute.subAttribute === undefined ? n.attribute.attribute : undefined;
      if (name?.toLowerCase() === 'value') return void ids.push(...memberIds([{ value: n.value }], label));
    }
    throw ScimError.badRequest('invalidPath', `${label}: members can be selected only by 'value eq "<id>"' (optionally joined with 'or')`);
  };
  visit(node);
  return [...new Set(ids)];
}

/**
 * Accumulates what each SQL step reported into the command's net diff: a user added and then removed by the
 * same command (or removed and re-added) did not change membership.
 */
export class MembershipDiffBuilder {
  private readonly added = new Set<string>();
  private readonly removed = new Set<string>();

  recordAdded(userIds: Iterable<string>): this {
    for (const id of userIds) {
      if (this.removed.has(id)) this.removed.delete(id);
      else this.added.add(id);
    }
    return this;
  }

  recordRemoved(userIds: Iterable<string>): this {
    for (const id of userIds) {
      if (this.added.has(id)) this.added.delete(id);
      else this.removed.add(id);
    }
    return this;
  }

  /** ids sorted, so events and their order are deterministic */
  result(): MembershipDiff {
    return { added: [...this.added].sort(), removed: [...this.removed].sort() };
  }
}

export function isEmptyDiff(diff: MembershipDiff): boolean {
  return diff.added.length === 0 && diff.removed.length === 0;
}

/** Splits a diff into parts of at most `max` ids in all (added first); always at least one (maybe empty) part. */
export function chunkMembershipDiff(diff: MembershipDiff, max = MAX_MEMBER_IDS_PER_EVENT): MembershipDiff[] {
  if (!Number.isInteger(max) || max < 1) throw new RangeError('max must be a positive integer');
  const all = [...diff.added.map((id) => ({ id, added: true })), ...diff.removed.map((id) => ({ id, added: false }))];
  const parts: MembershipDiff[] = [];
  for (let i = 0; i < all.length; i += max) {
    const slice = all.slice(i, i + max);
    parts.push({ added: slice.filter((x) => x.added).map((x) => x.id), removed: slice.filter((x) => !x.added).map((x) => x.id) });
  }
  return parts.length ? parts : [{ added: [], removed: [] }];
}

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
    return {
      specversion: '1.0',
      id: eventId(command.commandId, type, sequence),
      source: EVENT_SOURCE,
      type,
      subject: `tenants/${command.tenantId}/groups/${command.resourceId}`,
      time: now.toISOString(),
      datacontenttype: 'application/json',
      dataschema: GROUP_CHANGED_DATASCHEMA,
      tenantid: command.tenantId,
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
    };
  });
  return { state, events };
}

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
  return {
    specversion: '1.0',
    id: membershipEventId(command.commandId, type, userId, sequence),
    source: EVENT_SOURCE,
    type,
    subject: `tenants/${command.tenantId}/users/${userId}`,
    time: now.toISOString(),
    datacontenttype: 'application/json',
    dataschema: MEMBERSHIP_CHANGED_DATASCHEMA,
    tenantid: command.tenantId,
    sequence,
    data: { userId, groupId: group.id, groupDisplayName: group.displayName, commandId: command.commandId },
  };
}

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

/** The outcome the ingress answers with; the resource carries the group without members. */
export function groupOutcome(
  command: ProvisioningCommand,
  result: { error: ScimError } | { deleted: true } | { state: GroupState; created: boolean },
): CommandOutcome {
  if ('error' in result) return { commandId: command.commandId, status: result.error.status, error: result.error.toBody() };
  if ('deleted' in result) return { commandId: command.commandId, status: 204 };
  const s = result.state;
  return {
    commandId: command.commandId,
    status: result.created ? 201 : 200,
    resource: { id: s.id, document: s.document, version: s.version, created: s.createdAt.toISOString(), lastModified: s.updatedAt.toISOString() },
  };
}

const invalid = (detail: string) => ScimError.badRequest('invalidValue', detail);

/** Member names of a member element compare case-insensitively, like every SCIM attribute name. */
function member(obj: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : obj[key];
}
