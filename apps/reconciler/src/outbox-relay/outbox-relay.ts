import { Injectable, Logger } from '@nestjs/common';
import { CoalescingProducer, recordBytes, sortPublishOutcomes, WorkLoop, WorkLoopHost } from '@scimflow/messaging';
import { Metrics } from '@scimflow/observability';
import { OutboxRelayStore, ParkedRecords, registerParkedRecordsGauge, RelayLease, TenantAdmin, TenantEvents } from '@scimflow/persistence';

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
export class OutboxRelay extends WorkLoopHost {
  private readonly logger = new Logger(OutboxRelay.name);
  protected readonly work = new WorkLoop({
    name: 'outbox relay',
    round: () => this.round(),
    pollMs: IDLE_POLL_MS,
    retryDelayMs: (failures) => Math.min(10_000, 200 * 2 ** failures),
    logger: this.logger,
  });
  private lease?: RelayLease;
  leader = false;

  constructor(
    private readonly store: OutboxRelayStore,
    private readonly producer: CoalescingProducer,
    parked: ParkedRecords,
    private readonly tenantEvents: TenantEvents,
    tenants: TenantAdmin,
    metrics: Metrics,
  ) {
    super();
    // Read from the database at each scrape, not by the relay loop: they must show a relay that is stuck or not running.
    metrics.gauge(
      'scimflow_outbox_oldest_unpublished_age_seconds',
      'age of the oldest outbox event waiting to be published (keys behind a parked record left out); 0 when none',
      [],
      async (g) => g.set(await this.store.oldestUnpublishedAgeSeconds()),
    );
    registerParkedRecordsGauge(metrics, parked);
    metrics.gauge('scimflow_tenants_paused', 'tenants an operator paused: intake (Entra answered 503) or delivery (events held)', ['what'], async (g) => {
      for (const [what, n] of Object.entries(await tenants.pausedCounts())) g.set({ what }, n);
    });
    const depth = metrics.gauge('scimflow_outbox_depth', 'events committed but not yet published', ['relay']);
    const published = metrics.counter('scimflow_outbox_published_total', 'events published from the outbox');
    this.onDrained = async (n, lease) => {
      published.inc(n);
      // Drained to empty: depth is 0. Behind: count, but at most every few seconds (a count is not free).
      if (n < BATCH) depth.set({ relay: 'leader' }, 0);
      else if (Date.now() - this.depthCountedAt > DEPTH_COUNT_INTERVAL_MS) {
        this.depthCountedAt = Date.now();
        depth.set({ relay: 'leader' }, await lease.depth());
      }
    };
  }

  private depthCountedAt = 0;
  private partitionsCheckedAt = 0;

  private readonly onDrained: (published: number, lease: RelayLease) => Promise<void>;

  override async onApplicationShutdown(): Promise<void> {
    await super.onApplicationShutdown();
    await this.releaseLead();
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
      // the lease's connection may be what failed: let go of the lead, which the next round (of any instance) takes
      await this.releaseLead();
      throw e;
    }
  }

  private async tryLead(): Promise<void> {
    this.lease = await this.store.tryLead();
    if (!this.lease) return;
    this.leader = true;
    this.logger.log('this instance relays the outbox');
  }

  private async releaseLead(): Promise<void> {
    const lease = this.lease;
    this.lease = undefined;
    this.leader = false;
    await lease?.release();
  }

  private async drainOnce(): Promise<number> {
    const lease = this.lease!;
    const pending = await lease.pending(BATCH);
    if (pending.length === 0) return 0;
    const records = pending.map((r) => ({ topic: r.topic, key: r.key, value: r.value, headers: r.headers }));
    const outcomes = sortPublishOutcomes(pending, await Promise.allSettled(records.map((r) => this.producer.send(r))));
    await lease.recordPublishing(
      outcomes.published.map((r) => r.id),
      outcomes.parked.map(({ record, error }) => ({
        outboxId: record.id,
        topic: record.topic,
        key: record.key,
        bytes: recordBytes(record),
        error: error.message,
      })),
    );
    for (const { record, error } of outcomes.parked)
      this.logger.error(`outbox event ${record.id} (${record.topic} key=${record.key}) parked, its key's later events wait: ${error.message}`);
    await this.onDrained(outcomes.published.length, lease);
    if (outcomes.transient) throw outcomes.transient;
    return pending.length;
  }
}
