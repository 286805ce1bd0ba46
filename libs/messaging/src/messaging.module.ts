import { DynamicModule, Global, Inject, Injectable, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { KafkaSettings } from '@scimflow/config';
import { Readiness } from '@scimflow/observability';
import { topicSpecs } from '@scimflow/contracts';
import { CoalescingProducer } from './coalescing-producer';
import { createKafka, parseBrokers } from './kafka';
import { ensureTopics } from './topic-admin';

export const KAFKA = Symbol('KAFKA');

/** Connects the shared producer and makes sure the topics exist before the app takes work. */
@Injectable()
export class MessagingLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Messaging');
  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly producer: CoalescingProducer,
    private readonly config: KafkaSettings,
    readiness: Readiness,
  ) {
    readiness.register('kafka-producer', () => this.producer.isConnected);
  }

  async onModuleInit(): Promise<void> {
    const { created, warnings } = await ensureTopics(this.kafka, topicSpecs(this.config.KAFKA_TOPIC_PREFIX));
    if (created.length) this.logger.log(`created topics ${created.join(', ')}`);
    warnings.forEach((w) => this.logger.warn(w));
    await this.producer.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
  }
}

@Global()
@Module({})
export class MessagingModule {
  static forApp(clientId: string): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        {
          provide: KAFKA,
          inject: [KafkaSettings],
          useFactory: (config: KafkaSettings) => createKafka({ brokers: parseBrokers(config.KAFKA_BROKERS), clientId: `scimflow-${clientId}` }),
        },
        { provide: CoalescingProducer, inject: [KAFKA], useFactory: (kafka: Kafka) => new CoalescingProducer(kafka) },
        MessagingLifecycle,
      ],
      exports: [KAFKA, CoalescingProducer],
    };
  }
}
