import { Injectable, Logger } from '@nestjs/common';
import { backoffDelay, sleep } from '@scimflow/messaging';
import { DeliveryQueue, FinishResult, LaneSettlement } from '@scimflow/persistence';

/** Most lanes recorded in one transaction. */
const MAX_BATCH = 500;
/** Tries at recording a batch before its lanes are given up (their leases run out and they are attempted again). */
const TRIES = 5;

/**
 * Group commit of finished lane turns: the turns that finish while a transaction is recording earlier ones are
 * recorded together in the next (DeliveryQueue.settle), so the cost of recording is per batch, not per delivery.
 * A turn waits at most for the transaction before its own; nothing is held back on a timer.
 */
@Injectable()
export class LaneSettler {
  private readonly logger = new Logger(LaneSettler.name);
  private waiting: { settlement: LaneSettlement; resolve: (r: FinishResult) => void; reject: (e: Error) => void }[] = [];
  private flushing?: Promise<void>;

  constructor(private readonly queue: DeliveryQueue) {}

  settle(settlement: LaneSettlement): Promise<FinishResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ settlement, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  /** Resolves when everything handed in so far is recorded (shutdown). */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flush(): Promise<void> {
    try {
      // turns that finish in the same turn of the event loop (answers read together) go in the first batch
      await new Promise((r) => setImmediate(r));
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, MAX_BATCH);
        for (let attempt = 1; ; attempt++) {
          try {
            const results = await this.queue.settle(batch.map((b) => b.settlement));
            batch.forEach((b, i) => b.resolve(results[i]));
            break;
          } catch (e) {
            // e.g. a deadlock victim or a lost connection: the attempts happened, so recording them is worth retrying.
            if (attempt >= TRIES) {
              batch.forEach((b) => b.reject(e as Error));
              break;
            }
            const delay = backoffDelay(attempt, 100, 2000);
            this.logger.warn(`recording ${batch.length} lane turns failed (${(e as Error).message}); retrying in ${delay} ms`);
            await sleep(delay);
          }
        }
      }
    } finally {
      this.flushing = undefined;
    }
  }
}
