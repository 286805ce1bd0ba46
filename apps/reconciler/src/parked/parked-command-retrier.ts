import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '@scimflow/config';
import { readCommand } from '@scimflow/contracts';
import { backoffDelay, classifyFailure, sleep } from '@scimflow/messaging';
import { Metrics } from '@scimflow/observability';
import { HeadResult, ParkedCommands, ParkedHead } from '@scimflow/persistence';
import { ScimError } from '@scimflow/scim';
import { CommandDispatcher } from '../command-dispatcher';
import { failureError } from '../command-consumer';
import { OutboxRelay } from '../outbox-relay/outbox-relay';

const KEYS_PER_ROUND = 50;

/**
 * Retries parked commands: for each parked user whose first command is due, applies it and, while that works, the
 * commands waiting behind it, in order. A transient failure keeps it parked with a longer backoff; a deterministic
 * one is recorded as its answer and the next one goes on. Any reconciler instance may do this (a key at a time, under
 * the key's lock); the writers got 503 long ago and see the result on their next request.
 */
@Injectable()
export class ParkedCommandRetrier implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ParkedCommandRetrier.name);
  private running = false;
  private loop?: Promise<void>;

  constructor(
    private readonly parked: ParkedCommands,
    private readonly dispatcher: CommandDispatcher,
    private readonly relay: OutboxRelay,
    private readonly config: AppConfig,
    metrics: Metrics,
  ) {
    metrics.gauge('scimflow_parked_commands', 'commands parked after transient failures, and those waiting behind them', ['kind'], async (gauge) => {
      const { commands, keys } = await this.parked.counts();
      gauge.set({ kind: 'commands' }, commands);
      gauge.set({ kind: 'resources' }, keys);
    });
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** One round: every due key, each drained as far as its commands apply. Returns how many commands left the park. */
  async retryDue(now = new Date()): Promise<number> {
    let done = 0;
    for (const key of await this.parked.dueKeys(KEYS_PER_ROUND, now)) {
      for (;;) {
        let result: HeadResult = { kind: 'done' };
        const state = await this.parked.retryHead(key, async (head) => (result = await this.retry(head)));
        if (state !== 'retried' || result.kind !== 'done') break;
        done++;
      }
    }
    if (done) this.relay.kick();
    return done;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.retryDue();
      } catch (e) {
        // the database is down or busy: the parked commands wait in it, the next round tries again
        this.logger.warn(`retrying parked commands: ${(e as Error).message}`);
      }
      await sleep(this.config.PARKED_POLL_MS);
    }
  }

  private async retry(head: ParkedHead): Promise<HeadResult> {
    const command = readCommand(head.command);
    if (!command) throw new Error(`parked command ${head.id} is not readable`); // only readable commands are parked
    try {
      await this.dispatcher.apply(command);
      return { kind: 'done' };
    } catch (e) {
      if (classifyFailure(e) === 'transient') {
        const retryAt = new Date(Date.now() + backoffDelay(head.attempts, this.config.PARKED_RETRY_BASE_MS, this.config.PARKED_RETRY_MAX_MS));
        this.logger.warn(`parked command ${command.commandId} failed again (attempt ${head.attempts + 1}): ${(e as Error).message}`);
        return { kind: 'failed', error: (e as Error).message, retryAt };
      }
      const errorId = randomUUID();
      this.logger.error(`parked command ${command.commandId} failed deterministically (error id ${errorId}): ${(e as Error).message}`);
      const answer: ScimError = failureError(e, errorId);
      await this.dispatcher.recordFailure(command, answer);
      return { kind: 'done' };
    }
  }
}
