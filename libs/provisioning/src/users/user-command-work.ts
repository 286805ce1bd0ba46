import { ProvisioningCommand } from '@scimflow/contracts';
import { ProfiledUserDecision } from '../profiles/profiled-user-decision';
import { userColumns, UserState } from './user-state';

/** An unlinked user a create may claim: the one with this userName, else the one with this work email. */
export interface ClaimCandidate {
  userName: string;
  workEmail: string | null;
}

/**
 * What a command needs looked up before it can be decided: a create of a user that is not there claims an unlinked
 * user (imported, or soft-deleted) matching its document, if there is one (decideUserCommand's `claim`).
 */
export function claimCandidate(current: UserState | undefined, command: ProvisioningCommand): ClaimCandidate | undefined {
  if (command.action !== 'create' || current) return undefined;
  // The payload is the ingress's normalized document; a malformed one is left for the decision to reject.
  const doc = (command.payload ?? {}) as Record<string, unknown>;
  if (typeof doc.userName !== 'string') return undefined;
  return { userName: doc.userName, workEmail: userColumns(doc).workEmail };
}

/**
 * What applying a decided user command needs beyond writing the user's own row, its outcome, audit entry and events
 * (which a reconciler may collect and write for many commands at once): reads and writes of other rows, in the
 * command's transaction, each of which may still reject the command.
 * - `leaveAllGroups`: a delete; the user leaves every group first (membership-removed events, then user-deleted)
 * - `uniqueWorkEmail`: the tenant's profile wants the work email unique; no other user may hold it
 * - `membershipDirective`: userType names the groups the user is a member of, exactly; they must exist
 */
export type UserCommandWork = { kind: 'leaveAllGroups' } | { kind: 'uniqueWorkEmail'; email: string } | { kind: 'membershipDirective'; groupIds: string[] };

/** The work a decision needs, in the order it is done; none for a write of the user's own row alone. */
export function userCommandWork(decision: ProfiledUserDecision): UserCommandWork[] {
  if (decision.kind === 'delete') return [{ kind: 'leaveAllGroups' }];
  if (decision.kind !== 'save') return [];
  const work: UserCommandWork[] = [];
  const profile = decision.profile;
  if (profile?.uniqueWorkEmail) work.push({ kind: 'uniqueWorkEmail', email: profile.uniqueWorkEmail });
  if (profile?.directive?.kind === 'exactly') work.push({ kind: 'membershipDirective', groupIds: profile.directive.groupIds });
  return work;
}
