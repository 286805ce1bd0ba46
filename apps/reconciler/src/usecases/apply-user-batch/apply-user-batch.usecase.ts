import { Injectable, Logger, Optional } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ChangeEvent, CommandOutcome, ProvisioningCommand, resourceKey } from '@scimflow/contracts';
import { CommandApplyConfig } from '@scimflow/config';
import { AuditEntry, AuditLog, changeEventRecord, commandAuditEntry, Outbox, OutboxRecord, TenantResourceTypes, UserStore } from '@scimflow/persistence';
import { applyProfileToDecision, decideUserCommand, outcomeOf, ProfileSettings, UserState } from '@scimflow/provisioning';
import { ResourceTypeSchemas, ScimError } from '@scimflow/scim';
import { TenantProfiles } from '../../profiles/tenant-profiles';
import { AppliedCommand, ApplyUserCommand } from '../apply-user-command/apply-user-command.usecase';

/** One command of a batch, with how to run work in its own trace context (the consumer's span for it). */
export interface BatchCommand {
  command: ProvisioningCommand;
  inContext?: <T>(work: () => Promise<T>) => Promise<T>;
}

/** Most commands applied in one transaction; a partition batch is cut into chunks of this size. */
export const USER_BATCH_SIZE = 500;

interface TenantRules {
  types: ResourceTypeSchemas;
  settings: ProfileSettings;
}

/** Writes of the common path, collected in memory and written with one statement per table. */
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
 * Applies many User commands (a partition batch, in offset order) in ONE transaction: the batch's users are
 * locked with one statement, each command is decided in memory against the state the previous ones left, and
 * the results are written with one multi-row statement per table. What needs more than the user's own row — a
 * delete (memberships), a create that may claim an unlinked user, a membership directive, a unique work email —
 * is applied by ApplyUserCommand inside the same transaction under a savepoint, after the writes collected so
 * far. Per-user order, idempotency (processed_commands) and the events are exactly those of one-by-one
 * application. If the batch transaction fails (a constraint between commands of the batch, a deadlock), it is
 * rolled back whole and the commands are applied one by one, as before batching.
 */
@Injectable()
export class ApplyUserBatch {
  private readonly logger = new Logger(ApplyUserBatch.name);
  private readonly profiles: TenantProfiles;
  private readonly audit: AuditLog;

  constructor(
    private readonly ds: DataSource,
    private readonly users: UserStore,
    private readonly resourceTypes: TenantResourceTypes,
    private readonly outbox: Outbox,
    private readonly one: ApplyUserCommand,
    private readonly config: CommandApplyConfig,
    @Optional() profiles?: TenantProfiles,
    @Optional() audit?: AuditLog,
  ) {
    this.profiles = profiles ?? new TenantProfiles(ds, config);
    this.audit = audit ?? new AuditLog(ds);
  }

  /** The applied commands, in the order given. */
  async execute(batch: BatchCommand[], now = new Date()): Promise<AppliedCommand[]> {
    const results: AppliedCommand[] = [];
    for (let i = 0; i < batch.length; i += USER_BATCH_SIZE) results.push(...(await this.executeChunk(batch.slice(i, i + USER_BATCH_SIZE), now)));
    return results;
  }

  private async executeChunk(batch: BatchCommand[], now: Date): Promise<AppliedCommand[]> {
    const rules = new Map<string, TenantRules>();
    const oneByOne = new Set<string>(); // tenants whose settings do not load: their commands are rejected one by one
    for (const tenantId of new Set(batch.map((b) => b.command.tenantId))) {
      const types = await this.resourceTypes.user(tenantId);
      try {
        rules.set(tenantId, { types, settings: await this.profiles.settings(tenantId) });
      } catch (e) {
        if (!(e instanceof ScimError)) throw e;
        oneByOne.add(tenantId);
      }
    }
    const batched = batch.filter((b) => !oneByOne.has(b.command.tenantId));
    let results = new Map<BatchCommand, AppliedCommand>();
    if (batched.length) {
      try {
        results = await this.ds.transaction('READ COMMITTED', (em) => this.applyAll(em, batched, rules, now));
      } catch (e) {
        this.logger.warn(`batch of ${batched.length} commands rolled back (${(e as Error).message}); applying them one by one`);
        results = new Map();
        for (const b of batched) results.set(b, await this.run(b, () => this.one.execute(b.command, now)));
      }
    }
    for (const b of batch) if (oneByOne.has(b.command.tenantId)) results.set(b, await this.run(b, () => this.one.execute(b.command, now)));
    return batch.map((b) => results.get(b)!);
  }

  private async applyAll(em: EntityManager, batch: BatchCommand[], rules: Map<string, TenantRules>, now: Date): Promise<Map<BatchCommand, AppliedCommand>> {
    const results = new Map<BatchCommand, AppliedCommand>();
    const priors = await this.users.processedOutcomes(em, [...new Set(batch.map((b) => b.command.commandId))]);
    const fresh = batch.filter((b) => !priors.has(b.command.commandId));
    const keys = new Map(fresh.map((b) => [resourceKey(b.command.tenantId, b.command.resourceId), { tenantId: b.command.tenantId, id: b.command.resourceId }]));
    const states = new Map((await this.users.lockMany(em, [...keys.values()])).map((s) => [resourceKey(s.tenantId, s.id), s] as const));
    const creating = fresh.filter((b) => b.command.action === 'create').map((b) => b.command.tenantId);
    const claimingTenants = await this.users.tenantsWithUnlinkedUsers(em, [...new Set(creating)]);
    const pending = new PendingWrites();
    const seen = new Map<string, AppliedCommand>();

    for (const b of batch) {
      const { command } = b;
      const prior = priors.get(command.commandId) ?? seen.get(command.commandId)?.outcome;
      if (prior) {
        results.set(b, { outcome: prior, firstTime: false, events: 0 });
        continue;
      }
      const key = resourceKey(command.tenantId, command.resourceId);
      const { types, settings } = rules.get(command.tenantId)!;
      const applied = await this.run(b, async () => {
        const current = states.get(key);
        const needsMore = command.action === 'delete' || (command.action === 'create' && !current && claimingTenants.has(command.tenantId));
        const decision = needsMore ? undefined : applyProfileToDecision(decideUserCommand(current, command, now, types), command, settings, now);
        if (!decision || (decision.kind === 'save' && (decision.profile?.directive?.kind === 'exactly' || decision.profile?.uniqueWorkEmail))) {
          await pending.flush(em, this.users, this.audit, this.outbox, now);
          const result = await this.withSavepoint(em, command, () => this.one.applyWithin(em, command, now, types, settings), now);
          // a soft delete leaves an unlinked user that a later create of this batch may claim
          if (command.action === 'delete' && settings.deleteMode === 'soft') claimingTenants.add(command.tenantId);
          // the command may have changed this user and (a claim) another one: read them back
          for (const id of new Set([command.resourceId, result.outcome.resource?.id].filter((x): x is string => !!x))) {
            const state = await this.users.lockForUpdate(em, command.tenantId, id);
            const k = resourceKey(command.tenantId, id);
            if (state) states.set(k, state);
            else states.delete(k);
          }
          return result;
        }
        const outcome = outcomeOf(command, decision);
        let diff: Record<string, unknown> = {};
        let events: ChangeEvent[] = [];
        if (decision.kind === 'save') {
          states.set(key, decision.state);
          if (!decision.state.linked) claimingTenants.add(command.tenantId); // an import: a later create may claim it
          const unmatchedRoles = decision.profile?.unmatchedRoles ?? [];
          pending.saveUser(decision.state, decision.isNew, unmatchedRoles);
          events = [decision.event];
          diff = { changes: decision.event.data.changes.map((c) => c.attribute), ...(unmatchedRoles.length ? { unmatchedRoles } : {}) };
          // built here, where this command's trace context is the active one
          pending.outbox.push(...events.map((e) => changeEventRecord(e, command.tenantId, command.resourceId, this.config.KAFKA_TOPIC_PREFIX)));
        }
        pending.outcomes.push({ command, outcome });
        pending.audit.push(commandAuditEntry(command, outcome, diff, now));
        return { outcome, firstTime: true, events: events.length };
      });
      seen.set(command.commandId, applied);
      results.set(b, applied);
    }
    await pending.flush(em, this.users, this.audit, this.outbox, now);
    return results;
  }

  /** One command's effects under a savepoint: a rejection rolls back only them and is recorded in their place. */
  private async withSavepoint(em: EntityManager, command: ProvisioningCommand, work: () => Promise<AppliedCommand>, now: Date): Promise<AppliedCommand> {
    await em.query('SAVEPOINT apply_user');
    try {
      const result = await work();
      await em.query('RELEASE SAVEPOINT apply_user');
      return result;
    } catch (e) {
      const rejection = this.one.rejection(e, command);
      if (!rejection) throw e;
      await em.query('ROLLBACK TO SAVEPOINT apply_user');
      return this.one.recordRejection(em, command, rejection, now);
    }
  }

  private run<T>(b: BatchCommand, work: () => Promise<T>): Promise<T> {
    return b.inContext ? b.inContext(work) : work();
  }
}
