import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { NotifierConfig } from '@scimflow/config';
import { backoffDelay } from '@scimflow/contracts';
import { WorkLoop } from '@scimflow/messaging';
import { DeliveryLeases, DeliveryPurge, HeadDelivery, laneKey, LeasedLane } from '@scimflow/persistence';
import { DeliverLane } from '../usecases/deliver-lane/deliver-lane.usecase';
import { DeadLetterPublisher } from './dead-letter-publisher';

const PURGE_EVERY_MS = 3600_000;
/** Events of one lane read (and so sendable) per turn. */
const EVENTS_PER_TURN = 20;

/**
 * Delivers queued events: leases due lanes (at most WEBHOOK_CONCURRENCY at a time) and reads their first events,
 * two queries for all of them; each lane then sends its events one after another (DeliverLane), and lanes are
 * leased again as others finish. Woken at once when this instance queues events or finishes a lane whose next
 * event is due; polls every WEBHOOK_POLL_MS for work queued by other instances or whose backoff ran out. A lane
 * turn that made a dead letter kicks the DeadLetterPublisher.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryWorker.name);
  /** names this instance in leases and in the delivery log */
  readonly instance: string;
  private readonly inFlight = new Set<Promise<void>>();
  /** Due lanes may be waiting for a free slot: the last claim was full, or work was queued while none was free. */
  private backlogged = false;
  private readonly work: WorkLoop;
  private nextPurgeAt = Date.now() + 60_000 * Math.random();

  constructor(
    private readonly config: NotifierConfig,
    private readonly leases: DeliveryLeases,
    private readonly deliveryPurge: DeliveryPurge,
    private readonly deliverLane: DeliverLane,
    private readonly deadLetters: DeadLetterPublisher,
  ) {
    this.instance = config.INSTANCE_ID ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.work = new WorkLoop({
      name: 'claiming deliveries',
      round: () => this.claim(),
      pollMs: config.WEBHOOK_POLL_MS,
      retryDelayMs: (failures) => backoffDelay(failures, 200, 10_000),
      logger: this.logger,
    });
  }

  onApplicationBootstrap(): void {
    this.work.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.work.stop();
    // Attempts under way finish (bounded by WEBHOOK_TIMEOUT_MS) and are recorded; nothing is left leased.
    await Promise.all(this.inFlight);
    await this.deliverLane.drain();
  }

  /** Something is due now: look without waiting for the poll. */
  nudge(): void {
    if (this.inFlight.size >= this.config.WEBHOOK_CONCURRENCY) this.backlogged = true;
    this.work.kick();
  }

  /** One claim; true when due lanes may be waiting and a slot is free: a full claim means more may be due. */
  private async claim(): Promise<boolean> {
    const free = this.config.WEBHOOK_CONCURRENCY - this.inFlight.size;
    // The lease is counted from before the claim was sent: this host's estimate errs on the short side.
    const leaseUntil = Date.now() + this.config.WEBHOOK_LEASE_MS;
    const lanes = await this.leases.claim(this.instance, free, this.config.WEBHOOK_LEASE_MS);
    if (lanes.length > 0) {
      const readAt = Date.now();
      const ready = await this.leases.ready(lanes, EVENTS_PER_TURN);
      lanes.forEach((lane) => this.start(lane, ready.get(laneKey(lane)) ?? [], leaseUntil, readAt));
    }
    if (free > 0) this.backlogged = lanes.length === free; // with no slot free, only a nudge tells (see nudge)
    if (Date.now() >= this.nextPurgeAt) await this.purge();
    return this.backlogged && this.inFlight.size < this.config.WEBHOOK_CONCURRENCY;
  }

  private start(lane: LeasedLane, ready: HeadDelivery[], leaseUntil: number, readAt: number): void {
    const task = this.deliverLane
      .execute(lane, ready, this.instance, leaseUntil, readAt)
      .then((finished) => {
        if (finished?.nextDue) this.nudge();
        if (finished?.deadLetterId) this.deadLetters.kick();
      })
      .catch((e: Error) => {
        // The lease runs out and the lane is retried, by this or another instance.
        this.logger.error(`delivering on lane ${lane.orderingKey} of subscription ${lane.subscriptionId} failed: ${e.message}`);
      })
      .finally(() => {
        this.inFlight.delete(task);
        // A freed slot is worth a claim only if due lanes may be waiting for one; otherwise queueing (nudge) or
        // the poll finds new work. At low rates this saves a claim query per delivered turn.
        if (this.backlogged) this.nudge();
      });
    this.inFlight.add(task);
  }

  private async purge(): Promise<void> {
    this.nextPurgeAt = Date.now() + PURGE_EVERY_MS;
    const purged = await this.deliveryPurge.purge(this.config.WEBHOOK_RETENTION_DAYS);
    if (purged.deliveries || purged.attempts)
      this.logger.log(`purged ${purged.deliveries} delivered events and ${purged.attempts} attempts older than ${this.config.WEBHOOK_RETENTION_DAYS} days`);
  }
}
