import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CommandApplyConfig } from '@scimflow/config';
import { CommandOutcome, ProvisioningCommand } from '@scimflow/contracts';
import { GroupStore, MembershipStore, Outbox, TenantResourceTypes, TenantSchemaStore, UserStore } from '@scimflow/persistence';
import { ScimError } from '@scimflow/scim';
import { ApplyGroupCommand } from './usecases/apply-group-command/apply-group-command.usecase';
import { AppliedCommand, ApplyUserCommand } from './usecases/apply-user-command/apply-user-command.usecase';
import { ApplyUserBatch, BatchCommand } from './usecases/apply-user-batch/apply-user-batch.usecase';

/**
 * Routes one command to its use case. Shared by the reconciler's consumer and `scimctl replay|rebuild`, so that a
 * replay goes through exactly the same idempotent path (processed_commands) as live traffic.
 */
@Injectable()
export class CommandDispatcher {
  constructor(
    private readonly ds: DataSource,
    private readonly applyUserCommand: ApplyUserCommand,
    private readonly applyGroupCommand: ApplyGroupCommand,
    private readonly applyUserBatch: ApplyUserBatch,
  ) {}

  /** Outside Nest (scimctl): the same use cases, wired on a given DataSource. */
  static on(ds: DataSource, config: CommandApplyConfig): CommandDispatcher {
    const users = new UserStore(ds);
    const memberships = new MembershipStore();
    const outbox = new Outbox();
    const types = new TenantResourceTypes(new TenantSchemaStore(ds), config.TENANT_SCHEMA_CACHE_TTL_MS);
    const applyUser = new ApplyUserCommand(ds, users, types, outbox, memberships, config);
    return new CommandDispatcher(ds, applyUser, new ApplyGroupCommand(ds, new GroupStore(ds), memberships, users, outbox, config), new ApplyUserBatch(ds, users, types, outbox, applyUser, config));
  }

  /** User commands of one partition batch, in offset order, applied together (see ApplyUserBatch). */
  applyUsers(batch: BatchCommand[]): Promise<AppliedCommand[]> {
    return this.applyUserBatch.execute(batch);
  }

  /**
   * Records a command that failed deterministically as answered with `error` (processed_commands and the audit log),
   * so that a redelivery or a replay answers the same instead of failing again. The prior outcome if it had one.
   */
  recordFailure(command: ProvisioningCommand, error: ScimError, now = new Date()): Promise<AppliedCommand> {
    return this.ds.transaction((em) => this.applyUserCommand.recordRejection(em, command, error, now));
  }

  /** What a User command would do now, without writing (see ApplyUserCommand.preview). */
  previewUser(command: ProvisioningCommand): ReturnType<ApplyUserCommand['preview']> {
    return this.applyUserCommand.preview(command);
  }

  /** Whether `apply` would route the command to the User use case. */
  static isUserCommand(command: ProvisioningCommand): boolean {
    return command.resourceType === 'User' || command.resourceType === undefined;
  }

  /** Dispatch by resource type; a v1 command without one is a User command (the only kind before Groups). */
  async apply(command: ProvisioningCommand): Promise<AppliedCommand | { outcome: CommandOutcome; firstTime: false; events: 0; unsupported: true }> {
    if (command.resourceType === 'Group') return this.applyGroupCommand.execute(command);
    if (CommandDispatcher.isUserCommand(command)) return this.applyUserCommand.execute(command);
    return {
      outcome: { commandId: command.commandId, status: 400, error: ScimError.badRequest('invalidSyntax', 'unsupported resource type').toBody() },
      firstTime: false,
      events: 0,
      unsupported: true,
    };
  }
}
