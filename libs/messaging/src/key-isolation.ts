import { backoffDelay } from '@scimflow/contracts';
import { sleep } from './sleep';
import { classifyFailure, FailureClass } from './failure';
import { forEachConcurrently } from './record';

/** What a consumer does with one item (a command, a record) of an ordered key, and with its failures. */
export interface KeyIsolationHandlers<T> {
  key(item: T): string;
  /** Applies the item; throwing is a failure, classified by `classifyFailure`. */
  apply(item: T): Promise<void>;
  /** A deterministic failure: answer and record it; then the key's next item goes on. */
  reject(item: T, error: unknown): Promise<void>;
  /**
   * Parks the item: `failed` when it still failed after the transient attempts, `deferred` when `defer` chose it
   * (each the key's first parked item); no reason when it waits behind an earlier parked item of its key, and then
   * `false` means the key has no parked items any more (they were applied meanwhile) and the item is applied
   * instead. Throwing here (the store is down) fails the whole call, and the consumer retries it with backoff as for
   * any outage.
   */
  park(item: T, reason?: ParkReason): Promise<boolean | void>;
  /** Items to take off the consumer's path (applied elsewhere, in order with their key): e.g. slow ones. */
  defer?(item: T): boolean;
  /**
   * Items kept back for a decision made elsewhere (a deprovisioning beyond its tenant's threshold): asked at the
   * item's turn, after its key's earlier items, even when the key is parked; the handler parks a held item itself
   * (atomically with the decision) and answers it. True when held: the key's later items park behind it.
   */
  hold?(item: T): Promise<boolean>;
}

export type ParkReason = { kind: 'failed'; error: unknown; attempts: number } | { kind: 'deferred' };

export interface KeyIsolationOptions {
  /** attempts of an item failing transiently before it is parked (its key held back, others going on) */
  transientAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** keys handled at once; the items of one key are always sequential */
  keyConcurrency: number;
  classify?: (error: unknown) => FailureClass;
}

/**
 * Applies items key by key, each key's items in order, so that one item's failure holds back only its own key:
 * a deterministic failure is rejected and its key goes on; a transient one is retried a few times in place and
 * then parked, and the key's later items park behind it (they keep their order for when it is redriven), while
 * every other key goes on. Items that `defer` picks are parked at once the same way, to be applied off this path.
 */
export class KeyIsolation<T> {
  private readonly classify: (error: unknown) => FailureClass;

  constructor(
    private readonly handlers: KeyIsolationHandlers<T>,
    private readonly options: KeyIsolationOptions,
  ) {
    if (!(options.transientAttempts >= 1)) throw new RangeError(`transientAttempts must be at least 1, got ${options.transientAttempts}`);
    this.classify = options.classify ?? classifyFailure;
  }

  /** `parkedKeys`: keys that already have a parked item (their items park behind it); updated with the keys parked here. */
  async run(items: T[], parkedKeys: Set<string>): Promise<void> {
    const byKey = new Map<string, T[]>();
    for (const item of items) {
      const k = this.handlers.key(item);
      let run = byKey.get(k);
      if (!run) byKey.set(k, (run = []));
      run.push(item);
    }
    // all keys settle before a failure (the store down while parking) fails the call: nothing runs on behind a retry
    await forEachConcurrently([...byKey], this.options.keyConcurrency, async ([key, run]) => {
      for (const item of run) {
        if (await this.handlers.hold?.(item)) {
          parkedKeys.add(key);
          continue;
        }
        if (parkedKeys.has(key)) {
          if ((await this.handlers.park(item)) !== false) continue;
          parkedKeys.delete(key);
        }
        if (this.handlers.defer?.(item)) {
          await this.handlers.park(item, { kind: 'deferred' });
          parkedKeys.add(key);
        } else if (!(await this.applyOne(item))) parkedKeys.add(key);
      }
    });
  }

  /** false when the item was parked */
  private async applyOne(item: T): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.handlers.apply(item);
        return true;
      } catch (error) {
        if (this.classify(error) === 'deterministic') {
          await this.handlers.reject(item, error);
          return true;
        }
        if (attempt >= this.options.transientAttempts) {
          await this.handlers.park(item, { kind: 'failed', error, attempts: attempt });
          return false;
        }
        await sleep(backoffDelay(attempt - 1, this.options.retryBaseMs, this.options.retryMaxMs));
      }
    }
  }
}
