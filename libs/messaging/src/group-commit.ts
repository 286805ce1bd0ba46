/** One submitted item in a group being committed: the commit settles it with its result or with its own failure. */
export interface Submission<T, R> {
  readonly item: T;
  resolve(result: R): void;
  reject(error: Error): void;
}

export interface GroupCommitOptions<T, R> {
  /**
   * Commits one group (items in the order submitted) and settles each of its submissions. Throwing fails every
   * submission it has not settled with that error; one it leaves unsettled without throwing fails too (a bug).
   */
  commit: (group: Submission<T, R>[]) => Promise<void>;
  /** Most weight in one group. An item is never split: one heavier than this alone is a group of its own. */
  maxSize: number;
  /** An item's weight (default 1), e.g. the number of records in a batch. */
  weigh?: (item: T) => number;
  /**
   * Groups committed at once (default 1: one after another, so groups commit in the order their items were
   * submitted, and what is submitted during a commit is gathered into the next).
   */
  concurrency?: number;
}

class Pending<T, R> implements Submission<T, R> {
  settled = false;

  constructor(
    readonly item: T,
    private readonly onResult: (result: R) => void,
    private readonly onError: (error: Error) => void,
  ) {}

  resolve(result: R): void {
    if (this.settled) return;
    this.settled = true;
    this.onResult(result);
  }

  reject(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.onError(error);
  }
}

/**
 * Group commit: concurrent submissions are committed together, so the cost of a commit (a transaction, a produce
 * request) is paid per group instead of per item, and each submitter gets its own item's result.
 *
 * Items submitted in the same turn of the event loop make one group (setImmediate, not a microtask: callers started
 * from separate promise chains, such as kafkajs's partition handlers, arrive over several microtask turns but
 * before the next I/O phase), up to `maxSize`; the rest make further groups. While `concurrency` commits are in
 * flight, new items wait and make the next group as soon as one finishes: no timer holds anything back, and under
 * load groups grow by themselves.
 */
export class GroupCommit<T, R = void> {
  private readonly commit: (group: Submission<T, R>[]) => Promise<void>;
  private readonly maxSize: number;
  private readonly weigh: (item: T) => number;
  private readonly concurrency: number;
  private waiting: Pending<T, R>[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private gathering?: Promise<void>;

  constructor(options: GroupCommitOptions<T, R>) {
    if (!(options.maxSize >= 1)) throw new RangeError(`maxSize must be at least 1, got ${options.maxSize}`);
    const concurrency = options.concurrency ?? 1;
    if (!(concurrency >= 1)) throw new RangeError(`concurrency must be at least 1, got ${concurrency}`);
    this.commit = options.commit;
    this.maxSize = options.maxSize;
    this.weigh = options.weigh ?? (() => 1);
    this.concurrency = concurrency;
  }

  /** Resolves with the item's result once its group is committed; rejects with the group's or the item's failure. */
  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push(new Pending(item, resolve, reject));
      if (!this.gathering && this.inFlight.size < this.concurrency) {
        this.gathering = new Promise<void>((r) => setImmediate(r)).then(() => {
          this.gathering = undefined;
          this.startGroups();
        });
      }
    });
  }

  /** Resolves when everything submitted so far, and anything submitted meanwhile, is committed (shutdown). */
  async drain(): Promise<void> {
    while (this.gathering || this.inFlight.size > 0) await Promise.all([this.gathering, ...this.inFlight]);
  }

  private startGroups(): void {
    while (this.waiting.length > 0 && this.inFlight.size < this.concurrency) {
      const group = this.waiting.splice(0, this.groupLength());
      const done: Promise<void> = this.commitGroup(group).finally(() => {
        this.inFlight.delete(done);
        // a pending gathering starts what waits itself, keeping the items of one turn together
        if (!this.gathering) this.startGroups();
      });
      this.inFlight.add(done);
    }
  }

  /** How many waiting items, from the first, make the next group: at least one, then as many as fit in maxSize. */
  private groupLength(): number {
    let weight = 0;
    let n = 0;
    while (n < this.waiting.length) {
      const w = this.weigh(this.waiting[n].item);
      if (n > 0 && weight + w > this.maxSize) break;
      weight += w;
      n++;
    }
    return n;
  }

  private async commitGroup(group: Pending<T, R>[]): Promise<void> {
    let failure: Error | undefined;
    try {
      await this.commit(group);
    } catch (e) {
      failure = e as Error;
    }
    for (const s of group) if (!s.settled) s.reject(failure ?? new Error('the group commit left this item without a result'));
  }
}
