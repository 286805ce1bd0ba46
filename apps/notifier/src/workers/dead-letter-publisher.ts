import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { WorkLoop } from '@scimflow/messaging';
import { PublishDeadLetters } from '../usecases/publish-dead-letters/publish-dead-letters.usecase';

const SWEEP_MS = 10_000;

/**
 * Publishes dead letters (PublishDeadLetters): kicked when one is made, and sweeping periodically for those a crash or
 * a Kafka outage left behind.
 */
@Injectable()
export class DeadLetterPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeadLetterPublisher.name);
  private readonly work: WorkLoop;

  constructor(publishDeadLetters: PublishDeadLetters) {
    this.work = new WorkLoop({ name: 'publishing dead letters', round: () => publishDeadLetters.execute(), pollMs: SWEEP_MS, logger: this.logger });
  }

  onApplicationBootstrap(): void {
    this.work.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.work.stop();
  }

  /** A dead letter was made: publish it without waiting for the sweep. */
  kick(): void {
    this.work.kick();
  }
}
