import { MembershipChangedEvent, MembershipEventType, ProvisioningCommand } from '@scimflow/contracts';
import { ScimError } from '@scimflow/scim';
import { membershipEvent } from '../groups/membership-events';
import { UserDecision } from '../users/user-decision';
import { userEvent } from '../users/user-events';
import { userColumns } from '../users/user-state';
import { ProfileSettings } from './profile-settings';
import { applyUserProfile, MembershipDirective, ProfiledUser } from './user-profile-rules';

export type ProfiledUserDecision = UserDecision & { profile?: ProfiledUser };

/**
 * Runs the tenant's profile rules over a decided user write: a rejection if a rule fails, otherwise the decision
 * with the profiled document (and its event rebuilt from it) plus what the reconciler must still check or apply
 * (`profile.directive`, `profile.uniqueWorkEmail`, `profile.unmatchedRoles`).
 */
export function applyProfileToDecision(decision: UserDecision, command: ProvisioningCommand, settings: ProfileSettings, now: Date): ProfiledUserDecision {
  if (decision.kind !== 'save') return decision;
  const before = decision.before;
  let profile: ProfiledUser;
  try {
    // A soft-deleted user left all its groups: a claim applies its userType directive afresh.
    profile = applyUserProfile(decision.state.document, before?.deletedAt ? undefined : before?.document, settings);
  } catch (e) {
    if (e instanceof ScimError) return { kind: 'reject', error: e };
    throw e;
  }
  // the rules left the document as it was and add nothing to the event: the decided state and event stand
  if (profile.document === decision.state.document && !profile.unmatchedRoles.length) return { ...decision, profile };
  const state = { ...decision.state, ...userColumns(profile.document), document: profile.document };
  const event = userEvent(command, before, state, now, { matchedBy: decision.claimed, unmatchedRoles: profile.unmatchedRoles });
  return { ...decision, state, event, profile };
}

/** The groups to join and leave so that the user is a member of exactly the directive's groups. */
export function membershipDirectiveDiff(currentGroupIds: string[], directive: MembershipDirective): { join: string[]; leave: string[] } {
  if (directive.kind === 'ignore') return { join: [], leave: [] };
  const current = new Set(currentGroupIds.map((id) => id.toLowerCase()));
  const target = new Set(directive.groupIds.map((id) => id.toLowerCase()));
  return {
    join: [...target].filter((id) => !current.has(id)).sort(),
    leave: [...current].filter((id) => !target.has(id)).sort(),
  };
}

/**
 * Membership events of a directive, after the user's own event (sequence `userVersion`): joins then leaves, one
 * sequence each; the user's stored version becomes `userVersion + events.length`.
 */
export function directiveMembershipEvents(
  command: ProvisioningCommand,
  userId: string,
  userVersion: number,
  joined: { id: string; displayName: string }[],
  left: { id: string; displayName: string }[],
  now: Date,
): MembershipChangedEvent[] {
  return [...joined.map((g) => ({ g, type: MembershipEventType.added })), ...left.map((g) => ({ g, type: MembershipEventType.removed }))].map(
    ({ g, type }, i) => membershipEvent(command, userId, g, type, userVersion + i + 1, now),
  );
}
