import { Logger } from '@nestjs/common';
import { backoffDelay } from '@scimflow/contracts';
import { GroupCommit, sleep, Submission } from '@scimflow/messaging';
import { DeliverySettlement, FinishResult, LaneSettlement } from '@scimflow/persistence';

/** Most lanes recorded in one transaction. */
const MAX_BATCH = 500;
/** Tries at recording a batch before its lanes are given up (their leases run out and they are attempted again). */
const TRIES = 5;

/**
 * Group commit of finished lane turns: the turns that finish while a transaction is recording earlier ones are
 * recorded together in the next (DeliverySettlement.settle), so the cost of recording is per batch, not per delivery.
 * A turn waits at most for the transaction before its own; nothing is held back on a timer.
 */
export class LaneSettler {
  private readonly logger = new Logger(LaneSettler.name);
  private readonly turns = new GroupCommit<LaneSettlement, FinishResult>({ maxSize: MAX_BATCH, commit: (batch) => this.record(batch) });

  constructor(private readonly settlement: DeliverySettlement) {}

  settle(settlement: LaneSettlement): Promise<FinishResult> {
    return this.turns.submit(settlement);
  }

  /** Resolves when everything handed in so far is recorded (shutdown). */
  drain(): Promise<void> {
    return this.turns.drain();
  }

  private async record(batch: Submission<LaneSettlement, FinishResult>[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const results = await this.settlement.settle(batch.map((b) => b.item));
        batch.forEach((b, i) => b.resolve(results[i]));
        return;
      } catch (e) {
        // e.g. a deadlock victim or a lost connection: the attempts happened, so recording them is worth retrying.
        if (attempt >= TRIES) throw e;
        const delay = backoffDelay(attempt, 100, 2000);
        this.logger.warn(`recording ${batch.length} lane turns failed (${(e as Error).message}); retrying in ${delay} ms`);
        await sleep(delay);
      }
    }
  }
}
