import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { NotifierConfig } from '@scimflow/config';
import { ConsumerGroupName, TopicKey, topicName } from '@scimflow/contracts';
import { KAFKA, OrderedConsumer } from '@scimflow/messaging';
import { Metrics, Readiness } from '@scimflow/observability';
import { QueueEvents } from '../usecases/queue-events/queue-events.usecase';
import { DeliveryWorker } from './delivery-worker';

export const NOTIFIER_GROUP = ConsumerGroupName.notifier;

/** The topics whose events go to webhook subscriptions. Any CloudEvent with `id`, `type` and `tenantid` can be added. */
export const DELIVERED_TOPICS: TopicKey[] = ['userChanged', 'groupChanged', 'membershipChanged'];

/**
 * Consumes the change-event topics and only queues each event for the tenant's subscriptions in Postgres;
 * delivery happens in DeliveryWorker. So a failing webhook never holds up a partition: offsets are committed
 * as soon as the events are queued.
 */
@Injectable()
export class EventConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumer: OrderedConsumer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    config: NotifierConfig,
    queueEvents: QueueEvents,
    deliveryWorker: DeliveryWorker,
    metrics: Metrics,
    readiness: Readiness,
  ) {
    readiness.register('events-consumer', () => this.consumer.isAssigned);
    this.consumer = new OrderedConsumer(kafka, {
      observe: metrics.consumerLag(NOTIFIER_GROUP),
      sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
      groupId: config.KAFKA_TOPIC_PREFIX + NOTIFIER_GROUP,
      topics: DELIVERED_TOPICS.map((t) => topicName(t, config.KAFKA_TOPIC_PREFIX)),
      fromBeginning: true,
      // Records of one key arrive together and in order: queued in that order, they keep it in their lane.
      handle: async (records) => {
        if (await queueEvents.execute(records)) deliveryWorker.nudge();
      },
      // A fetch is held in memory until queued: kafkajs's default (1 MiB a partition, 10 MiB a fetch) took the
      // notifier past 200 MB RSS draining a 200,000-event backlog (BENCHMARKS.md, session 7).
      maxBytesPerPartition: 256 * 1024,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
