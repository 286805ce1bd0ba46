import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { AppConfig } from '@scimflow/config';
import { topicName, UserChangedEvent } from '@scimflow/contracts';
import { ConsumedRecord, KAFKA, OrderedConsumer } from '@scimflow/messaging';
import { DeliverEvent } from './usecases/deliver-event/deliver-event.usecase';

export const NOTIFIER_GROUP = 'scimflow-notifier';

/** Consumes `scim.user-changed`; a user's events are delivered one after another, in sequence. */
@Injectable()
export class EventConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EventConsumer.name);
  private readonly consumer: OrderedConsumer;

  constructor(@Inject(KAFKA) kafka: Kafka, config: AppConfig, private readonly deliver: DeliverEvent) {
    this.consumer = new OrderedConsumer(kafka, {
      groupId: config.KAFKA_TOPIC_PREFIX + NOTIFIER_GROUP,
      topics: [topicName('userChanged', config.KAFKA_TOPIC_PREFIX)],
      fromBeginning: true,
      retryBaseMs: config.WEBHOOK_RETRY_BASE_MS,
      retryMaxMs: config.WEBHOOK_RETRY_MAX_MS,
      handle: (records) => this.handle(records),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }

  private async handle(records: ConsumedRecord[]): Promise<void> {
    for (const record of records) {
      let event: UserChangedEvent;
      try {
        event = JSON.parse(record.value?.toString('utf8') ?? '');
      } catch (e) {
        this.logger.error(`unreadable event at ${record.topic}[${record.partition}]@${record.offset}: ${(e as Error).message}`);
        continue;
      }
      await this.deliver.execute(event);
    }
  }
}
