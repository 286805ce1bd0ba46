import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { ReconcilerConfig } from '@scimflow/config';
import { backoffDelay, CommandOutcome, ConsumerGroupName, ProvisioningCommand, readCommand, resourceKey, topicName, UserCommand } from '@scimflow/contracts';
import {
  CoalescingProducer,
  ConsumedRecord,
  CORRELATION_HEADER,
  KAFKA,
  KeyIsolation,
  OrderedConsumer,
  ParkReason,
  replyAddress,
  replyTo,
} from '@scimflow/messaging';
import { extractTraceContext, inSpan, Metrics, Readiness, SpanKind } from '@scimflow/observability';
import { DeprovisioningHolds, ParkedCommandInput, ParkedCommands } from '@scimflow/persistence';
import { deprovisioningOf, mayDeprovision, outcomeOf } from '@scimflow/provisioning';
import { ScimError } from '@scimflow/scim';
import { CommandDispatcher, USER_BATCH_SIZE } from '@scimflow/reconciliation';
import { OutboxRelay } from './outbox-relay/outbox-relay';
import { failureError } from './failures';
import { ParkedCommandRetrier } from './parked/parked-command-retrier';

export const RECONCILER_GROUP = ConsumerGroupName.reconciler;

interface Item {
  record: ConsumedRecord;
  command: ProvisioningCommand;
}

/**
 * Consumes `scim.commands` in per-user order, applies each command and answers the waiting request. A command that
 * fails holds back only its own user (KeyIsolation): a deterministic failure is answered and recorded, a transient
 * one is retried and then parked with the user's later commands behind it (ParkedCommandRetrier retries it). A
 * command slow to apply (larger than HEAVY_COMMAND_BYTES) is parked at once and applied by ParkedCommandRetrier, one
 * at a time per tenant, so that a tenant's burst of big groups does not hold every other tenant's partitions.
 * A deprovisioning (a user deactivated or deleted) is admitted against its tenant's threshold at its turn; beyond
 * it, it is parked in a hold (DeprovisioningHolds), answered as if applied, and not applied until an operator
 * approves the hold; the user's later commands wait behind it.
 */
@Injectable()
export class CommandConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CommandConsumer.name);
  private readonly consumer: OrderedConsumer;
  private readonly isolation: KeyIsolation<Item>;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    private readonly config: ReconcilerConfig,
    private readonly dispatcher: CommandDispatcher,
    private readonly producer: CoalescingProducer,
    private readonly relay: OutboxRelay,
    private readonly parked: ParkedCommands,
    private readonly retrier: ParkedCommandRetrier,
    private readonly holds: DeprovisioningHolds,
    private readonly metrics: Metrics,
    readiness: Readiness,
  ) {
    readiness.register('commands-consumer', () => this.consumer.isAssigned);
    this.consumer = new OrderedConsumer(kafka, {
      sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
      observe: metrics.consumerLag(RECONCILER_GROUP),
      groupId: config.KAFKA_TOPIC_PREFIX + RECONCILER_GROUP,
      topics: [topicName('commands', config.KAFKA_TOPIC_PREFIX)],
      fromBeginning: true,
      handle: (records) => this.handleBatch(records),
      handleBatch: (records) => this.handleBatch(records),
      // a fetch's partition batches applied together: under request–reply load each holds only a few commands
      gatherBatchesUpTo: USER_BATCH_SIZE,
      // ~500 commands per partition batch: one transaction's worth, and 12 of them in memory at once at most
      maxBytesPerPartition: 256 * 1024,
    });
    this.isolation = new KeyIsolation<Item>(
      {
        key: ({ command }) => resourceKey(command.tenantId, command.resourceId),
        apply: (item) => this.applyOne(item),
        reject: (item, error) => this.reject(item, error),
        park: (item, reason) => this.park(item, reason),
        defer: (item) => this.isHeavy(item),
        hold: (item) => this.hold(item),
      },
      { transientAttempts: config.COMMAND_TRANSIENT_ATTEMPTS, retryBaseMs: 200, retryMaxMs: 2000, keyConcurrency: 16 },
    );
    metrics.gauge(
      'scimflow_deprovisioning_held',
      "deprovisioning commands held beyond the tenant's threshold, waiting for an operator's decision",
      ['tenant'],
      async (gauge) => {
        const held = await this.holds.heldPerTenant();
        gauge.reset();
        for (const { tenantId, commands } of held) gauge.set({ tenant: tenantId }, commands);
      },
    );
  }

  get isAssigned(): boolean {
    return this.consumer.isAssigned;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }

  /**
   * Partition batches (one or several, each in offset order). The User commands of users with nothing parked are
   * applied together first (one transaction per chunk, see ApplyUserCommands); if that fails, and for every other
   * command, each user's commands are applied one by one in order (users concurrently), isolated from each other.
   * A key lives in one partition, so per-user order is the partition's. Replies go out after the commit.
   */
  private async handleBatch(records: ConsumedRecord[]): Promise<void> {
    const items: Item[] = [];
    const unreadable: ConsumedRecord[] = [];
    for (const record of records) {
      const command = readCommand(record.value);
      if (command) items.push({ record, command });
      else unreadable.push(record);
    }
    const parked = await this.parked.parkedAmong([...new Set(items.map((i) => this.isolationKey(i)))]);
    // a user with a possible deprovisioning goes the one-by-one way, where it is admitted against the threshold at its turn
    const guarded = new Set(items.filter((i) => mayDeprovision(i.command)).map((i) => this.isolationKey(i)));
    const users = items.filter(
      (i): i is Item & { command: UserCommand } =>
        i.command.resourceType === 'User' && !parked.has(this.isolationKey(i)) && !guarded.has(this.isolationKey(i)) && !this.isHeavy(i),
    );
    const batched = users.length && (await this.applyUsers(users)) ? new Set(users) : new Set<Item>();
    await Promise.all([
      this.isolation.run(
        items.filter((i) => !batched.has(i)),
        parked,
      ),
      ...unreadable.map((r) => this.answerUnreadable(r)),
    ]);
  }

  private isolationKey({ command }: Item): string {
    return resourceKey(command.tenantId, command.resourceId);
  }

  private isHeavy({ record }: Item): boolean {
    return this.config.HEAVY_COMMAND_BYTES > 0 && (record.value?.length ?? 0) > this.config.HEAVY_COMMAND_BYTES;
  }

  /** false if the batch failed: its commands are then applied one by one (those it committed answer as before). */
  private async applyUsers(items: (Item & { command: UserCommand })[]): Promise<boolean> {
    const started = process.hrtime.bigint();
    let applied;
    try {
      applied = await this.dispatcher.applyUsers(
        items.map(({ record, command }) => ({ command, inContext: <T>(work: () => Promise<T>) => this.inCommandSpan(record, work) })),
      );
    } catch (e) {
      this.logger.warn(`a batch of ${items.length} commands failed (${(e as Error).message}); applying each user's commands on their own`);
      return false;
    }
    // the batch's time, shared by its commands: what one command costs when applied this way
    const each = Number(process.hrtime.bigint() - started) / 1e9 / items.length;
    this.relay.kick();
    await Promise.all(
      items.map(({ record, command }, i) => {
        this.observe(command, applied[i].outcome, each);
        return this.reply(record, applied[i].outcome);
      }),
    );
    return true;
  }

  private async applyOne({ record, command }: Item): Promise<void> {
    const started = process.hrtime.bigint();
    const applied = await this.inCommandSpan(record, () => this.dispatcher.apply(command));
    this.observe(command, applied.outcome, Number(process.hrtime.bigint() - started) / 1e9);
    this.relay.kick();
    await this.reply(record, applied.outcome);
  }

  /**
   * Holds a deprovisioning beyond its tenant's threshold (or while the tenant has an open hold): parked in the hold,
   * unapplied, and its writer answered at once as the command would be answered if applied now (DELETE 204; PATCH
   * and PUT 200 with the user as it would be), so that Entra goes on and does not quarantine the job. False for
   * anything else, which is applied as usual.
   */
  private async hold({ record, command }: Item): Promise<boolean> {
    if (!mayDeprovision(command)) return false;
    const preview = await this.dispatcher.previewUser(command);
    const kind = preview && deprovisioningOf(preview.current, preview.decision);
    if (!kind) return false;
    // the writer is answered now: nobody waits for a held command's outcome
    const admission = await this.holds.admit({ ...this.parkedInput(record, command), reply: undefined });
    if (admission.kind === 'apply') return false;
    if (admission.opened)
      this.logger.warn(
        `tenant ${command.tenantId}: deprovisioning threshold exceeded, hold ${admission.holdId} opened; further deprovisionings wait for an operator`,
      );
    this.metrics.counter('scimflow_deprovisionings_held_total', "deprovisioning commands held beyond the tenant's threshold", ['kind']).inc({ kind });
    await this.reply(record, outcomeOf(command, preview!.decision));
    return true;
  }

  /** A deterministic failure: logged with an error id, answered, recorded as the command's outcome and audited. */
  private async reject({ record, command }: Item, error: unknown): Promise<void> {
    const errorId = randomUUID();
    const answer = failureError(error, errorId);
    this.logger.error(`command ${command.commandId} at ${source(record)} failed deterministically (error id ${errorId}): ${describe(error)}`);
    this.failures('deterministic');
    const recorded = await this.dispatcher.recordFailure(command, answer);
    this.observe(command, recorded.outcome, 0);
    await this.reply(record, recorded.outcome);
  }

  private parkedInput(record: ConsumedRecord, command: ProvisioningCommand): ParkedCommandInput {
    return {
      recordKey: resourceKey(command.tenantId, command.resourceId),
      tenantId: command.tenantId,
      commandId: command.commandId,
      resourceType: command.resourceType,
      resourceId: command.resourceId,
      action: command.action,
      source: source(record),
      command: record.value!.toString('utf8'),
      reply: replyAddress(record.headers),
    };
  }

  /**
   * Parks the command: the first of its user after transient failures (its writer gets 503 at once), a heavy one
   * (its writer keeps waiting: the retrier answers), or behind one of those or a held deprovisioning (answered like
   * the one it waits for; behind a held one: 503).
   */
  private async park({ record, command }: Item, reason?: ParkReason): Promise<boolean> {
    const input = this.parkedInput(record, command);
    let failing: boolean;
    let held = false;
    if (reason?.kind === 'failed') {
      const retryAt = new Date(Date.now() + backoffDelay(0, this.config.PARKED_RETRY_BASE_MS, this.config.PARKED_RETRY_MAX_MS));
      await this.parked.park(input, { kind: 'failed', error: describe(reason.error), attempts: reason.attempts, retryAt });
      this.logger.warn(`command ${command.commandId} at ${input.source} parked after ${reason.attempts} transient failures: ${describe(reason.error)}`);
      this.failures('transient');
      failing = true;
    } else if (reason?.kind === 'deferred') {
      await this.parked.park(input, { kind: 'heavy' });
      failing = false;
    } else {
      const head = await this.parked.parkBehind(input);
      if (!head) return false;
      failing = head !== 'pending';
      held = head === 'held';
    }
    if (!failing) {
      this.retrier.kick();
      return true;
    }
    const detail = reason
      ? 'The request could not be applied yet (a temporary failure); it is kept and will be applied. Retry later to see the result.'
      : held
        ? "An earlier deprovisioning of this resource is held for an operator's decision (the tenant's deprovisioning threshold); this request is kept behind it. Retry later to see the result."
        : 'An earlier request for this resource is waiting to be applied; this one is kept behind it. Retry later to see the result.';
    await this.reply(record, { commandId: command.commandId, status: 503, error: new ScimError(503, detail).toBody() });
    return true;
  }

  /** A record we cannot read did not come from our ingress: logged and answered, never retried. */
  private async answerUnreadable(record: ConsumedRecord): Promise<void> {
    this.logger.error(`unreadable or unsupported command at ${source(record)}`);
    const outcome = {
      commandId: record.headers[CORRELATION_HEADER] ?? 'unknown',
      status: 400,
      error: ScimError.badRequest('invalidSyntax', 'malformed command').toBody(),
    };
    this.observe(undefined, outcome, 0);
    await this.reply(record, outcome);
  }

  private inCommandSpan<T>(record: ConsumedRecord, work: () => Promise<T>): Promise<T> {
    return inSpan('apply command', SpanKind.CONSUMER, extractTraceContext(record.headers), { 'messaging.kafka.offset': record.offset }, work);
  }

  private failures(failureClass: 'deterministic' | 'transient'): void {
    this.metrics
      .counter('scimflow_command_failures_total', 'commands that failed: deterministic (answered, not retried) or transient (parked after retries)', ['class'])
      .inc({ class: failureClass });
  }

  private observe(command: ProvisioningCommand | undefined, outcome: CommandOutcome, seconds: number): void {
    const labels = { resource: command?.resourceType ?? 'unknown', action: command?.action ?? 'unknown', status: String(outcome.status) };
    this.metrics.counter('scimflow_commands_applied_total', 'commands applied, by outcome status', Object.keys(labels)).inc(labels);
    this.metrics
      .histogram('scimflow_command_apply_duration_seconds', 'time to apply one command in Postgres (batched: the batch time per command)', [
        'resource',
        'action',
      ])
      .observe({ resource: labels.resource, action: labels.action }, seconds);
  }

  private async reply(record: ConsumedRecord, outcome: CommandOutcome): Promise<void> {
    const answer = replyTo(record.headers, JSON.stringify(outcome));
    if (answer) await this.producer.send(answer); // replays and other producers expect no answer
  }
}

function source(record: ConsumedRecord): string {
  return `${record.topic}[${record.partition}]@${record.offset}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
