import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

export interface WorkLoopOptions {
  /** What a round does, for the log line of a failing one ("relaying the outbox"). */
  name: string;
  /** One round. Resolves true when it did work and more may be waiting: the next round starts at once. */
  round: () => Promise<boolean>;
  /** Rest after a round that found nothing to do, unless kicked: the safety net for work nobody kicked about. */
  pollMs: number;
  /**
   * Rest after the `failures`-th failing round in a row, not cut short by a kick (a kick per commit must not hammer
   * what is failing). Unset: a failing round rests like an idle one (pollMs, or until kicked).
   */
  retryDelayMs?: (failures: number) => number;
  /** Where a failing round is reported (the owner's logger, so the line names it). */
  logger: { warn(message: string): void };
}

/**
 * A kickable polling loop: runs a round, again at once while rounds find work, otherwise rests until kicked (new work
 * was just committed) or the poll interval passed. A kick during a round is kept, so the rest after it ends at once
 * and no work waits a whole interval; a kick before the round started is spent by it. A failing round is logged and
 * the loop goes on. `stop` ends a rest at once and resolves when the round under way has finished.
 */
export class WorkLoop {
  private running = false;
  private loop?: Promise<void>;
  private kicked = false;
  private restKickable = false;
  private endRest?: () => void;

  constructor(private readonly options: WorkLoopOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** There is work now: start a round without waiting for the poll. */
  kick(): void {
    this.kicked = true;
    if (this.restKickable) this.endRest?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.endRest?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      this.kicked = false;
      let again: boolean;
      try {
        again = await this.options.round();
      } catch (e) {
        failures++;
        const retry = this.options.retryDelayMs;
        const delay = retry ? retry(failures) : this.options.pollMs;
        this.options.logger.warn(`${this.options.name} failed (${(e as Error).message}); next round in ${delay} ms${retry ? '' : ' or when kicked'}`);
        await this.rest(delay, !retry);
        continue;
      }
      failures = 0;
      if (!again) await this.rest(this.options.pollMs, true);
    }
  }

  private rest(ms: number, kickable: boolean): Promise<void> {
    if (!this.running || (kickable && this.kicked)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const end = () => {
        clearTimeout(timer);
        this.endRest = undefined;
        resolve();
      };
      const timer = setTimeout(end, ms);
      this.endRest = end;
      this.restKickable = kickable;
    });
  }
}

/**
 * A Nest provider whose work is a WorkLoop: the loop starts once the application is up and stops (the round under
 * way finished) when it shuts down; whoever commits work for it kicks it.
 */
export abstract class WorkLoopHost implements OnApplicationBootstrap, OnApplicationShutdown {
  protected abstract readonly work: WorkLoop;

  onApplicationBootstrap(): void {
    this.work.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.work.stop();
  }

  /** There is work now: start a round without waiting for the poll. */
  kick(): void {
    this.work.kick();
  }
}
