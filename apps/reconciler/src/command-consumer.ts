import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { AppConfig } from '@scimflow/config';
import { CommandOutcome, ProvisioningCommand, topicName } from '@scimflow/contracts';
import { CoalescingProducer, ConsumedRecord, CORRELATION_HEADER, forEachConcurrently, groupByKey, KAFKA, OrderedConsumer, replyTo } from '@scimflow/messaging';
import { extractTraceContext, inSpan, Metrics, Readiness, SpanKind } from '@scimflow/observability';
import { ScimError } from '@scimflow/scim';
import { OutboxRelay } from './outbox-relay/outbox-relay';
import { CommandDispatcher } from './command-dispatcher';
import { USER_BATCH_SIZE } from './usecases/apply-user-batch/apply-user-batch.usecase';

export const RECONCILER_GROUP = 'scimflow-reconciler';

/** Consumes `scim.commands` in per-user order, applies each command and answers the waiting request. */
@Injectable()
export class CommandConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CommandConsumer.name);
  private readonly consumer: OrderedConsumer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    config: AppConfig,
    private readonly dispatcher: CommandDispatcher,
    private readonly producer: CoalescingProducer,
    private readonly relay: OutboxRelay,
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
      handle: (records) => this.handle(records),
      handleBatch: (records) => this.handleBatch(records),
      // a fetch's partition batches applied together: under request–reply load each holds only a few commands
      gatherBatchesUpTo: USER_BATCH_SIZE,
      // ~500 commands per partition batch: one transaction's worth, and 12 of them in memory at once at most
      maxBytesPerPartition: 256 * 1024,
    });
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
   * Partition batches (one or several, each in offset order): their User commands are applied together (one
   * transaction per chunk, see ApplyUserBatch), their other commands one by one per key, keys concurrently.
   * A key lives in one partition, so per-user order is the partition's. Replies go out after the commit.
   */
  private async handleBatch(records: ConsumedRecord[]): Promise<void> {
    const users: { record: ConsumedRecord; command: ProvisioningCommand }[] = [];
    const others: ConsumedRecord[] = [];
    for (const record of records) {
      const command = this.tryParse(record);
      if (command && CommandDispatcher.isUserCommand(command)) users.push({ record, command });
      else others.push(record);
    }
    await Promise.all([this.applyUsers(users), forEachConcurrently(groupByKey(others), 16, (group) => this.handle(group))]);
  }

  private async applyUsers(items: { record: ConsumedRecord; command: ProvisioningCommand }[]): Promise<void> {
    if (!items.length) return;
    const started = process.hrtime.bigint();
    const applied = await this.dispatcher.applyUsers(
      items.map(({ record, command }) => ({
        command,
        inContext: <T>(work: () => Promise<T>) =>
          inSpan('apply command', SpanKind.CONSUMER, extractTraceContext(record.headers), { 'messaging.kafka.offset': record.offset }, () => work()),
      })),
    );
    // the batch's time, shared by its commands: what one command costs when applied this way
    const each = Number(process.hrtime.bigint() - started) / 1e9 / items.length;
    this.relay.kick();
    await Promise.all(
      items.map(({ record, command }, i) => {
        this.observe(command, applied[i].outcome, each);
        return this.reply(record, applied[i].outcome);
      }),
    );
  }

  private observe(command: ProvisioningCommand | undefined, outcome: CommandOutcome, seconds: number): void {
    const labels = { resource: command?.resourceType ?? 'unknown', action: command?.action ?? 'unknown', status: String(outcome.status) };
    this.metrics.counter('scimflow_commands_applied_total', 'commands applied, by outcome status', Object.keys(labels)).inc(labels);
    this.metrics
      .histogram('scimflow_command_apply_duration_seconds', 'time to apply one command in Postgres (batched: the batch time per command)', ['resource', 'action'])
      .observe({ resource: labels.resource, action: labels.action }, seconds);
  }

  private async handle(records: ConsumedRecord[]): Promise<void> {
    for (const record of records) {
      await inSpan('apply command', SpanKind.CONSUMER, extractTraceContext(record.headers), { 'messaging.kafka.offset': record.offset }, () => this.handleOne(record));
    }
  }

  private async handleOne(record: ConsumedRecord): Promise<void> {
    const command = this.parse(record);
    const started = process.hrtime.bigint();
    const outcome = command
      ? await this.apply(command)
      : { commandId: record.headers[CORRELATION_HEADER] ?? 'unknown', status: 400, error: ScimError.badRequest('invalidSyntax', 'malformed command').toBody() };
    this.observe(command, outcome, Number(process.hrtime.bigint() - started) / 1e9);
    this.relay.kick();
    await this.reply(record, outcome);
  }

  private async apply(command: ProvisioningCommand): Promise<CommandOutcome> {
    const applied = await this.dispatcher.apply(command);
    if ('unsupported' in applied) this.logger.error(`command ${command.commandId} has unsupported resourceType ${String(command.resourceType)}`);
    return applied.outcome;
  }

  /** The command, if the record holds a readable one (unreadable ones are logged when handled one by one). */
  private tryParse(record: ConsumedRecord): ProvisioningCommand | undefined {
    try {
      const command = JSON.parse(record.value?.toString('utf8') ?? '') as ProvisioningCommand;
      return command && typeof command.commandId === 'string' && command.v === 1 ? command : undefined;
    } catch {
      return undefined;
    }
  }

  /** A record we cannot read did not come from our ingress; it is logged and answered, not retried forever. */
  private parse(record: ConsumedRecord): ProvisioningCommand | undefined {
    const command = this.tryParse(record);
    if (!command) this.logger.error(`unreadable or unsupported command at ${record.topic}[${record.partition}]@${record.offset}`);
    return command;
  }

  private async reply(record: ConsumedRecord, outcome: CommandOutcome): Promise<void> {
    const answer = replyTo(record.headers, JSON.stringify(outcome));
    if (answer) await this.producer.send(answer); // replays and other producers expect no answer
  }
}
