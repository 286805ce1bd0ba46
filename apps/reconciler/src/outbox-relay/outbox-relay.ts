import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';
import { CoalescingProducer, recordBytes, sortPublishOutcomes, WorkLoop } from '@scimflow/messaging';
import { Metrics } from '@scimflow/observability';
import { Outbox, ParkedRecords, registerParkedRecordsGauge, TenantAdmin, TenantEvents } from '@scimflow/persistence';

const RELAY_LOCK = 727275;
const BATCH = 500;
const IDLE_POLL_MS = 1000;
const DEPTH_COUNT_INTERVAL_MS = 5000;
/** The events API's day partitions exist this far ahead; the leader checks again every hour. */
const EVENT_PARTITIONS_AHEAD_DAYS = 3;
const EVENT_PARTITIONS_CHECK_MS = 3600_000;

/**
 * Publishes committed outbox events to Kafka. One relay at a time holds a session advisory lock,
 * so events of one user go out in commit order even with several reconciler instances.
 * Kicked right after each commit for low latency; polls as a safety net (e.g. after a crash).
 * An event that cannot be published (too large, refused by the broker: any deterministic failure) is parked with its
 * error and its key's later events wait behind it; every other key flows. Transient failures are retried with backoff.
 * The events API's log (tenant_events) is written here, in the transaction that removes the published rows: positions
 * are drawn by this one leader in publish order, so a reader never finds a gap that fills later.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly work = new WorkLoop({
    name: 'outbox relay',
    round: () => this.round(),
    pollMs: IDLE_POLL_MS,
    retryDelayMs: (failures) => Math.min(10_000, 200 * 2 ** failures),
    logger: this.logger,
  });
  private runner?: QueryRunner;
  leader = false;

  constructor(
    private readonly ds: DataSource,
    private readonly outbox: Outbox,
    private readonly producer: CoalescingProducer,
    private readonly parked: ParkedRecords,
    private readonly tenantEvents: TenantEvents,
    tenants: TenantAdmin,
    metrics: Metrics,
  ) {
    // Read from the database at each scrape, not by the relay loop: they must show a relay that is stuck or not running.
    metrics.gauge(
      'scimflow_outbox_oldest_unpublished_age_seconds',
      'age of the oldest outbox event waiting to be published (keys behind a parked record left out); 0 when none',
      [],
      async (g) => g.set(await this.outbox.oldestUnpublishedAgeSeconds(this.ds.manager)),
    );
    registerParkedRecordsGauge(metrics, this.parked);
    metrics.gauge('scimflow_tenants_paused', 'tenants an operator paused: intake (Entra answered 503) or delivery (events held)', ['what'], async (g) => {
      for (const [what, n] of Object.entries(await tenants.pausedCounts())) g.set({ what }, n);
    });
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
  private partitionsCheckedAt = 0;

  private readonly onDrained: (published: number, manager: QueryRunner['manager']) => Promise<void>;

  onApplicationBootstrap(): void {
    this.work.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.work.stop();
    await this.releaseLead();
  }

  kick(): void {
    this.work.kick();
  }

  /** Leads if it can, then publishes a batch; true when the batch was full (more may be waiting). */
  private async round(): Promise<boolean> {
    try {
      if (!this.leader) await this.tryLead();
      if (this.leader && Date.now() - this.partitionsCheckedAt > EVENT_PARTITIONS_CHECK_MS) {
        await this.tenantEvents.ensurePartitions(new Date(), EVENT_PARTITIONS_AHEAD_DAYS);
        this.partitionsCheckedAt = Date.now();
      }
      return this.leader && (await this.drainOnce()) === BATCH;
    } catch (e) {
      // the lock's connection may be what failed: let go of the lead, which the next round (of any instance) takes
      await this.releaseLead();
      throw e;
    }
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
    const records = pending.map((r) => ({ topic: r.topic, key: r.key, value: r.value, headers: r.headers }));
    const outcomes = sortPublishOutcomes(pending, await Promise.allSettled(records.map((r) => this.producer.send(r))));
    await runner.startTransaction();
    try {
      const publishedIds = outcomes.published.map((r) => r.id);
      await this.tenantEvents.recordPublished(runner.manager, publishedIds);
      await this.outbox.markPublished(runner.manager, publishedIds);
      if (outcomes.parked.length > 0)
        await this.parked.parkOutboxEvents(
          runner.manager,
          outcomes.parked.map(({ record, error }) => ({ outboxId: record.id, topic: record.topic, key: record.key, bytes: recordBytes(record), error: error.message })),
        );
      await runner.commitTransaction();
    } catch (e) {
      // the connection keeps the leader's lock: it must not be left inside a failed transaction
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch((r: Error) => this.logger.warn(`rollback: ${r.message}`));
      throw e;
    }
    for (const { record, error } of outcomes.parked)
      this.logger.error(`outbox event ${record.id} (${record.topic} key=${record.key}) parked, its key's later events wait: ${error.message}`);
    await this.onDrained(outcomes.published.length, runner.manager);
    if (outcomes.transient) throw outcomes.transient;
    return pending.length;
  }
}
