/**
 * Joins the partition batches a consumer is handed together into fewer, larger calls of `handle`.
 *
 * kafkajs hands over the partitions of one fetch as separate batches, all at once. Under request–reply load each
 * holds a few records, so handling each alone meant a transaction per partition for two or three commands. Batches
 * added in the same turn of the event loop are handled by one call instead (each batch's records kept together
 * and in order, batches in the order they were added), up to `maxRecords` per call: a batch that would go over
 * starts the next call, handled concurrently, so large batches (a replay) keep their partitions in parallel.
 * A batch is never split, so per-key order within a partition is the handler's as before.
 *
 * Every batch's promise settles with its call: if the call fails, every batch in it sees the failure, and each is
 * retried by its own consumer loop (retries added in the same turn are joined again).
 */
export class BatchGatherer<T> {
  private open?: { records: T[]; done: Promise<void> };

  constructor(
    private readonly handle: (records: T[]) => Promise<void>,
    private readonly maxRecords: number,
  ) {
    if (!(maxRecords >= 1)) throw new RangeError(`maxRecords must be at least 1, got ${maxRecords}`);
  }

  add(batch: T[]): Promise<void> {
    if (batch.length === 0) return Promise.resolve();
    if (this.open && this.open.records.length + batch.length <= this.maxRecords) {
      this.open.records.push(...batch);
      return this.open.done;
    }
    const records = [...batch];
    const done = new Promise<void>((resolve, reject) => {
      // setImmediate, not a microtask: kafkajs starts each partition's handler from its own promise chain, so
      // the batches of one fetch arrive over several microtask turns but before the next I/O phase.
      setImmediate(() => {
        if (this.open?.records === records) this.open = undefined;
        this.handle(records).then(resolve, reject);
      });
    });
    this.open = { records, done };
    return done;
  }
}
