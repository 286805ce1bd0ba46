import { Injectable } from '@nestjs/common';
import { NotifierConfig } from '@scimflow/config';
import { DEAD_LETTER_SCHEMA_VERSION, topicName } from '@scimflow/contracts';
import { CoalescingProducer } from '@scimflow/messaging';
import { DeadLetters } from '@scimflow/persistence';

const BATCH = 100;

/** Publishes dead letters to `scim.dead-letters` after they were recorded in Postgres (the record is the outbox). */
@Injectable()
export class PublishDeadLetters {
  private readonly topic: string;

  constructor(
    config: NotifierConfig,
    private readonly deadLetters: DeadLetters,
    private readonly producer: CoalescingProducer,
  ) {
    this.topic = topicName('deadLetters', config.KAFKA_TOPIC_PREFIX);
  }

  /** Publishes the oldest pending dead letters, a batch of them; true when the batch was full (more may be pending). */
  async execute(): Promise<boolean> {
    const published = await this.deadLetters.publishPending(
      (letters) =>
        this.producer.sendMany(
          letters.map(({ key, letter }) => ({
            topic: this.topic,
            key,
            value: JSON.stringify(letter),
            headers: { 'content-type': 'application/json', 'schema-version': String(DEAD_LETTER_SCHEMA_VERSION) },
          })),
        ),
      BATCH,
    );
    return published >= BATCH;
  }
}
