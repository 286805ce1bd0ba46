import { Logger } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';
import { TenantEvents } from '../events/tenant-events';
import { Outbox, PendingOutboxRecord } from './outbox';
import { ParkedOutboxEvent, ParkedRecords } from './parked-records';

/** Session advisory lock held by the relay that leads. */
const RELAY_LOCK = 727275;

const logger = new Logger('OutboxRelayStore');

/**
 * What the outbox relay reads and writes. One relay at a time publishes, so that events of one key go out in commit
 * order even with several reconciler instances: it leads while it holds a session advisory lock on a connection of
 * its own (a RelayLease), and reads and writes the outbox on that connection.
 */
export class OutboxRelayStore {
  constructor(
    private readonly ds: DataSource,
    private readonly outbox: Outbox,
    private readonly tenantEvents: TenantEvents,
    private readonly parked: ParkedRecords,
  ) {}

  /** Outbox.oldestUnpublishedAgeSeconds on any connection: it must show a relay that is stuck or not running. */
  oldestUnpublishedAgeSeconds(): Promise<number> {
    return this.outbox.oldestUnpublishedAgeSeconds(this.ds.manager);
  }

  /** The lease when this instance takes the relay's lock; undefined when another instance holds it. */
  async tryLead(): Promise<RelayLease | undefined> {
    const runner = this.ds.createQueryRunner();
    const lease = new RelayLease(runner, this.outbox, this.tenantEvents, this.parked);
    try {
      await runner.connect();
      const [{ locked }]: { locked: boolean }[] = await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [RELAY_LOCK]);
      if (locked) return lease;
    } catch (e) {
      await lease.release();
      throw e;
    }
    await lease.release();
    return undefined;
  }
}

/** The leading relay's connection, holding the relay's lock until released. */
export class RelayLease {
  constructor(
    private readonly runner: QueryRunner,
    private readonly outbox: Outbox,
    private readonly tenantEvents: TenantEvents,
    private readonly parked: ParkedRecords,
  ) {}

  /** Outbox.pending, on the leader's connection. */
  pending(limit: number): Promise<PendingOutboxRecord[]> {
    return this.outbox.pending(this.runner.manager, limit);
  }

  /**
   * After a publishing round, in one transaction: the published events are written to the events API's log and
   * removed from the outbox, the ones that cannot be published are parked.
   */
  async recordPublishing(publishedIds: string[], parked: ParkedOutboxEvent[]): Promise<void> {
    const runner = this.runner;
    await runner.startTransaction();
    try {
      await this.tenantEvents.recordPublished(runner.manager, publishedIds);
      await this.outbox.markPublished(runner.manager, publishedIds);
      await this.parked.parkOutboxEvents(runner.manager, parked);
      await runner.commitTransaction();
    } catch (e) {
      // the connection keeps the leader's lock: it must not be left inside a failed transaction
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch((r: Error) => logger.warn(`rollback: ${r.message}`));
      throw e;
    }
  }

  /** Outbox.depth, on the leader's connection. */
  depth(): Promise<number> {
    return this.outbox.depth(this.runner.manager);
  }

  /** Unlocks and gives the connection back; once. */
  async release(): Promise<void> {
    if (this.runner.isReleased) return;
    // Releasing the connection ends the session and with it the advisory lock, even if unlock fails.
    await this.runner.query('SELECT pg_advisory_unlock_all()').catch((e: Error) => logger.warn(`advisory unlock: ${e.message}`));
    await this.runner.release();
  }
}
