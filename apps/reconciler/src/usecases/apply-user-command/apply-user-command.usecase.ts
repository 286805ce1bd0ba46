import { Injectable, Optional } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ChangeEvent, CommandOutcome, ProvisioningCommand } from '@scimflow/contracts';
import { CommandApplyConfig } from '@scimflow/config';
import { AuditLog, changeEventRecord, commandAuditEntry, MembershipStore, Outbox, TenantResourceTypes, UserProfileStore, UserStore } from '@scimflow/persistence';
import {
  applyProfileToDecision,
  decideUserCommand,
  directiveMembershipEvents,
  membershipDirectiveDiff,
  outcomeOf,
  ProfiledUserDecision,
  ProfileSettings,
  userColumns,
  userDeletionEvents,
  UserState,
} from '@scimflow/provisioning';
import { ResourceTypeSchemas, ScimError } from '@scimflow/scim';
import { TenantProfiles } from '../../profiles/tenant-profiles';

export interface AppliedCommand {
  outcome: CommandOutcome;
  /** false when the command had been applied before (a redelivery): nothing was written or emitted */
  firstTime: boolean;
  /** events written to the outbox */
  events: number;
}

const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';

/**
 * Applies one ProvisioningCommand in one Postgres transaction: state, the tenant's profile rules (membership
 * directive, unique work email, unmatched roles), idempotency record, audit entry and outbox events commit
 * together or not at all.
 */
@Injectable()
export class ApplyUserCommand {
  private readonly profileStore = new UserProfileStore();
  private readonly profiles: TenantProfiles;
  private readonly audit: AuditLog;

  constructor(
    private readonly ds: DataSource,
    private readonly users: UserStore,
    private readonly resourceTypes: TenantResourceTypes,
    private readonly outbox: Outbox,
    private readonly memberships: MembershipStore,
    private readonly config: CommandApplyConfig,
    // Optional so that callers wiring the use case by hand (scimctl replay) get the same rules without knowing them.
    @Optional() profiles?: TenantProfiles,
    @Optional() audit?: AuditLog,
  ) {
    this.profiles = profiles ?? new TenantProfiles(ds, config);
    this.audit = audit ?? new AuditLog(ds);
  }

  async execute(command: ProvisioningCommand, now = new Date()): Promise<AppliedCommand> {
    // The tenant's User resource type and profile settings, loaded (and cached) before the transaction opens.
    const types = await this.resourceTypes.user(command.tenantId);
    try {
      // Inside the try: stored settings that no longer validate reject the command (400) instead of retrying it forever.
      const settings = await this.profiles.settings(command.tenantId);
      return await this.ds.transaction('READ COMMITTED', (em) => this.applyWithin(em, command, now, types, settings));
    } catch (e) {
      const rejection = this.rejection(e, command);
      if (!rejection) throw e; // infrastructure failure: the consumer retries the command
      return this.ds.transaction((em) => this.recordRejection(em, command, rejection, now));
    }
  }

  /**
   * What the command would do to its user now, decided as `execute` would but without writing: the user before and
   * the decision; undefined for a command applied before (a redelivery). A rejection is a `reject` decision.
   */
  async preview(command: ProvisioningCommand, now = new Date()): Promise<{ current: UserState | undefined; decision: ProfiledUserDecision } | undefined> {
    const types = await this.resourceTypes.user(command.tenantId);
    const em = this.ds.manager;
    if (await this.users.processedOutcome(em, command.commandId)) return undefined;
    const current = await this.users.findById(command.tenantId, command.resourceId, em);
    try {
      const settings = await this.profiles.settings(command.tenantId);
      return { current, decision: applyProfileToDecision(decideUserCommand(current, command, now, types), command, settings, now) };
    } catch (e) {
      if (e instanceof ScimError) return { current, decision: { kind: 'reject', error: e } };
      throw e;
    }
  }

  /**
   * The command's effects inside the caller's transaction. A rejection is thrown (a ScimError, or a constraint
   * violation that `rejection` maps): the caller rolls the effects back, then records it with `recordRejection`.
   */
  async applyWithin(em: EntityManager, command: ProvisioningCommand, now: Date, types: ResourceTypeSchemas, settings: ProfileSettings): Promise<AppliedCommand> {
    const prior = await this.users.processedOutcome(em, command.commandId);
    if (prior) return { outcome: prior, firstTime: false, events: 0 };

    const current = await this.users.lockForUpdate(em, command.tenantId, command.resourceId);
    const claim = command.action === 'create' && !current ? await this.claimable(em, command) : undefined;
    const decision = applyProfileToDecision(decideUserCommand(current, command, now, types, claim), command, settings, now);
    if (decision.kind === 'reject') throw decision.error;

    let events: ChangeEvent[] = [];
    let diff: Record<string, unknown> = {};
    let userId = command.resourceId;
    if (decision.kind === 'delete') {
      // A deleted user leaves every group first: membership-removed events, then user-deleted as the last one.
      const removed = await this.memberships.removeUserEverywhere(em, command.tenantId, command.resourceId);
      const leaving = userDeletionEvents(command, current!, removed, now, settings.deleteMode);
      if (leaving.kept) await this.users.update(em, leaving.kept);
      else await this.users.delete(em, command.tenantId, command.resourceId);
      events = [...leaving.memberships, leaving.deleted];
      diff = { deleted: settings.deleteMode, leftGroups: leaving.memberships.map((e) => e.data.groupId) };
    } else if (decision.kind === 'save') {
      const saved = await this.save(em, command, decision, now);
      events = saved.events;
      diff = saved.diff;
      userId = decision.state.id;
    }
    const outcome = outcomeOf(command, decision);
    await this.users.recordOutcome(em, command, outcome, now);
    await this.audit.record(em, commandAuditEntry({ ...command, resourceId: userId }, outcome, diff, now));
    await this.outbox.append(em, events.map((e) => changeEventRecord(e, command.tenantId, userId, this.config.KAFKA_TOPIC_PREFIX)));
    return { outcome, firstTime: true, events: events.length };
  }

  /** Records a rejected command (after its effects were rolled back), so that a redelivery answers the same. */
  async recordRejection(em: EntityManager, command: ProvisioningCommand, rejection: ScimError, now: Date): Promise<AppliedCommand> {
    const prior = await this.users.processedOutcome(em, command.commandId);
    if (prior) return { outcome: prior, firstTime: false, events: 0 };
    const outcome = outcomeOf(command, { kind: 'reject', error: rejection });
    await this.users.recordOutcome(em, command, outcome, now);
    await this.audit.record(em, commandAuditEntry(command, outcome, {}, now));
    return { outcome, firstTime: true, events: 0 };
  }

  /** The unlinked user (imported or soft-deleted) this create claims, by userName and then by work email. */
  private async claimable(em: EntityManager, command: ProvisioningCommand) {
    // The payload is the ingress's normalized document; a malformed one is left for the decision to reject.
    const doc = (command.payload ?? {}) as Record<string, unknown>;
    if (typeof doc.userName !== 'string') return undefined;
    return this.users.lockClaimable(em, command.tenantId, doc.userName, userColumns(doc).workEmail);
  }

  /** Writes a saved user with its profile effects; the state's version grows by one per membership event. */
  private async save(em: EntityManager, command: ProvisioningCommand, decision: Extract<ProfiledUserDecision, { kind: 'save' }>, now: Date) {
    const { tenantId } = command;
    const userId = decision.state.id;
    const profile = decision.profile;
    const diff: Record<string, unknown> = { changes: decision.event.data.changes.map((c) => c.attribute) };
    if (decision.claimed) diff.claimed = { matchedBy: decision.claimed, commandResourceId: command.resourceId };

    if (profile?.uniqueWorkEmail) {
      await this.profileStore.lockWorkEmail(em, tenantId, profile.uniqueWorkEmail);
      if (await this.profileStore.workEmailHolder(em, tenantId, profile.uniqueWorkEmail, userId))
        throw ScimError.conflict(`the work email ${profile.uniqueWorkEmail} is already used by another user of this tenant`);
    }

    let join: { id: string; displayName: string }[] = [];
    let leave: { id: string; displayName: string }[] = [];
    if (profile?.directive?.kind === 'exactly') {
      const found = await this.profileStore.groups(em, tenantId, profile.directive.groupIds);
      const known = new Set(found.map((g) => g.id));
      const unknown = profile.directive.groupIds.filter((id) => !known.has(id.toLowerCase()));
      if (unknown.length) throw ScimError.badRequest('invalidValue', `userType names groups that do not exist in this tenant: ${unknown.join(', ')}`);
      const currentGroups = decision.isNew ? [] : await this.profileStore.groupsOf(em, tenantId, userId);
      const d = membershipDirectiveDiff(currentGroups, profile.directive);
      join = found.filter((g) => d.join.includes(g.id));
      leave = d.leave.length ? await this.profileStore.groups(em, tenantId, d.leave) : [];
    }

    const memberships = directiveMembershipEvents(command, userId, decision.state.version, join, leave, now);
    decision.state.version += memberships.length; // the stored version (ETag) is the last event's sequence
    await (decision.isNew ? this.users.insert(em, decision.state) : this.users.update(em, decision.state));
    await this.profileStore.join(em, tenantId, userId, join.map((g) => g.id), now);
    await this.profileStore.leave(em, tenantId, userId, leave.map((g) => g.id));
    if (profile && (profile.unmatchedRoles.length || !decision.isNew)) await this.profileStore.setUnmatchedRoles(em, tenantId, userId, profile.unmatchedRoles);

    if (join.length) diff.joinedGroups = join.map((g) => g.id);
    if (leave.length) diff.leftGroups = leave.map((g) => g.id);
    if (profile?.unmatchedRoles.length) diff.unmatchedRoles = profile.unmatchedRoles;
    return { events: [decision.event, ...memberships] as ChangeEvent[], diff };
  }

  /** Client errors and constraint violations are the client's problem (a 4xx), not a reason to retry. */
  rejection(e: unknown, command: ProvisioningCommand): ScimError | undefined {
    if (e instanceof ScimError) return e.status < 500 ? e : undefined;
    const code = (e as { code?: string }).code;
    const constraint = (e as { constraint?: string }).constraint;
    if (code === UNIQUE_VIOLATION && constraint === 'scim_users_tenant_user_name')
      return ScimError.conflict('userName is already taken by another user of this tenant');
    if (code === UNIQUE_VIOLATION && constraint === 'scim_users_pkey') return ScimError.conflict(`User ${command.resourceId} already exists`);
    if (code === FOREIGN_KEY_VIOLATION) return ScimError.notFound(`tenant ${command.tenantId} does not exist`);
    return undefined;
  }
}
