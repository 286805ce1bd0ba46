import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { NotifierConfig } from '@scimflow/config';
import { DEAD_LETTER_SCHEMA_VERSION, topicName } from '@scimflow/contracts';
import { CoalescingProducer } from '@scimflow/messaging';
import { DeadLetters } from '@scimflow/persistence';

const SWEEP_MS = 10_000;
const BATCH = 100;

/**
 * Publishes dead letters to `scim.dead-letters` after they were recorded in Postgres (the record is the
 * outbox): kicked when one is made, and swept periodically for those a crash or a Kafka outage left behind.
 */
@Injectable()
export class DeadLetterPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeadLetterPublisher.name);
  private readonly topic: string;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;

  constructor(
    config: NotifierConfig,
    private readonly deadLetters: DeadLetters,
    private readonly producer: CoalescingProducer,
  ) {
    this.topic = topicName('deadLetters', config.KAFKA_TOPIC_PREFIX);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.kick(), SWEEP_MS);
    this.kick();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Publishes what is pending; a kick while publishing runs once more afterwards. */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.publishAll()
      .catch((e: Error) => this.logger.warn(`publishing dead letters failed, next sweep retries: ${e.message}`))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async publishAll(): Promise<void> {
    for (;;) {
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
      if (published < BATCH) return;
    }
  }
}
