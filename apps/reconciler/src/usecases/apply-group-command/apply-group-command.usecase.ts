import { Injectable, Optional } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CommandApplyConfig } from '@scimflow/config';
import { ChangeEvent, CommandOutcome, MembershipEventType, ProvisioningCommand } from '@scimflow/contracts';
import { AuditLog, changeEventRecord, commandAuditEntry, GroupStore, MembershipStore, Outbox, OutboxRecord, UserStore } from '@scimflow/persistence';
import {
  decideGroupCommand,
  finalizeGroupChange,
  GroupDecision,
  groupOutcome,
  MembershipDiffBuilder,
  membershipEvents,
} from '@scimflow/provisioning';
import { ScimError } from '@scimflow/scim';
import type { AppliedCommand } from '../apply-user-command/apply-user-command.usecase';
import { TenantProfiles } from '../../profiles/tenant-profiles';

const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';
/** Outbox rows per INSERT: a 50,000-member change must stay under Postgres' 65,535 parameters per statement. */
const OUTBOX_CHUNK = 1000;
/** Unknown member ids named in one error detail. */
const UNKNOWN_IDS_SHOWN = 20;

/**
 * Applies one Group command in one Postgres transaction: the group row, the membership diff (computed by SQL on
 * scim_group_members, never by loading the group), the members' new versions, the idempotency record and every
 * event (group-changed, and membership-changed per affected user) commit together or not at all.
 */
@Injectable()
export class ApplyGroupCommand {
  private readonly profiles: TenantProfiles;
  private readonly audit: AuditLog;

  constructor(
    private readonly ds: DataSource,
    private readonly groups: GroupStore,
    private readonly memberships: MembershipStore,
    private readonly users: UserStore,
    private readonly outbox: Outbox,
    private readonly config: CommandApplyConfig,
    // Optional so that callers wiring the use case by hand (scimctl replay) get the same rules without knowing them.
    @Optional() profiles?: TenantProfiles,
    @Optional() audit?: AuditLog,
  ) {
    this.profiles = profiles ?? new TenantProfiles(ds, config);
    this.audit = audit ?? new AuditLog(ds);
  }

  async execute(command: ProvisioningCommand, now = new Date()): Promise<AppliedCommand> {
    try {
      // The product's own groups are imported even where Entra may not write groups (SureCloud's userType names them).
      if (command.action !== 'import' && !(await this.profiles.settings(command.tenantId)).groupProvisioning) {
        // RFC 7644 §3.12: 501 for an operation the service provider does not support (here: for this tenant).
        return await this.refuse(command, new ScimError(501, 'Group provisioning is disabled for this tenant: group memberships are managed through userType'), now);
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
      const rejection = this.rejection(e, command);
      if (!rejection) throw e; // infrastructure failure: the consumer retries the command
      return this.refuse(command, rejection, now);
    }
  }

  /** Records a rejection (idempotency and audit) so that a redelivery answers the same, whatever changed meanwhile. */
  private async refuse(command: ProvisioningCommand, error: ScimError, now: Date): Promise<AppliedCommand> {
    const outcome: CommandOutcome = groupOutcome(command, { error });
    await this.ds.transaction(async (em) => {
      if (await this.users.processedOutcome(em, command.commandId)) return;
      await this.users.recordOutcome(em, command, outcome, now);
      await this.audit.record(em, commandAuditEntry(command, outcome, {}, now));
    });
    return { outcome, firstTime: true, events: 0 };
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
      ...membershipEvents(command, decision.before, net, versions, now).map((e) =>
        this.record(e, tenantId, e.data.userId),
      ),
    ];
    return { outcome: groupOutcome(command, { deleted: true }), records };
  }

  private record(e: ChangeEvent, tenantId: string, orderedBy: string): OutboxRecord {
    return changeEventRecord(e, tenantId, orderedBy, this.config.KAFKA_TOPIC_PREFIX);
  }

  /** Client errors become the command's outcome; anything else is a failure to retry. */
  private rejection(e: unknown, command: ProvisioningCommand): ScimError | undefined {
    if (e instanceof ScimError) return e.status < 500 ? e : undefined;
    const code = (e as { code?: string }).code;
    const constraint = (e as { constraint?: string }).constraint;
    if (code === UNIQUE_VIOLATION && constraint === 'scim_groups_tenant_display_name')
      return ScimError.conflict('displayName is already taken by another group of this tenant');
    if (code === UNIQUE_VIOLATION && constraint === 'scim_groups_pkey')
      return ScimError.conflict(`Group ${command.resourceId} already exists`);
    if (code === FOREIGN_KEY_VIOLATION && constraint === 'scim_group_members_user')
      return ScimError.badRequest('invalidValue', 'A member is not a User of this tenant');
    if (code === FOREIGN_KEY_VIOLATION) return ScimError.notFound(`tenant ${command.tenantId} does not exist`);
    return undefined;
  }
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}

/** RFC 7644 leaves unknown members open; we refuse the whole request and name them, so nothing half-applies. */
function unknownMembers(ids: string[]): ScimError {
  const shown = ids.slice(0, UNKNOWN_IDS_SHOWN).join(', ');
  const more = ids.length > UNKNOWN_IDS_SHOWN ? ` and ${ids.length - UNKNOWN_IDS_SHOWN} more` : '';
  return ScimError.badRequest('invalidValue', `Members must be Users of this tenant; unknown member ids: ${shown}${more}`);
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
  return { events: records.length, joinedUsers: joined.slice(0, UNKNOWN_IDS_SHOWN), joined: joined.length, leftUsers: left.slice(0, UNKNOWN_IDS_SHOWN), left: left.length };
}
