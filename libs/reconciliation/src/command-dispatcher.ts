import { DataSource } from 'typeorm';
import { CommandApplyConfig } from '@scimflow/config';
import { ProvisioningCommand } from '@scimflow/contracts';
import { Stores, TenantProfiles } from '@scimflow/persistence';
import { ScimError } from '@scimflow/scim';
import { ApplyResult } from './apply-result';
import { ApplyGroupCommand } from './groups/apply-group-command';
import { ApplyUserCommands, TracedCommand } from './users/apply-user-commands';

/**
 * Routes commands to their use case. Shared by the reconciler's consumer and `scimctl replay|rebuild`, so that a
 * replay goes through exactly the same idempotent path (processed_commands) as live traffic. The use cases share the
 * stores and the tenants' cached rules (resource types, profile settings).
 */
export class CommandDispatcher {
  private readonly users: ApplyUserCommands;
  private readonly groups: ApplyGroupCommand;

  constructor(ds: DataSource, config: CommandApplyConfig, stores: Stores) {
    const profiles = new TenantProfiles(stores.tenantProfiles, config.PROFILE_CACHE_TTL_MS);
    this.users = new ApplyUserCommands(ds, config, stores, profiles);
    this.groups = new ApplyGroupCommand(ds, config, stores, profiles);
  }

  /** Dispatch by resource type (readCommand read it: a record without one holds a User command). */
  apply(command: ProvisioningCommand): Promise<ApplyResult> {
    return command.resourceType === 'Group' ? this.groups.execute(command) : this.users.apply(command);
  }

  /** User commands of a batch, in offset order, applied together (see ApplyUserCommands). */
  applyUsers(batch: TracedCommand[]): Promise<ApplyResult[]> {
    return this.users.execute(batch);
  }

  /**
   * Records a command that failed deterministically as answered with `error` (processed_commands and the audit log),
   * so that a redelivery or a replay answers the same instead of failing again. The prior outcome if it had one.
   */
  recordFailure(command: ProvisioningCommand, error: ScimError, now = new Date()): Promise<ApplyResult> {
    return this.users.recordRejection(command, error, now);
  }

  /** What a User command would do now, without writing (see ApplyUserCommands.preview); undefined for a Group command. */
  async previewUser(command: ProvisioningCommand): ReturnType<ApplyUserCommands['preview']> {
    return command.resourceType === 'User' ? this.users.preview(command) : undefined;
  }
}
