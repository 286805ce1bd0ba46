import { EntityManager } from 'typeorm';
import { CommandOutcome, ProvisioningCommand } from '@scimflow/contracts';
import { AuditLog, commandAuditEntry, UserStore } from '@scimflow/persistence';
import { DomainError, outcomeOf, scimErrorOf } from '@scimflow/provisioning';
import { ScimError } from '@scimflow/scim';

/** What applying a command gave: its outcome, whether this was its first application, and how many events it wrote. */
export interface ApplyResult {
  outcome: CommandOutcome;
  /** false when the command had been applied before (a redelivery): nothing was written or emitted */
  firstTime: boolean;
  /** events written to the outbox */
  events: number;
}

/**
 * The answer to a command that failed because of what it asks (a client error, or what the stores raised: a
 * userName taken, a tenant gone), recorded as its outcome; undefined for a failure to retry (the database, a bug).
 */
export function rejectionOf(e: unknown): ScimError | undefined {
  if (e instanceof DomainError) return scimErrorOf(e);
  if (e instanceof ScimError && e.status < 500) return e;
  return undefined;
}

/**
 * Records a command as answered with `error` (processed_commands and the audit log), after its effects were rolled
 * back, so that a redelivery or a replay answers the same; a command recorded before keeps its first outcome.
 */
export async function recordRejection(
  em: EntityManager,
  stores: { users: UserStore; audit: AuditLog },
  command: ProvisioningCommand,
  error: ScimError,
  now: Date,
): Promise<ApplyResult> {
  const prior = await stores.users.processedOutcome(em, command.commandId);
  if (prior) return { outcome: prior, firstTime: false, events: 0 };
  const outcome = outcomeOf(command, { kind: 'reject', error });
  await stores.users.recordOutcome(em, command, outcome, now);
  await stores.audit.record(em, commandAuditEntry(command, outcome, {}, now));
  return { outcome, firstTime: true, events: 0 };
}
