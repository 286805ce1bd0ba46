import { assertDocumentSize } from '../document-size';
import {
  AttributeChange,
  CommandOutcome,
  LoginMethod,
  diffDocuments,
  eventId,
  ProvisioningCommand,
  USER_CHANGED_DATASCHEMA,
  UserChangedEvent,
  UserCommand,
  userEventType,
} from '@scimflow/contracts';
import { applyPatch, compilePatchMessage, normalizeResource, ResourceTypeSchemas, ScimError } from '@scimflow/scim';
import { etag } from '../etag';
import { EVENT_SOURCE } from '../event-source';
import { SCIM_USER_LIFECYCLE, userColumns, UserState } from './user-state';

export type UserDecision =
  | { kind: 'reject'; error: ScimError }
  /** nothing to write (a PATCH that changes nothing); answer with the current state */
  | { kind: 'unchanged'; state: UserState }
  | UserSave
  | { kind: 'delete'; event: UserChangedEvent };

export interface UserSave {
  kind: 'save';
  state: UserState;
  /** the stored state this write changes; undefined when the user is new */
  before?: UserState;
  /** a new row (create, import); a claim updates an existing row but answers 201 like a create */
  isNew: boolean;
  /** a create that took over an unlinked user (imported, or soft-deleted) matched by this attribute */
  claimed?: MatchedBy;
  event: UserChangedEvent;
}

export type MatchedBy = 'userName' | 'email';

/** An unlinked user that a SCIM create matched (userName first, then work email): the create claims it. */
export interface UserClaim {
  user: UserState;
  matchedBy: MatchedBy;
}

/**
 * What a command does to a user, decided without I/O: the reconciler loads `current` (and, for a create, an
 * unlinked user it matches: `claim`, see claimCandidate) and the tenant's User resource type (`types`: core,
 * enterprise and the tenant's extensions), calls this, and writes the result and its event in one transaction.
 * Deterministic for a given (current, command, now, types, claim), which is what makes replays reproduce the same
 * state and event ids. The command's payload is trusted as readCommand read it (a PATCH message is validated).
 */
export function decideUserCommand(
  current: UserState | undefined,
  command: UserCommand,
  now: Date,
  types: ResourceTypeSchemas,
  claim?: UserClaim,
): UserDecision {
  try {
    return decide(current, command, now, types, claim);
  } catch (e) {
    if (e instanceof ScimError) return { kind: 'reject', error: e };
    throw e;
  }
}

function decide(
  current: UserState | undefined,
  command: UserCommand,
  now: Date,
  userResourceType: ResourceTypeSchemas,
  claim: UserClaim | undefined,
): UserDecision {
  const creates = command.action === 'create' || command.action === 'import';
  if (!creates) {
    // A soft-deleted user is gone for SCIM and for the admin API alike.
    if (!current || current.deletedAt) throw ScimError.notFound(`User ${command.resourceId} not found`);
    if (command.ifMatch && command.ifMatch !== '*' && command.ifMatch !== etag(current.version))
      throw new ScimError(412, `If-Match ${command.ifMatch} does not match the current version ${etag(current.version)}`);
  } else if (current) {
    // A redelivered create is caught earlier by the command id; an id collision is a genuine conflict.
    throw ScimError.conflict(`User ${command.resourceId} already exists`);
  }

  switch (command.action) {
    case 'create': {
      const document = normalizeResource(command.payload, userResourceType, 'create');
      if (claim) return claimUser(claim, document, command, now);
      return newUser(command, document, SCIM_USER_LIFECYCLE, now);
    }
    case 'import': {
      const document = normalizeResource(command.payload.document, userResourceType, 'create');
      return newUser(command, document, { loginMethod: command.payload.loginMethod ?? 'sso', origin: 'import', linked: false, deletedAt: null }, now);
    }
    case 'replace': {
      const document = normalizeResource(command.payload, userResourceType, 'replace');
      return saveChange(current!, { document }, command, now);
    }
    case 'patch': {
      const ops = compilePatchMessage(command.payload);
      const { document, changed } = applyPatch(current!.document, ops, userResourceType);
      if (!changed) return { kind: 'unchanged', state: current! };
      assertDocumentSize(document, 'User');
      return saveChange(current!, { document }, command, now);
    }
    case 'setLoginMethod':
      return saveChange(current!, { loginMethod: command.payload.loginMethod }, command, now);
    case 'delete':
      return { kind: 'delete', event: userEvent(command, current, undefined, now) };
    default:
      throw ScimError.badRequest('invalidSyntax', `unknown command action ${(command as { action: string }).action}`);
  }
}

/** A new user at version 1 (a SCIM create, or an import with its own lifecycle). */
function newUser(command: ProvisioningCommand, document: Record<string, unknown>, lifecycle: typeof SCIM_USER_LIFECYCLE, now: Date): UserDecision {
  const state: UserState = {
    id: command.resourceId,
    tenantId: command.tenantId,
    ...userColumns(document),
    document,
    version: 1,
    createdAt: now,
    updatedAt: now,
    ...lifecycle,
  };
  return { kind: 'save', state, isNew: true, event: userEvent(command, undefined, state, now) };
}

/**
 * A create that matched an unlinked user takes it over: Entra's document replaces the imported one (or the
 * soft-deleted one), the user is linked and visible again, and keeps its id, history and login method.
 */
function claimUser(claim: UserClaim, document: Record<string, unknown>, command: ProvisioningCommand, now: Date): UserDecision {
  const before = claim.user;
  const state: UserState = { ...before, ...userColumns(document), document, version: before.version + 1, updatedAt: now, linked: true, deletedAt: null };
  return { kind: 'save', state, before, isNew: false, claimed: claim.matchedBy, event: userEvent(command, before, state, now, { matchedBy: claim.matchedBy }) };
}

/** A SCIM write to a user (or a product-side change) links it: Entra now manages it. */
function saveChange(
  current: UserState,
  change: { document?: Record<string, unknown>; loginMethod?: LoginMethod },
  command: ProvisioningCommand,
  now: Date,
): UserDecision {
  const document = change.document ?? current.document;
  const loginMethod = change.loginMethod ?? current.loginMethod;
  const changes = diffDocuments(current.document, document);
  if (changes.length === 0 && loginMethod === current.loginMethod) return { kind: 'unchanged', state: current };
  const linked = command.action === 'setLoginMethod' ? current.linked : true;
  const state: UserState = { ...current, ...userColumns(document), document, loginMethod, linked, version: current.version + 1, updatedAt: now };
  return { kind: 'save', state, before: current, isNew: false, event: userEvent(command, current, state, now, {}, changes) };
}

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
  return {
    specversion: '1.0',
    id: eventId(command.commandId, type, sequence),
    source: EVENT_SOURCE,
    type,
    subject: `tenants/${command.tenantId}/users/${subjectState.id}`,
    time: now.toISOString(),
    datacontenttype: 'application/json',
    dataschema: USER_CHANGED_DATASCHEMA,
    tenantid: command.tenantId,
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
  };
}

/** The outcome the ingress answers with. */
export function outcomeOf(command: ProvisioningCommand, decision: UserDecision): CommandOutcome {
  switch (decision.kind) {
    case 'reject':
      return { commandId: command.commandId, status: decision.error.status, error: decision.error.toBody() };
    case 'delete':
      return { commandId: command.commandId, status: 204 };
    case 'unchanged':
    case 'save': {
      const s = decision.state;
      return {
        commandId: command.commandId,
        status: decision.kind === 'save' && (decision.isNew || decision.claimed) ? 201 : 200,
        resource: {
          id: s.id,
          document: s.document,
          version: s.version,
          created: s.createdAt.toISOString(),
          lastModified: s.updatedAt.toISOString(),
        },
      };
    }
  }
}
