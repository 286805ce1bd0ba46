import { Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CommandApplyConfig } from '@scimflow/config';
import { ChangeEvent, CommandOutcome, ProvisioningCommand, resourceKey, UserCommand } from '@scimflow/contracts';
import {
  AuditEntry,
  AuditLog,
  changeEventRecord,
  commandAuditEntry,
  MembershipStore,
  Outbox,
  OutboxRecord,
  TenantProfiles,
  Stores,
  TenantResourceTypes,
  UserProfileStore,
  UserStore,
  withinSavepoint,
} from '@scimflow/persistence';
import {
  AlreadyTaken,
  applyProfileToDecision,
  claimCandidate,
  decideUserCommand,
  directiveMembershipEvents,
  membershipDirectiveDiff,
  MissingReference,
  outcomeOf,
  ProfiledUserDecision,
  ProfileSettings,
  UserClaim,
  UserCommandWork,
  userCommandWork,
  userDeletionEvents,
  UserState,
} from '@scimflow/provisioning';
import { ResourceTypeSchemas, ScimError } from '@scimflow/scim';
import { ApplyResult, recordRejection, rejectionOf } from '../apply-result';

/** A command of a batch with how to run work in its own trace context (the consumer's span for it). */
export interface TracedCommand {
  command: UserCommand;
  inContext?: <T>(work: () => Promise<T>) => Promise<T>;
}

/** Most commands applied in one transaction; a longer batch is cut into chunks of this size. */
export const USER_BATCH_SIZE = 500;

interface TenantRules {
  types: ResourceTypeSchemas;
  settings: ProfileSettings;
}

type Save = Extract<ProfiledUserDecision, { kind: 'save' }>;

/** What a command wrote: its user (the claimed one for a claim), the user's state after it, its events and audit diff. */
interface Written {
  userId: string;
  /** the user's row after it; undefined when it is gone (a hard delete) */
  after?: UserState;
  events: ChangeEvent[];
  diff: Record<string, unknown>;
}

/** Writes collected in memory and written with one statement per table. */
class PendingWrites {
  readonly users = new Map<string, { state: UserState; isNew: boolean; unmatchedRoles: string[] }>();
  outcomes: { command: ProvisioningCommand; outcome: CommandOutcome }[] = [];
  audit: AuditEntry[] = [];
  outbox: OutboxRecord[] = [];

  saveUser(state: UserState, isNew: boolean, unmatchedRoles: string[]) {
    const key = resourceKey(state.tenantId, state.id);
    const earlier = this.users.get(key);
    // a user created earlier in this batch is still an insert, with its latest state
    this.users.set(key, { state, isNew: isNew || (earlier?.isNew ?? false), unmatchedRoles });
  }

  get empty() {
    return !this.users.size && !this.outcomes.length && !this.audit.length && !this.outbox.length;
  }

  async flush(em: EntityManager, users: UserStore, audit: AuditLog, outbox: Outbox, now: Date) {
    if (this.empty) return;
    await users.writeMany(em, [...this.users.values()]);
    await users.recordOutcomes(em, this.outcomes, now);
    await audit.recordMany(em, this.audit);
    await outbox.append(em, this.outbox);
    this.users.clear();
    this.outcomes = [];
    this.audit = [];
    this.outbox = [];
  }
}

/**
 * Applies User commands, many or one (one command is a batch of one), each batch in ONE transaction per
 * USER_BATCH_SIZE commands: the batch's users are locked with one statement, each command is decided in memory
 * against the state the previous ones left, and its writes (user, outcome, audit entry, events) are collected and
 * written with one multi-row statement per table. A command's tenant rules are loaded before the transaction. What a
 * command needs beyond the user's own row is done in the transaction after the writes collected so far, under a
 * savepoint, so that a rejection rolls back only that command's effects and is recorded in their place: a create
 * that may claim an unlinked user (claimCandidate) is looked up, decided and written there, and so is what the
 * decision names (userCommandWork: a delete's memberships, a membership directive, a unique work email). Per-user
 * order, idempotency (processed_commands) and the events are those of applying each command in its own transaction.
 * If a batch's transaction fails (a constraint between two of its commands, a deadlock), it is rolled back whole and
 * its commands are applied one by one; a command alone whose transaction fails on what it asks (a userName taken,
 * its tenant gone) is rejected, recorded in a transaction of its own.
 */
export class ApplyUserCommands {
  private readonly logger = new Logger(ApplyUserCommands.name);
  private readonly users: UserStore;
  private readonly audit: AuditLog;
  private readonly outbox: Outbox;
  private readonly memberships: MembershipStore;
  private readonly profileStore: UserProfileStore;
  private readonly resourceTypes: TenantResourceTypes;

  constructor(
    private readonly ds: DataSource,
    private readonly config: CommandApplyConfig,
    stores: Pick<Stores, 'userStore' | 'auditLog' | 'outbox' | 'memberships' | 'userProfiles' | 'tenantResourceTypes' | 'tenantProfiles'>,
    private readonly profiles = new TenantProfiles(stores.tenantProfiles, config.PROFILE_CACHE_TTL_MS),
  ) {
    ({
      userStore: this.users,
      auditLog: this.audit,
      outbox: this.outbox,
      memberships: this.memberships,
      userProfiles: this.profileStore,
      tenantResourceTypes: this.resourceTypes,
    } = stores);
  }

  /** One command: a batch of one. */
  async apply(command: UserCommand, now = new Date()): Promise<ApplyResult> {
    return (await this.execute([{ command }], now))[0];
  }

  /** The applied commands, in the order given (per-user order is the order given). */
  async execute(batch: TracedCommand[], now = new Date()): Promise<ApplyResult[]> {
    const results: ApplyResult[] = [];
    for (let i = 0; i < batch.length; i += USER_BATCH_SIZE) results.push(...(await this.executeChunk(batch.slice(i, i + USER_BATCH_SIZE), now)));
    return results;
  }

  /**
   * What the command would do to its user now, decided as `execute` would but without writing: the user before and
   * the decision; undefined for a command applied before (a redelivery). A rejection is a `reject` decision.
   */
  async preview(command: UserCommand, now = new Date()): Promise<{ current: UserState | undefined; decision: ProfiledUserDecision } | undefined> {
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

  /** Records a command that failed outside its own application (see recordRejection). */
  recordRejection(command: ProvisioningCommand, error: ScimError, now = new Date()): Promise<ApplyResult> {
    return this.ds.transaction((em) => recordRejection(em, { users: this.users, audit: this.audit }, command, error, now));
  }

  private async executeChunk(batch: TracedCommand[], now: Date): Promise<ApplyResult[]> {
    // The tenants' User resource types and profile settings, loaded (and cached) before the transaction opens.
    const rules = new Map<string, TenantRules>();
    const refused = new Map<string, ScimError>(); // tenants whose stored settings no longer validate: 400, not retried forever
    for (const tenantId of new Set(batch.map((b) => b.command.tenantId))) {
      const types = await this.resourceTypes.user(tenantId);
      try {
        rules.set(tenantId, { types, settings: await this.profiles.settings(tenantId) });
      } catch (e) {
        const rejection = rejectionOf(e);
        if (!rejection) throw e;
        refused.set(tenantId, rejection);
      }
    }
    const applicable = batch.filter((b) => rules.has(b.command.tenantId));
    const results = applicable.length ? await this.inOneTransaction(applicable, rules, now) : new Map<TracedCommand, ApplyResult>();
    for (const b of batch) {
      const error = refused.get(b.command.tenantId);
      if (error) results.set(b, await this.run(b, () => this.recordRejection(b.command, error, now)));
    }
    return batch.map((b) => results.get(b)!);
  }

  private async inOneTransaction(batch: TracedCommand[], rules: Map<string, TenantRules>, now: Date): Promise<Map<TracedCommand, ApplyResult>> {
    try {
      return await this.ds.transaction('READ COMMITTED', (em) => this.applyAll(em, batch, rules, now));
    } catch (e) {
      if (batch.length === 1) {
        const rejection = rejectionOf(e);
        if (!rejection) throw e; // the database or a bug: the consumer retries the command
        return new Map([[batch[0], await this.run(batch[0], () => this.recordRejection(batch[0].command, rejection, now))]]);
      }
      this.logger.warn(`batch of ${batch.length} commands rolled back (${(e as Error).message}); applying them one by one`);
      const results = new Map<TracedCommand, ApplyResult>();
      for (const b of batch) for (const [done, applied] of await this.inOneTransaction([b], rules, now)) results.set(done, applied);
      return results;
    }
  }

  private async applyAll(em: EntityManager, batch: TracedCommand[], rules: Map<string, TenantRules>, now: Date): Promise<Map<TracedCommand, ApplyResult>> {
    const results = new Map<TracedCommand, ApplyResult>();
    const priors = await this.users.processedOutcomes(em, [...new Set(batch.map((b) => b.command.commandId))]);
    const fresh = batch.filter((b) => !priors.has(b.command.commandId));
    const keys = new Map(fresh.map((b) => [resourceKey(b.command.tenantId, b.command.resourceId), { tenantId: b.command.tenantId, id: b.command.resourceId }]));
    const states = new Map((await this.users.lockMany(em, [...keys.values()])).map((s) => [resourceKey(s.tenantId, s.id), s] as const));
    const creating = fresh.filter((b) => b.command.action === 'create').map((b) => b.command.tenantId);
    const batchState: BatchState = {
      em,
      states,
      claimingTenants: await this.users.tenantsWithUnlinkedUsers(em, [...new Set(creating)]),
      pending: new PendingWrites(),
      now,
    };
    const seen = new Map<string, ApplyResult>();

    for (const b of batch) {
      const { command } = b;
      const prior = priors.get(command.commandId) ?? seen.get(command.commandId)?.outcome;
      if (prior) {
        results.set(b, { outcome: prior, firstTime: false, events: 0 });
        continue;
      }
      const applied = await this.run(b, () => this.applyOne(batchState, command, rules.get(command.tenantId)!));
      seen.set(command.commandId, applied);
      results.set(b, applied);
    }
    await this.flush(batchState);
    return results;
  }

  /**
   * One command inside the batch's transaction, against the state the batch's earlier commands left. Decided in
   * memory and its write collected, unless it needs more: a create that may claim an unlinked user (looked up first)
   * or the work its decision names is done after the writes collected so far, under a savepoint.
   */
  private async applyOne(batch: BatchState, command: UserCommand, rules: TenantRules): Promise<ApplyResult> {
    const { em, states, claimingTenants, pending, now } = batch;
    const current = states.get(resourceKey(command.tenantId, command.resourceId));
    const candidate = claimingTenants.has(command.tenantId) ? claimCandidate(current, command) : undefined;
    const decided = candidate ? undefined : this.decide(command, rules, current, undefined, now);
    if (decided && (decided.kind === 'reject' || decided.kind === 'unchanged')) return this.recorded(pending, command, decided, nothingWritten(command), now);
    if (decided?.kind === 'save' && !userCommandWork(decided).length) return this.saved(batch, command, decided, this.collect(pending, command, decided));

    await this.flush(batch); // what follows reads and writes rows the collected writes may touch (an unlinked user among them)
    let result: { decision: ProfiledUserDecision; written: Written };
    try {
      result = await withinSavepoint(em, async () => {
        const claim = candidate && (await this.users.lockClaimable(em, command.tenantId, candidate.userName, candidate.workEmail));
        const decision = decided ?? this.decide(command, rules, current, claim, now);
        if (decision.kind === 'reject' || decision.kind === 'unchanged') return { decision, written: nothingWritten(command) };
        return { decision, written: await this.writeWithWork(em, command, decision, userCommandWork(decision), current, rules.settings, now) };
      });
    } catch (e) {
      const rejection = rejectionOf(e);
      if (!rejection) throw e;
      return this.recorded(pending, command, { kind: 'reject', error: rejection }, nothingWritten(command), now);
    }
    const { decision, written } = result;
    return decision.kind === 'save' || decision.kind === 'delete'
      ? this.saved(batch, command, decision, written)
      : this.recorded(pending, command, decision, written, now);
  }

  private decide(
    command: UserCommand,
    { types, settings }: TenantRules,
    current: UserState | undefined,
    claim: UserClaim | undefined,
    now: Date,
  ): ProfiledUserDecision {
    return applyProfileToDecision(decideUserCommand(current, command, now, types, claim), command, settings, now);
  }

  /** A written command: its user's state is what later commands of the batch see. */
  private saved(batch: BatchState, command: UserCommand, decision: ProfiledUserDecision, written: Written): ApplyResult {
    const key = resourceKey(command.tenantId, written.userId);
    if (written.after) batch.states.set(key, written.after);
    else batch.states.delete(key);
    // an unlinked user (an import, a soft delete) may be claimed by a later create of this batch
    if (written.after && !written.after.linked) batch.claimingTenants.add(command.tenantId);
    return this.recorded(batch.pending, command, decision, written, batch.now);
  }

  /** A command's outcome, audit entry and events, collected with the batch's writes. */
  private recorded(pending: PendingWrites, command: ProvisioningCommand, decision: ProfiledUserDecision, written: Written, now: Date): ApplyResult {
    const outcome = outcomeOf(command, decision);
    pending.outcomes.push({ command, outcome });
    pending.audit.push(commandAuditEntry({ ...command, resourceId: written.userId }, outcome, written.diff, now));
    // built here, where this command's trace context is the active one
    if (written.events.length)
      pending.outbox.push(...written.events.map((e) => changeEventRecord(e, command.tenantId, written.userId, this.config.KAFKA_TOPIC_PREFIX)));
    return { outcome, firstTime: true, events: written.events.length };
  }

  /** A write of the user's own row alone: collected with the batch's other writes. */
  private collect(pending: PendingWrites, command: ProvisioningCommand, decision: Save): Written {
    const unmatchedRoles = decision.profile?.unmatchedRoles ?? [];
    pending.saveUser(decision.state, decision.isNew, unmatchedRoles);
    return { userId: decision.state.id, after: decision.state, events: [decision.event], diff: saveDiff(command, decision, [], []) };
  }

  /** A decision with work beyond the user's own row, written at once (under the caller's savepoint). */
  private async writeWithWork(
    em: EntityManager,
    command: UserCommand,
    decision: Save | Extract<ProfiledUserDecision, { kind: 'delete' }>,
    work: UserCommandWork[],
    current: UserState | undefined,
    settings: ProfileSettings,
    now: Date,
  ): Promise<Written> {
    const { tenantId } = command;
    if (decision.kind === 'delete') {
      // A deleted user leaves every group first: membership-removed events, then user-deleted as the last one.
      const removed = await this.memberships.removeUserEverywhere(em, tenantId, command.resourceId);
      const leaving = userDeletionEvents(command, current!, removed, now, settings.deleteMode);
      if (leaving.kept) await this.users.update(em, leaving.kept);
      else await this.users.delete(em, tenantId, command.resourceId);
      const diff = { deleted: settings.deleteMode, leftGroups: leaving.memberships.map((e) => e.data.groupId) };
      return { userId: command.resourceId, after: leaving.kept, events: [...leaving.memberships, leaving.deleted], diff };
    }

    const userId = decision.state.id;
    let join: { id: string; displayName: string }[] = [];
    let leave: { id: string; displayName: string }[] = [];
    for (const w of work) {
      if (w.kind === 'uniqueWorkEmail') {
        await this.profileStore.lockWorkEmail(em, tenantId, w.email);
        if (await this.profileStore.workEmailHolder(em, tenantId, w.email, userId))
          throw new AlreadyTaken(`the work email ${w.email} is already used by another user of this tenant`);
      } else if (w.kind === 'membershipDirective') {
        const found = await this.profileStore.groups(em, tenantId, w.groupIds);
        const known = new Set(found.map((g) => g.id));
        const unknown = w.groupIds.filter((id) => !known.has(id.toLowerCase()));
        if (unknown.length) throw new MissingReference(`userType names groups that do not exist in this tenant: ${unknown.join(', ')}`);
        const currentGroups = decision.isNew ? [] : await this.profileStore.groupsOf(em, tenantId, userId);
        const d = membershipDirectiveDiff(currentGroups, { kind: 'exactly', groupIds: w.groupIds });
        join = found.filter((g) => d.join.includes(g.id));
        leave = d.leave.length ? await this.profileStore.groups(em, tenantId, d.leave) : [];
      }
    }

    const memberships = directiveMembershipEvents(command, userId, decision.state.version, join, leave, now);
    decision.state.version += memberships.length; // the stored version (ETag) is the last event's sequence
    await (decision.isNew ? this.users.insert(em, decision.state) : this.users.update(em, decision.state));
    await this.profileStore.join(
      em,
      tenantId,
      userId,
      join.map((g) => g.id),
      now,
    );
    await this.profileStore.leave(
      em,
      tenantId,
      userId,
      leave.map((g) => g.id),
    );
    const profile = decision.profile;
    if (profile && (profile.unmatchedRoles.length || !decision.isNew)) await this.profileStore.setUnmatchedRoles(em, tenantId, userId, profile.unmatchedRoles);
    return { userId, after: decision.state, events: [decision.event, ...memberships], diff: saveDiff(command, decision, join, leave) };
  }

  private flush({ em, pending, now }: BatchState): Promise<void> {
    return pending.flush(em, this.users, this.audit, this.outbox, now);
  }

  private run<T>(b: TracedCommand, work: () => Promise<T>): Promise<T> {
    return b.inContext ? b.inContext(work) : work();
  }
}

/** A batch's transaction and what its commands left so far. */
interface BatchState {
  em: EntityManager;
  /** the batch's users as its commands left them (soft-deleted included), by resourceKey */
  states: Map<string, UserState>;
  /** tenants that may have unlinked users, whose creates may claim one */
  claimingTenants: Set<string>;
  pending: PendingWrites;
  now: Date;
}

function nothingWritten(command: ProvisioningCommand): Written {
  return { userId: command.resourceId, events: [], diff: {} };
}

/** The audit diff of a saved user: which attributes changed, and what its profile rules did. */
function saveDiff(command: ProvisioningCommand, decision: Save, join: { id: string }[], leave: { id: string }[]): Record<string, unknown> {
  const diff: Record<string, unknown> = { changes: decision.event.data.changes.map((c) => c.attribute) };
  if (decision.claimed) diff.claimed = { matchedBy: decision.claimed, commandResourceId: command.resourceId };
  if (join.length) diff.joinedGroups = join.map((g) => g.id);
  if (leave.length) diff.leftGroups = leave.map((g) => g.id);
  if (decision.profile?.unmatchedRoles.length) diff.unmatchedRoles = decision.profile.unmatchedRoles;
  return diff;
}
