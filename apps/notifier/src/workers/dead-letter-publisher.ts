import { Injectable, Logger } from '@nestjs/common';
import { WorkLoop, WorkLoopHost } from '@scimflow/messaging';
import { PublishDeadLetters } from '../usecases/publish-dead-letters/publish-dead-letters.usecase';

const SWEEP_MS = 10_000;

/**
 * Publishes dead letters (PublishDeadLetters): kicked when one is made, and sweeping periodically for those a crash or
 * a Kafka outage left behind.
 */
@Injectable()
export class DeadLetterPublisher extends WorkLoopHost {
  private readonly logger = new Logger(DeadLetterPublisher.name);
  protected readonly work: WorkLoop;

  constructor(publishDeadLetters: PublishDeadLetters) {
    super();
    this.work = new WorkLoop({ name: 'publishing dead letters', round: () => publishDeadLetters.execute(), pollMs: SWEEP_MS, logger: this.logger });
  }
}
