import { assertDocumentSize } from '../document-size';
import { CommandOutcome, LoginMethod, diffDocuments, ProvisioningCommand, UserChangedEvent, UserCommand } from '@scimflow/contracts';
import { applyPatch, compilePatchMessage, normalizeResource, ResourceTypeSchemas, ScimError } from '@scimflow/scim';
import { etag } from '../etag';
import { storedView } from '../render';
import { userEvent } from './user-events';
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

/** The outcome the ingress answers with. */
export function outcomeOf(command: ProvisioningCommand, decision: UserDecision): CommandOutcome {
  switch (decision.kind) {
    case 'reject':
      return { commandId: command.commandId, status: decision.error.status, error: decision.error.toBody() };
    case 'delete':
      return { commandId: command.commandId, status: 204 };
    case 'unchanged':
    case 'save':
      return {
        commandId: command.commandId,
        status: decision.kind === 'save' && (decision.isNew || decision.claimed) ? 201 : 200,
        resource: storedView(decision.state),
      };
  }
}
