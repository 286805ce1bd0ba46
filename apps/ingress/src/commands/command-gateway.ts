import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { IngressConfig } from '@scimflow/config';
import { CommandOutcome, UnstampedCommand, COMMAND_SCHEMA_VERSION, ProvisioningCommand, resourceKey, topicName } from '@scimflow/contracts';
import { CoalescingProducer, KAFKA, RequestNotSentError, RequestReplyClient, RequestTimeoutError } from '@scimflow/messaging';
import { injectTraceHeaders, Readiness } from '@scimflow/observability';
import { ScimError } from '@scimflow/scim';

/**
 * Publishes a validated write as a ProvisioningCommand (its payload in its action's shape: the reconciler trusts it)
 * and waits for the reconciler's outcome.
 * If Kafka does not take the command, or the outcome does not come in time, the client gets
 * 503 + Retry-After: in the first case nothing was accepted; in the second the command is durable
 * and will still be applied, so a retry sees its effect.
 */
@Injectable()
export class CommandGateway implements OnModuleInit, OnApplicationShutdown {
  private readonly client: RequestReplyClient;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    producer: CoalescingProducer,
    private readonly config: IngressConfig,
    readiness: Readiness,
  ) {
    readiness.register('command-outcomes-consumer', () => this.client.isReady);
    this.client = new RequestReplyClient(
      kafka,
      producer,
      topicName('commandOutcomes', config.KAFKA_TOPIC_PREFIX),
      `${config.KAFKA_TOPIC_PREFIX}scimflow-ingress`,
    );
  }

  get isReady(): boolean {
    return this.client.isReady;
  }

  async onModuleInit(): Promise<void> {
    await this.client.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.stop();
  }

  async submit(req: UnstampedCommand): Promise<CommandOutcome> {
    const command: ProvisioningCommand = {
      v: COMMAND_SCHEMA_VERSION,
      // the command id is the correlation id: picked so that the outcome lands on the partition this instance reads
      commandId: this.client.newCorrelationId(),
      issuedAt: new Date().toISOString(),
      ...req,
    };
    let outcome: CommandOutcome;
    try {
      outcome = await this.client.request<CommandOutcome>(
        {
          topic: topicName('commands', this.config.KAFKA_TOPIC_PREFIX),
          key: resourceKey(req.tenantId, req.resourceId),
          value: JSON.stringify(command),
          headers: injectTraceHeaders({ 'schema-version': String(COMMAND_SCHEMA_VERSION) }),
        },
        command.commandId,
        this.config.COMMAND_TIMEOUT_MS,
      );
    } catch (e) {
      if (e instanceof RequestNotSentError)
        throw ScimError.unavailable('The provisioning pipeline is unavailable; the request was not accepted. Retry later.', this.config.RETRY_AFTER_SECONDS);
      if (e instanceof RequestTimeoutError)
        throw ScimError.unavailable(
          'The request was accepted but not applied in time; it will be applied. Retry later to see the result.',
          this.config.RETRY_AFTER_SECONDS,
        );
      throw e;
    }
    // 503 from the reconciler: the command is parked (kept, applied later), so the client is told when to look again
    if (outcome.error)
      throw outcome.status === 503 ? ScimError.unavailable(outcome.error.detail, this.config.RETRY_AFTER_SECONDS) : ScimError.fromBody(outcome.error);
    return outcome;
  }
}
