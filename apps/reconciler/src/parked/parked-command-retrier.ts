import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ReconcilerConfig } from '@scimflow/config';
import { backoffDelay, CommandOutcome, readCommand } from '@scimflow/contracts';
import { classifyFailure, CoalescingProducer, forEachConcurrently, replyAt, WorkLoop, WorkLoopHost } from '@scimflow/messaging';
import { Metrics } from '@scimflow/observability';
import { HeadResult, ParkedCommands, ParkedHead } from '@scimflow/persistence';
import { CommandDispatcher } from '@scimflow/reconciliation';
import { failureError } from '../failures';
import { OutboxRelay } from '../outbox-relay/outbox-relay';

const TENANTS_PER_ROUND = 200;

/**
 * Applies parked commands off the consumer's path: for each parked user whose first command is due, applies it and,
 * while that works, the commands waiting behind it, in order, answering each writer that still waits. Heavy commands
 * (big groups, big documents) are due at once; failed ones after their backoff. A transient failure keeps the command
 * parked with a longer backoff; a deterministic one is recorded as its answer and the next one goes on.
 * Fairness: tenants are served concurrently (PARKED_CONCURRENCY), each tenant's keys one at a time, so one tenant's
 * burst of heavy commands waits behind itself, not in front of the others. Any reconciler instance may do this (a key
 * at a time, under the key's lock). Kicked when something parked is due now (a heavy command), so it is looked at before
 * the next poll.
 */
@Injectable()
export class ParkedCommandRetrier extends WorkLoopHost {
  private readonly logger = new Logger(ParkedCommandRetrier.name);
  protected readonly work: WorkLoop;

  constructor(
    private readonly parked: ParkedCommands,
    private readonly dispatcher: CommandDispatcher,
    private readonly relay: OutboxRelay,
    private readonly producer: CoalescingProducer,
    private readonly config: ReconcilerConfig,
    metrics: Metrics,
  ) {
    super();
    // a failing round means the database is down or busy: the parked commands wait in it, the next round tries again
    this.work = new WorkLoop({
      name: 'parked command retry',
      round: async () => (await this.retryDue()) > 0,
      pollMs: config.PARKED_POLL_MS,
      logger: this.logger,
    });
    metrics.gauge(
      'scimflow_parked_commands',
      'commands held back per user: failed after retries, heavy, and those waiting behind them',
      ['kind'],
      async (gauge) => {
        const { commands, keys } = await this.parked.counts();
        gauge.set({ kind: 'commands' }, commands);
        gauge.set({ kind: 'resources' }, keys);
      },
    );
  }

  /**
   * One round: a due key of each tenant that has one, tenants concurrently, each key drained as far as its commands
   * apply. Returns how many commands left the park; the loop goes round again at once while any did.
   */
  async retryDue(now = new Date()): Promise<number> {
    let done = 0;
    await forEachConcurrently(await this.parked.dueKeys(TENANTS_PER_ROUND, now), this.config.PARKED_CONCURRENCY, async ({ recordKey }) => {
      done += await this.drain(recordKey);
    });
    return done;
  }

  private async drain(recordKey: string): Promise<number> {
    let done = 0;
    for (;;) {
      let result: HeadResult = { kind: 'done' };
      const state = await this.parked.retryHead(recordKey, async (head) => (result = await this.retry(head)));
      if (state !== 'retried' || result.kind !== 'done') return done;
      done++;
    }
  }

  private async retry(head: ParkedHead): Promise<HeadResult> {
    const command = readCommand(head.command);
    if (!command) throw new Error(`parked command ${head.id} is not readable`); // only readable commands are parked
    let outcome: CommandOutcome;
    try {
      outcome = (await this.dispatcher.apply(command)).outcome;
      this.relay.kick();
    } catch (e) {
      if (classifyFailure(e) === 'transient') {
        const retryAt = new Date(Date.now() + backoffDelay(head.attempts, this.config.PARKED_RETRY_BASE_MS, this.config.PARKED_RETRY_MAX_MS));
        this.logger.warn(`parked command ${command.commandId} failed (attempt ${head.attempts + 1}): ${(e as Error).message}`);
        return { kind: 'failed', error: (e as Error).message, retryAt };
      }
      const errorId = randomUUID();
      this.logger.error(`parked command ${command.commandId} failed deterministically (error id ${errorId}): ${(e as Error).message}`);
      outcome = (await this.dispatcher.recordFailure(command, failureError(e, errorId))).outcome;
    }
    // the writer of a heavy command (and of those behind it) may still wait; one who got 503 ignores this
    if (head.reply) await this.producer.send(replyAt(head.reply, JSON.stringify(outcome)));
    return { kind: 'done' };
  }
}
