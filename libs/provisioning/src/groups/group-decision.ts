import { assertDocumentSize } from '../document-size';
import { CommandOutcome, GroupCommand, ProvisioningCommand } from '@scimflow/contracts';
import { applyPatch, assertImmutableUnchanged, groupResourceTypeSchemas as groupTypes, compilePatchMessage, ScimError } from '@scimflow/scim';
import { etag } from '../etag';
import { storedView } from '../render';
import { normalizeGroup } from './group-document';
import { groupColumns, GroupState } from './group-state';
import { MemberStep, splitGroupPatch } from './member-steps';

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
      return { kind: 'save', state: newGroup(command, document, now), memberSteps: userIds.length ? [{ op: 'add', userIds }] : [] };
    }
    case 'import': {
      // A product's own group (admin import): no members; Entra's writes or userType directives add them.
      if (current) throw ScimError.conflict(`Group ${command.resourceId} already exists`);
      const { document, userIds } = normalizeGroup(command.payload.document, 'create');
      if (userIds.length) throw ScimError.badRequest('invalidValue', 'an imported product group has no members: Entra or userType directives add them');
      return { kind: 'save', state: newGroup(command, document, now), memberSteps: [] };
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

/** A new group (a SCIM create, or an import) at version 0: finalizeGroupChange sets the version its events reach. */
function newGroup(command: GroupCommand, document: Record<string, unknown>, now: Date): GroupState {
  return { id: command.resourceId, tenantId: command.tenantId, ...groupColumns(document), document, version: 0, createdAt: now, updatedAt: now };
}

/** The outcome the ingress answers with; the resource carries the group without members. */
export function groupOutcome(
  command: ProvisioningCommand,
  result: { error: ScimError } | { deleted: true } | { state: GroupState; created: boolean },
): CommandOutcome {
  if ('error' in result) return { commandId: command.commandId, status: result.error.status, error: result.error.toBody() };
  if ('deleted' in result) return { commandId: command.commandId, status: 204 };
  return { commandId: command.commandId, status: result.created ? 201 : 200, resource: storedView(result.state) };
}
