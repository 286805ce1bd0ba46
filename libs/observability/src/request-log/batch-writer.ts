export interface BatchWriterOptions<T> {
  /** writes one batch (one statement); a rejection is reported to onError and the batch is dropped */
  write(batch: T[]): Promise<void>;
  /** a batch is written this long after its first entry at the latest */
  intervalMs: number;
  /** a batch is written as soon as it holds this many entries */
  maxBatch: number;
  /** entries waiting (queued and being written) beyond which new ones are dropped */
  maxQueued: number;
  /** with maxQueuedWeight: what an entry weighs (e.g. its bytes), so that few large entries cannot fill the memory */
  weigh?: (entry: T) => number;
  maxQueuedWeight?: number;
  onDropped(count: number): void;
  onError(error: unknown, lost: number): void;
}

/**
 * Collects entries off a request's path and writes them in batches, one write at a time. `add` never blocks and never
 * throws: when the queue is full the entry is dropped and counted, so a slow or unreachable database costs requests
 * nothing but their log entries.
 */
export class BatchWriter<T> {
  private queue: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private inFlight = 0;
  private weight = 0;
  private inFlightWeight = 0;

  constructor(private readonly options: BatchWriterOptions<T>) {}

  /** Entries waiting to be written, those of the write under way included. */
  get pending(): number {
    return this.queue.length + this.inFlight;
  }

  /** Total weight of the entries waiting, those of the write under way included. */
  get pendingWeight(): number {
    return this.weight + this.inFlightWeight;
  }

  add(entry: T): void {
    const w = this.options.weigh?.(entry) ?? 0;
    if (this.pending >= this.options.maxQueued || (this.options.maxQueuedWeight !== undefined && this.pendingWeight + w > this.options.maxQueuedWeight)) {
      this.options.onDropped(1);
      return;
    }
    this.queue.push(entry);
    this.weight += w;
    if (this.queue.length >= this.options.maxBatch) this.kick();
    else this.timer ??= setTimeout(() => this.kick(), this.options.intervalMs).unref();
  }

  /** Writes everything queued, batch after batch; resolves when the queue is empty (shutdown, tests). */
  async flush(): Promise<void> {
    while (this.writing || this.queue.length) {
      this.kick();
      await this.writing;
    }
  }

  private kick(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.writing || !this.queue.length) return;
    const batch = this.queue.splice(0, this.options.maxBatch);
    this.inFlight = batch.length;
    this.inFlightWeight = this.options.weigh ? batch.reduce((sum, e) => sum + this.options.weigh!(e), 0) : 0;
    this.weight -= this.inFlightWeight;
    this.writing = this.options
      .write(batch)
      .catch((e: unknown) => this.options.onError(e, batch.length))
      .finally(() => {
        this.inFlight = 0;
        this.inFlightWeight = 0;
        this.writing = undefined;
        if (this.queue.length >= this.options.maxBatch) this.kick();
        else if (this.queue.length) this.timer ??= setTimeout(() => this.kick(), this.options.intervalMs).unref();
      });
  }
}
