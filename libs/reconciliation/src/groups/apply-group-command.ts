import { DataSource, EntityManager } from 'typeorm';
import { CommandApplyConfig } from '@scimflow/config';
import { ChangeEvent, GroupCommand, MembershipEventType, ProvisioningCommand } from '@scimflow/contracts';
import {
  AuditLog,
  changeEventRecord,
  commandAuditEntry,
  GroupStore,
  MembershipStore,
  Outbox,
  OutboxRecord,
  Stores,
  TenantProfiles,
  UserStore,
} from '@scimflow/persistence';
import {
  decideGroupCommand,
  finalizeGroupChange,
  GroupDecision,
  groupOutcome,
  MembershipDiffBuilder,
  membershipEvents,
  MissingReference,
} from '@scimflow/provisioning';
import { ScimError } from '@scimflow/scim';
import { ApplyResult, recordRejection, rejectionOf } from '../apply-result';

/** Outbox rows per INSERT: a 50,000-member change must stay under Postgres' 65,535 parameters per statement. */
const OUTBOX_CHUNK = 1000;
/** Unknown member ids named in one error detail. */
const UNKNOWN_IDS_SHOWN = 20;

/**
 * Applies one Group command in one Postgres transaction: the group row, the membership diff (computed by SQL on
 * scim_group_members, never by loading the group), the members' new versions, the idempotency record and every
 * event (group-changed, and membership-changed per affected user) commit together or not at all.
 */
export class ApplyGroupCommand {
  private readonly groups: GroupStore;
  private readonly users: UserStore;
  private readonly audit: AuditLog;
  private readonly memberships: MembershipStore;
  private readonly outbox: Outbox;

  constructor(
    private readonly ds: DataSource,
    private readonly config: CommandApplyConfig,
    stores: Pick<Stores, 'groupStore' | 'userStore' | 'auditLog' | 'memberships' | 'outbox' | 'tenantProfiles'>,
    private readonly profiles = new TenantProfiles(stores.tenantProfiles, config.PROFILE_CACHE_TTL_MS),
  ) {
    ({ groupStore: this.groups, userStore: this.users, auditLog: this.audit, memberships: this.memberships, outbox: this.outbox } = stores);
  }

  async execute(command: GroupCommand, now = new Date()): Promise<ApplyResult> {
    try {
      // The product's own groups are imported even where Entra may not write groups (SureCloud's userType names them).
      if (command.action !== 'import' && !(await this.profiles.settings(command.tenantId)).groupProvisioning) {
        // RFC 7644 §3.12: 501 for an operation the service provider does not support (here: for this tenant).
        return await this.refuse(
          command,
          new ScimError(501, 'Group provisioning is disabled for this tenant: group memberships are managed through userType'),
          now,
        );
      }
      return await this.ds.transaction('READ COMMITTED', async (em) => {
        const prior = await this.users.processedOutcome(em, command.commandId);
        if (prior) return { outcome: prior, firstTime: false, events: 0 };

        const current = await this.groups.lockForUpdate(em, command.tenantId, command.resourceId);
        const decision = decideGroupCommand(current, command, now);
        if (decision.kind === 'reject') throw decision.error; // recorded below, after the rollback
        const { outcome, records } = decision.kind === 'delete' ? await this.delete(em, command, decision, now) : await this.save(em, command, decision, now);
        await this.users.recordOutcome(em, command, outcome, now);
        await this.audit.record(em, commandAuditEntry(command, outcome, auditDiff(records), now));
        for (let i = 0; i < records.length; i += OUTBOX_CHUNK) await this.outbox.append(em, records.slice(i, i + OUTBOX_CHUNK));
        return { outcome, firstTime: true, events: records.length };
      });
    } catch (e) {
      const rejection = rejectionOf(e);
      if (!rejection) throw e; // infrastructure failure: the consumer retries the command
      return this.refuse(command, rejection, now);
    }
  }

  /**
   * Records a rejection (idempotency and audit) so that a redelivery answers the same, whatever changed meanwhile.
   * Answered with the rejection even where an earlier delivery was recorded: the tenant's rule comes before the
   * idempotency record.
   */
  private async refuse(command: ProvisioningCommand, error: ScimError, now: Date): Promise<ApplyResult> {
    await this.ds.transaction((em) => recordRejection(em, { users: this.users, audit: this.audit }, command, error, now));
    return { outcome: groupOutcome(command, { error }), firstTime: true, events: 0 };
  }

  private async save(em: EntityManager, command: ProvisioningCommand, decision: Extract<GroupDecision, { kind: 'save' }>, now: Date) {
    const { tenantId, resourceId: groupId } = command;
    const isNew = !decision.before;
    // The row must exist before memberships reference it; its final version is written below.
    if (isNew) await this.groups.insert(em, decision.state);

    const steps = decision.memberSteps;
    const named = unique(steps.flatMap((s) => (s.op === 'removeAll' ? [] : s.userIds)));
    const replacesAll = steps.some((s) => s.op === 'removeAll' || s.op === 'replace');
    await this.memberships.lockUsers(em, tenantId, named, replacesAll && !isNew ? groupId : undefined);
    const unknown = await this.memberships.unknownUsers(em, tenantId, unique(steps.flatMap((s) => (s.op === 'add' || s.op === 'replace' ? s.userIds : []))));
    if (unknown.length) throw unknownMembers(unknown);

    const diff = new MembershipDiffBuilder();
    for (const step of steps) {
      if (step.op === 'add') diff.recordAdded(await this.memberships.add(em, tenantId, groupId, step.userIds, now));
      else if (step.op === 'remove') diff.recordRemoved(await this.memberships.remove(em, tenantId, groupId, step.userIds));
      else if (step.op === 'removeAll') diff.recordRemoved(await this.memberships.removeAll(em, tenantId, groupId));
      else {
        const { added, removed } = await this.memberships.replace(em, tenantId, groupId, step.userIds, now);
        diff.recordRemoved(removed).recordAdded(added);
      }
    }
    const net = diff.result();
    const change = finalizeGroupChange(decision, net, command, now);
    if (!change) return { outcome: groupOutcome(command, { state: decision.before!, created: false }), records: [] };
    const state = change.state!;
    await this.groups.update(em, state);
    const versions = await this.memberships.advanceUserVersions(em, tenantId, [...net.added, ...net.removed], now);
    const records = [
      ...change.events.map((e) => this.record(e, tenantId, groupId)),
      ...membershipEvents(command, state, net, versions, now).map((e) => this.record(e, tenantId, e.data.userId)),
    ];
    return { outcome: groupOutcome(command, { state, created: isNew }), records };
  }

  private async delete(em: EntityManager, command: ProvisioningCommand, decision: Extract<GroupDecision, { kind: 'delete' }>, now: Date) {
    const { tenantId, resourceId: groupId } = command;
    await this.memberships.lockUsers(em, tenantId, [], groupId);
    const removed = await this.memberships.removeAll(em, tenantId, groupId);
    const net = new MembershipDiffBuilder().recordRemoved(removed).result();
    const change = finalizeGroupChange(decision, net, command, now)!;
    await this.groups.delete(em, tenantId, groupId);
    const versions = await this.memberships.advanceUserVersions(em, tenantId, net.removed, now);
    const records = [
      ...change.events.map((e) => this.record(e, tenantId, groupId)),
      ...membershipEvents(command, decision.before, net, versions, now).map((e) => this.record(e, tenantId, e.data.userId)),
    ];
    return { outcome: groupOutcome(command, { deleted: true }), records };
  }

  private record(e: ChangeEvent, tenantId: string, orderedBy: string): OutboxRecord {
    return changeEventRecord(e, tenantId, orderedBy, this.config.KAFKA_TOPIC_PREFIX);
  }
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}

/** RFC 7644 leaves unknown members open; we refuse the whole request and name them, so nothing half-applies. */
function unknownMembers(ids: string[]): MissingReference {
  const shown = ids.slice(0, UNKNOWN_IDS_SHOWN).join(', ');
  const more = ids.length > UNKNOWN_IDS_SHOWN ? ` and ${ids.length - UNKNOWN_IDS_SHOWN} more` : '';
  return new MissingReference(`Members must be Users of this tenant; unknown member ids: ${shown}${more}`);
}

/** Audit summary of a group change: which users joined or left (counts beyond a few). */
function auditDiff(records: OutboxRecord[]): Record<string, unknown> {
  const joined: string[] = [];
  const left: string[] = [];
  for (const r of records) {
    const e = r.payload as ChangeEvent;
    if (e.type === MembershipEventType.added) joined.push((e.data as { userId: string }).userId);
    else if (e.type === MembershipEventType.removed) left.push((e.data as { userId: string }).userId);
  }
  return {
    events: records.length,
    joinedUsers: joined.slice(0, UNKNOWN_IDS_SHOWN),
    joined: joined.length,
    leftUsers: left.slice(0, UNKNOWN_IDS_SHOWN),
    left: left.length,
  };
}
