import {
  CommandOutcome,
  diffDocuments,
  eventId,
  ProvisioningCommand,
  USER_CHANGED_DATASCHEMA,
  UserChangedEvent,
  userEventType,
} from '@scimflow/contracts';
import { applyPatch, normalizeResource, parsePatchRequest, ResourceTypeSchemas, ScimError } from '@scimflow/scim';
import { etag, userColumns, UserState } from './user-state';

export const EVENT_SOURCE = '/scimflow/reconciler';

export type UserDecision =
  | { kind: 'reject'; error: ScimError }
  /** nothing to write (a PATCH that changes nothing); answer with the current state */
  | { kind: 'unchanged'; state: UserState }
  | { kind: 'save'; state: UserState; isNew: boolean; event: UserChangedEvent }
  | { kind: 'delete'; event: UserChangedEvent };

/**
 * What a command does to a user, decided without I/O: the reconciler loads `current` and the tenant's User
 * resource type (`types`: core, enterprise and the tenant's extensions), calls this, and writes the result and its
 * event in one transaction. Deterministic for a given (current, command, now, types), which is what makes replays
 * reproduce the same state and the same event ids.
 */
export function decideUserCommand(current: UserState | undefined, command: ProvisioningCommand, now: Date, types: ResourceTypeSchemas): UserDecision {
  try {
    return decide(current, command, now, types);
  } catch (e) {
    if (e instanceof ScimError) return { kind: 'reject', error: e };
    throw e;
  }
}

function decide(current: UserState | undefined, command: ProvisioningCommand, now: Date, userResourceType: ResourceTypeSchemas): UserDecision {
  if (command.action !== 'create') {
    if (!current) throw ScimError.notFound(`User ${command.resourceId} not found`);
    if (command.ifMatch && command.ifMatch !== '*' && command.ifMatch !== etag(current.version))
      throw new ScimError(412, `If-Match ${command.ifMatch} does not match the current version ${etag(current.version)}`);
  }

  switch (command.action) {
    case 'create': {
      // A redelivered create is caught earlier by the command id; an id collision is a genuine conflict.
      if (current) throw ScimError.conflict(`User ${command.resourceId} already exists`);
      const document = normalizeResource(command.payload, userResourceType, 'create');
      const state: UserState = {
        id: command.resourceId,
        tenantId: command.tenantId,
        ...userColumns(document),
        document,
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      return { kind: 'save', state, isNew: true, event: userEvent(command, undefined, state, now) };
    }
    case 'replace': {
      const document = normalizeResource(command.payload, userResourceType, 'replace');
      return saveChange(current!, document, command, now);
    }
    case 'patch': {
      const ops = parsePatchRequest(command.payload);
      const { document, changed } = applyPatch(current!.document, ops, userResourceType);
      if (!changed) return { kind: 'unchanged', state: current! };
      return saveChange(current!, document, command, now);
    }
    case 'delete':
      return { kind: 'delete', event: userEvent(command, current, undefined, now) };
    default:
      throw ScimError.badRequest('invalidSyntax', `unknown command action ${(command as { action: string }).action}`);
  }
}

function saveChange(current: UserState, document: Record<string, unknown>, command: ProvisioningCommand, now: Date): UserDecision {
  if (diffDocuments(current.document, document).length === 0) return { kind: 'unchanged', state: current };
  const state: UserState = { ...current, ...userColumns(document), document, version: current.version + 1, updatedAt: now };
  return { kind: 'save', state, isNew: false, event: userEvent(command, current, state, now) };
}

/** The change event; its sequence is the user's version after the change (delete: one past the last). */
export function userEvent(command: ProvisioningCommand, before: UserState | undefined, after: UserState | undefined, now: Date): UserChangedEvent {
  const type = userEventType(before, after);
  const sequence = after ? after.version : before!.version + 1;
  const subjectState = (after ?? before)!;
  return {
    specversion: '1.0',
    id: eventId(command.commandId, type, sequence),
    source: EVENT_SOURCE,
    type,
    subject: `tenants/${command.tenantId}/users/${command.resourceId}`,
    time: now.toISOString(),
    datacontenttype: 'application/json',
    dataschema: USER_CHANGED_DATASCHEMA,
    tenantid: command.tenantId,
    sequence,
    data: {
      userId: command.resourceId,
      externalId: subjectState.externalId,
      userName: subjectState.userName,
      active: after ? after.active : false,
      commandId: command.commandId,
      changes: diffDocuments(before?.document, after?.document),
      user: after ? { id: after.id, ...after.document } : undefined,
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
        status: decision.kind === 'save' && decision.isNew ? 201 : 200,
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
