import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CommandOutcome, isMembershipEvent, ProvisioningCommand, resourceKey, topicName } from '@scimflow/contracts';
import { AppConfig } from '@scimflow/config';
import { MembershipStore, Outbox, TenantResourceTypes, UserStore } from '@scimflow/persistence';
import { decideUserCommand, outcomeOf, UserDecision, userDeletionEvents } from '@scimflow/provisioning';
import { ScimError } from '@scimflow/scim';

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
 * Applies one ProvisioningCommand in one Postgres transaction: state, idempotency record and
 * outbox event commit together or not at all.
 */
@Injectable()
export class ApplyUserCommand {
  constructor(
    private readonly ds: DataSource,
    private readonly users: UserStore,
    private readonly resourceTypes: TenantResourceTypes,
    private readonly outbox: Outbox,
    private readonly memberships: MembershipStore,
    private readonly config: AppConfig,
  ) {}

  async execute(command: ProvisioningCommand, now = new Date()): Promise<AppliedCommand> {
    // The tenant's User resource type (with its extension schemas), loaded before the transaction opens.
    const types = await this.resourceTypes.user(command.tenantId);
    try {
      return await this.ds.transaction('READ COMMITTED', async (em) => {
        const prior = await this.users.processedOutcome(em, command.commandId);
        if (prior) return { outcome: prior, firstTime: false, events: 0 };

        const current = await this.users.lockForUpdate(em, command.tenantId, command.resourceId);
        const decision = decideUserCommand(current, command, now, types);
        // A deleted user leaves every group first: membership-removed events, then user-deleted as the last one.
        const leaving =
          decision.kind === 'delete'
            ? userDeletionEvents(command, current!, await this.memberships.removeUserEverywhere(em, command.tenantId, command.resourceId), now)
            : undefined;
        await this.write(em, command, decision);
        const outcome = outcomeOf(command, decision);
        await this.users.recordOutcome(em, command, outcome, now);
        const events = leaving ? [...leaving.memberships, leaving.deleted] : decision.kind === 'save' ? [decision.event] : [];
        await this.outbox.append(
          em,
          events.map((e) => ({
            topic: topicName(isMembershipEvent(e) ? 'membershipChanged' : 'userChanged', this.config.KAFKA_TOPIC_PREFIX),
            key: resourceKey(command.tenantId, command.resourceId),
            payload: e,
            headers: { ce_type: e.type, ce_id: e.id, 'content-type': 'application/cloudevents+json' },
          })),
        );
        return { outcome, firstTime: true, events: events.length };
      });
    } catch (e) {
      const rejection = this.constraintRejection(e, command);
      if (!rejection) throw e; // infrastructure failure: the consumer retries the command
      const outcome = outcomeOf(command, { kind: 'reject', error: rejection });
      // Recorded so that a redelivery answers the same, even if the conflicting user is gone by then.
      await this.ds.transaction(async (em) => {
        if (!(await this.users.processedOutcome(em, command.commandId))) await this.users.recordOutcome(em, command, outcome, now);
      });
      return { outcome, firstTime: true, events: 0 };
    }
  }

  private async write(em: Parameters<Parameters<DataSource['transaction']>[1]>[0], command: ProvisioningCommand, d: UserDecision) {
    if (d.kind === 'save') await (d.isNew ? this.users.insert(em, d.state) : this.users.update(em, d.state));
    else if (d.kind === 'delete') await this.users.delete(em, command.tenantId, command.resourceId);
  }

  /** Constraint violations are the client's problem (a 4xx), not a reason to retry. */
  private constraintRejection(e: unknown, command: ProvisioningCommand): ScimError | undefined {
    const code = (e as { code?: string }).code;
    const constraint = (e as { constraint?: string }).constraint;
    if (code === UNIQUE_VIOLATION && constraint === 'scim_users_tenant_user_name')
      return ScimError.conflict('userName is already taken by another user of this tenant');
    if (code === UNIQUE_VIOLATION && constraint === 'scim_users_pkey') return ScimError.conflict(`User ${command.resourceId} already exists`);
    if (code === FOREIGN_KEY_VIOLATION) return ScimError.notFound(`tenant ${command.tenantId} does not exist`);
    return undefined;
  }
}
