import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';
import { CoalescingProducer, sleep } from '@scimflow/messaging';
import { Metrics } from '@scimflow/observability';
import { Outbox } from '@scimflow/persistence';

const RELAY_LOCK = 727275;
const BATCH = 500;
const IDLE_POLL_MS = 1000;
const DEPTH_COUNT_INTERVAL_MS = 5000;

/**
 * Publishes committed outbox events to Kafka. One relay at a time holds a session advisory lock,
 * so events of one user go out in commit order even with several reconciler instances.
 * Kicked right after each commit for low latency; polls as a safety net (e.g. after a crash).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private running = false;
  private wake?: () => void;
  private kicked = false;
  private loop?: Promise<void>;
  private runner?: QueryRunner;
  leader = false;

  constructor(
    private readonly ds: DataSource,
    private readonly outbox: Outbox,
    private readonly producer: CoalescingProducer,
    metrics: Metrics,
  ) {
    const depth = metrics.gauge('scimflow_outbox_depth', 'events committed but not yet published', ['relay']);
    const published = metrics.counter('scimflow_outbox_published_total', 'events published from the outbox');
    this.onDrained = async (n, manager) => {
      published.inc(n);
      // Drained to empty: depth is 0. Behind: count, but at most every few seconds (a count is not free).
      if (n < BATCH) depth.set({ relay: 'leader' }, 0);
      else if (Date.now() - this.depthCountedAt > DEPTH_COUNT_INTERVAL_MS) {
        this.depthCountedAt = Date.now();
        depth.set({ relay: 'leader' }, await this.outbox.depth(manager));
      }
    };
  }

  private depthCountedAt = 0;
  private readonly onDrained: (published: number, manager: QueryRunner['manager']) => Promise<void>;

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.kick();
    await this.loop;
  }

  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        if (!this.leader) await this.tryLead();
        const published = this.leader ? await this.drainOnce() : 0;
        failures = 0;
        if (published === BATCH) continue;
      } catch (e) {
        failures++;
        this.logger.warn(`outbox relay: ${(e as Error).message}; retrying`);
        await this.releaseLead();
        await sleep(Math.min(10_000, 200 * 2 ** failures));
        continue;
      }
      await this.idle();
    }
    await this.releaseLead();
  }

  private idle(): Promise<void> {
    if (this.kicked) {
      this.kicked = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, IDLE_POLL_MS);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        this.kicked = false;
        done();
      };
    });
  }

  private async tryLead(): Promise<void> {
    this.runner = this.ds.createQueryRunner();
    await this.runner.connect();
    const [{ locked }] = await this.runner.query('SELECT pg_try_advisory_lock($1) AS locked', [RELAY_LOCK]);
    if (locked) {
      this.leader = true;
      this.logger.log('this instance relays the outbox');
    } else await this.releaseLead();
  }

  private async releaseLead(): Promise<void> {
    const runner = this.runner;
    this.runner = undefined;
    this.leader = false;
    if (!runner || runner.isReleased) return;
    // Releasing the connection ends the session and with it the advisory lock, even if unlock fails.
    await runner.query('SELECT pg_advisory_unlock_all()').catch((e: Error) => this.logger.warn(`advisory unlock: ${e.message}`));
    await runner.release();
  }

  private async drainOnce(): Promise<number> {
    const runner = this.runner!;
    const pending = await this.outbox.pending(runner.manager, BATCH);
    if (pending.length === 0) return 0;
    await this.producer.sendMany(pending.map((r) => ({ topic: r.topic, key: r.key, value: r.value, headers: r.headers })));
    await this.outbox.markPublished(runner.manager, pending.map((r) => r.id));
    await this.onDrained(pending.length, runner.manager);
    return pending.length;
  }
}
