import { DataSource, EntityManager } from 'typeorm';
import { StoredWebhookSecret } from '../entities';

/** One event for one subscription, as the consumer queues it. */
export interface QueuedEvent {
  subscriptionId: string;
  tenantId: string;
  eventId: string;
  eventType: string;
  /** the Kafka record key (`tenantId:userId`): events with the same key go out one at a time, by sequence */
  orderingKey: string;
  sequence?: number;
  /** the record's value, sent byte for byte */
  body: string;
}

/** A (subscription, ordering key) lane this instance holds until it finishes or the lease runs out. */
export interface LeasedLane {
  subscriptionId: string;
  orderingKey: string;
  leaseToken: string;
}

/** The next pending delivery of a lane, with what sending it needs. */
export interface HeadDelivery {
  id: string;
  sequence?: number;
  /** the highest sequence the lane delivered or dead-lettered so far */
  lastSequence?: number;
  queuedAt: Date;
  subscriptionId: string;
  tenantId: string;
  eventId: string;
  eventType: string;
  orderingKey: string;
  body: string;
  attempts: number;
  redrives: number;
  /** start of the retry horizon: when queued, or when last redriven */
  horizonFrom: Date;
  url: string;
  secrets: StoredWebhookSecret[];
  /** the database clock when the head was read: horizons are measured on it, not on this host's clock */
  dbNow: Date;
}

export interface AttemptRecord {
  status: 'delivered' | 'failed';
  httpStatus?: number;
  latencyMs: number;
  error?: string;
  responseExcerpt?: string;
  instance: string;
}

export type DeliveryOutcome =
  | { kind: 'delivered' }
  | { kind: 'retry'; delayMs: number }
  /** 410: the subscription is disabled with this reason; the event stays queued for re-enabling */
  | { kind: 'gone'; reason: string }
  | { kind: 'dead-letter' };

export interface FinishResult {
  /** the lease had run out and another instance holds the lane: only the attempt was recorded */
  leaseLost: boolean;
  deadLetterId?: string;
  /** the lane's next event can be sent right away */
  nextDue: boolean;
}

const INSERT_CHUNK = 1000;
/** A lane's order: by sequence (events without one after those with), then as queued. Matches index webhook_deliveries_lane_pending. */
const headOrder = (alias = '') => `${alias}sequence ASC NULLS LAST, ${alias}id ASC`;

/**
 * The webhook delivery queue (tables webhook_deliveries and webhook_lanes).
 *
 * Every (subscription, ordering key) is a lane; only its head is ever sent: the pending delivery with the lowest
 * `sequence` (a user's events from both change-event topics share one sequence), then the oldest. A lane is
 * leased to one notifier instance at a time (`FOR UPDATE SKIP LOCKED`, lease timeout), so one user's events
 * reach one subscription one at a time and in order, while every other lane flows.
 * Locks are always taken lane first, and lanes in key order, so queueing and finishing never deadlock.
 */
export class DeliveryQueue {
  constructor(private readonly ds: DataSource) {}

  /**
   * Queues events, once per (subscription, event): a redelivered Kafka record changes nothing. Wakes the lanes
   * that were idle; a lane backing off keeps its schedule. Returns how many deliveries were new.
   */
  async enqueue(events: QueuedEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    return this.ds.transaction(async (em) => {
      const lanes = new Map<string, [string, string]>();
      let inserted = 0;
      for (let i = 0; i < events.length; i += INSERT_CHUNK) {
        const chunk = events.slice(i, i + INSERT_CHUNK);
        const params: unknown[] = [];
        const tuples = chunk.map((e) => {
          params.push(e.subscriptionId, e.tenantId, e.eventId, e.eventType, e.orderingKey, e.sequence ?? null, e.body);
          const n = params.length;
          return `($${n - 6}::uuid, $${n - 5}::uuid, $${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}::bigint, $${n})`;
        });
        // VALUES are numbered in order, so a lane's deliveries get ids in the order of the Kafka records.
        const rows: { subscription_id: string; ordering_key: string }[] = await em.query(
          `INSERT INTO webhook_deliveries (subscription_id, tenant_id, event_id, event_type, ordering_key, sequence, body)
           VALUES ${tuples.join(', ')}
           ON CONFLICT (subscription_id, event_id) DO NOTHING
           RETURNING subscription_id, ordering_key`,
          params,
        );
        inserted += rows.length;
        for (const r of rows) lanes.set(`${r.subscription_id}\u0000${r.ordering_key}`, [r.subscription_id, r.ordering_key]);
      }
      await wakeLanes(em, [...lanes.values()]);
      return inserted;
    });
  }

  /** Leases up to `limit` due lanes of enabled subscriptions that nobody holds, most overdue first. */
  async claim(owner: string, limit: number, leaseMs: number): Promise<LeasedLane[]> {
    if (limit <= 0) return [];
    // TypeORM answers an UPDATE with [rows, affected].
    const [rows]: [{ subscription_id: string; ordering_key: string; lease_token: string }[], number] = await this.ds.query(
      `UPDATE webhook_lanes l
          SET lease_token = gen_random_uuid(), lease_owner = $1, lease_until = now() + $3 * interval '1 millisecond'
         FROM (SELECT due.subscription_id, due.ordering_key
                 FROM webhook_lanes due
                 JOIN webhook_subscriptions s ON s.id = due.subscription_id
                WHERE due.next_attempt_at <= now()
                  AND (due.lease_until IS NULL OR due.lease_until < now())
                  AND s.enabled
                ORDER BY due.next_attempt_at
                LIMIT $2
                  FOR UPDATE OF due SKIP LOCKED) picked
        WHERE l.subscription_id = picked.subscription_id AND l.ordering_key = picked.ordering_key
        RETURNING l.subscription_id, l.ordering_key, l.lease_token`,
      [owner, limit, leaseMs],
    );
    return rows.map((r) => ({ subscriptionId: r.subscription_id, orderingKey: r.ordering_key, leaseToken: r.lease_token }));
  }

  async head(lane: LeasedLane): Promise<HeadDelivery | undefined> {
    const [r] = await this.ds.query(
      `SELECT d.id, d.subscription_id, d.tenant_id, d.event_id, d.event_type, d.ordering_key, d.sequence, d.body, d.attempts, d.redrives,
              d.created_at, d.horizon_from, s.url, s.secrets, l.last_sequence, now() AS db_now
         FROM webhook_deliveries d
         JOIN webhook_subscriptions s ON s.id = d.subscription_id
         JOIN webhook_lanes l ON l.subscription_id = d.subscription_id AND l.ordering_key = d.ordering_key
        WHERE d.subscription_id = $1 AND d.ordering_key = $2 AND d.status = 'pending'
        ORDER BY ${headOrder('d.')}
        LIMIT 1`,
      [lane.subscriptionId, lane.orderingKey],
    );
    if (!r) return undefined;
    return {
      id: String(r.id),
      sequence: r.sequence === null ? undefined : Number(r.sequence),
      lastSequence: r.last_sequence === null ? undefined : Number(r.last_sequence),
      queuedAt: r.created_at,
      subscriptionId: r.subscription_id,
      tenantId: r.tenant_id,
      eventId: r.event_id,
      eventType: r.event_type,
      orderingKey: r.ordering_key,
      body: r.body,
      attempts: r.attempts,
      redrives: r.redrives,
      horizonFrom: r.horizon_from,
      url: r.url,
      secrets: r.secrets,
      dbNow: r.db_now,
    };
  }

  /**
   * Records an attempt on the lane's head and what follows from it, then hands the lane back, due when its
   * (possibly new) head is. All in one transaction, and only while the lease is still ours.
   */
  async finish(lane: LeasedLane, head: HeadDelivery, attempt: AttemptRecord, outcome: DeliveryOutcome): Promise<FinishResult> {
    return this.ds.transaction(async (em) => {
      await em.query(
        `INSERT INTO webhook_delivery_attempts
           (delivery_id, subscription_id, tenant_id, event_id, event_type, attempt, status, http_status, latency_ms, error, response_excerpt, redrive, instance)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          head.id, head.subscriptionId, head.tenantId, head.eventId, head.eventType, head.attempts + 1, attempt.status,
          attempt.httpStatus ?? null, Math.round(attempt.latencyMs), attempt.error ?? null, attempt.responseExcerpt ?? null,
          head.redrives > 0, attempt.instance,
        ],
      );
      if (!(await holdsLease(em, lane))) return { leaseLost: true, nextDue: false };

      const last = [head.id, attempt.httpStatus ?? null, attempt.error ?? null];
      let deadLetterId: string | undefined;
      switch (outcome.kind) {
        case 'delivered':
          await em.query(
            `UPDATE webhook_deliveries SET status = 'delivered', delivered_at = now(), attempts = attempts + 1, last_attempt_at = now(),
                    last_status = $2, last_error = $3 WHERE id = $1`,
            last,
          );
          break;
        case 'retry':
          await em.query(
            `UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = now(), last_status = $2, last_error = $3,
                    next_attempt_at = now() + $4 * interval '1 millisecond' WHERE id = $1`,
            [...last, Math.max(0, Math.round(outcome.delayMs))],
          );
          break;
        case 'gone':
          await em.query(
            `UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = now(), last_status = $2, last_error = $3,
                    next_attempt_at = now() WHERE id = $1`,
            last,
          );
          await em.query(
            `UPDATE webhook_subscriptions SET enabled = false, disabled_reason = $2, updated_at = now() WHERE id = $1 AND enabled`,
            [head.subscriptionId, outcome.reason],
          );
          break;
        case 'dead-letter': {
          await em.query(
            `UPDATE webhook_deliveries SET status = 'dead', attempts = attempts + 1, last_attempt_at = now(), last_status = $2, last_error = $3
              WHERE id = $1`,
            last,
          );
          const [dl] = await em.query(
            `INSERT INTO webhook_dead_letters
               (id, delivery_id, subscription_id, tenant_id, event_id, event_type, ordering_key, url, attempts, queued_at,
                last_attempt_at, last_status, last_error, last_response_excerpt)
             SELECT gen_random_uuid(), d.id, d.subscription_id, d.tenant_id, d.event_id, d.event_type, d.ordering_key, $2, d.attempts,
                    d.horizon_from, d.last_attempt_at, d.last_status, d.last_error, $3
               FROM webhook_deliveries d WHERE d.id = $1
             RETURNING id`,
            [head.id, head.url, attempt.responseExcerpt ?? null],
          );
          deadLetterId = dl.id;
          break;
        }
      }
      if ((outcome.kind === 'delivered' || outcome.kind === 'dead-letter') && head.sequence !== undefined)
        await em.query(
          `UPDATE webhook_lanes SET last_sequence = GREATEST(last_sequence, $3) WHERE subscription_id = $1 AND ordering_key = $2`,
          [lane.subscriptionId, lane.orderingKey, head.sequence],
        );
      const nextDue = await rescheduleLane(em, lane);
      return { leaseLost: false, deadLetterId, nextDue };
    });
  }

  /** Hands back a lane whose head was not attempted (none pending, e.g. it was delivered by an instance whose lease had expired). */
  async release(lane: LeasedLane): Promise<void> {
    await this.ds.transaction(async (em) => {
      if (await holdsLease(em, lane)) await rescheduleLane(em, lane);
    });
  }

  /** Hands back a lane without attempting its head, due again in `delayMs` (a predecessor may be on its way). */
  async postpone(lane: LeasedLane, delayMs: number): Promise<void> {
    await this.ds.query(
      `UPDATE webhook_lanes SET next_attempt_at = now() + $4 * interval '1 millisecond', lease_token = NULL, lease_owner = NULL, lease_until = NULL,
              released_at = now()
        WHERE subscription_id = $1 AND ordering_key = $2 AND lease_token = $3`,
      [lane.subscriptionId, lane.orderingKey, lane.leaseToken, Math.max(0, Math.round(delayMs))],
    );
  }

  /**
   * Removes delivered deliveries and attempts older than the retention, and idle lanes (recreated when an event
   * comes). Pending and dead deliveries stay: they are work or evidence.
   */
  async purge(retentionDays: number, batch = 5000): Promise<{ deliveries: number; attempts: number; lanes: number }> {
    const interval = `${Math.max(1, Math.floor(retentionDays))} days`;
    const drain = async (sql: string) => {
      let total = 0;
      for (;;) {
        const [, affected] = (await this.ds.query(sql, [interval, batch])) as [unknown, number];
        total += affected;
        if (affected < batch) return total;
      }
    };
    const attempts = await drain(
      `DELETE FROM webhook_delivery_attempts WHERE id IN (
         SELECT id FROM webhook_delivery_attempts WHERE attempted_at < now() - $1::interval LIMIT $2)`,
    );
    const deliveries = await drain(
      `DELETE FROM webhook_deliveries WHERE id IN (
         SELECT id FROM webhook_deliveries WHERE status = 'delivered' AND delivered_at < now() - $1::interval LIMIT $2)`,
    );
    // A lane is recreated by the next event's upsert; one being woken right now is locked and re-checked, so kept.
    // (Its last sequence goes with it: the user's next event then waits one reorder window at most.)
    const lanes = await drain(
      `DELETE FROM webhook_lanes WHERE (subscription_id, ordering_key) IN (
         SELECT subscription_id, ordering_key FROM webhook_lanes
          WHERE next_attempt_at IS NULL AND lease_token IS NULL AND released_at < now() - $1::interval LIMIT $2)`,
    );
    return { deliveries, attempts, lanes };
  }
}

async function holdsLease(em: EntityManager, lane: LeasedLane): Promise<boolean> {
  const rows = await em.query(
    `SELECT 1 FROM webhook_lanes WHERE subscription_id = $1 AND ordering_key = $2 AND lease_token = $3 FOR UPDATE`,
    [lane.subscriptionId, lane.orderingKey, lane.leaseToken],
  );
  return rows.length > 0;
}

/**
 * Releases the (locked) lane, due when its head is, or idle. The head is read by a statement after the lock
 * was taken, so a delivery queued by a transaction that held the lane before us is seen; one queued after us
 * wakes the lane itself (see wakeLanes). Either way no event is left in an idle lane.
 */
async function rescheduleLane(em: EntityManager, lane: LeasedLane): Promise<boolean> {
  const [head] = await em.query(
    `SELECT next_attempt_at, next_attempt_at <= now() AS due FROM webhook_deliveries
      WHERE subscription_id = $1 AND ordering_key = $2 AND status = 'pending' ORDER BY ${headOrder()} LIMIT 1`,
    [lane.subscriptionId, lane.orderingKey],
  );
  await em.query(
    `UPDATE webhook_lanes SET next_attempt_at = $3, lease_token = NULL, lease_owner = NULL, lease_until = NULL, released_at = now()
      WHERE subscription_id = $1 AND ordering_key = $2`,
    [lane.subscriptionId, lane.orderingKey, head?.next_attempt_at ?? null],
  );
  return head?.due === true;
}

/**
 * Makes lanes due that were idle; leaves a lane's schedule alone when it already has one. The upsert locks each
 * lane row until commit, in key order (no deadlocks between consumers), and it acts on the latest committed row
 * even if our snapshot is older, so it cannot miss a lane that was just made idle.
 */
export async function wakeLanes(em: EntityManager, lanes: [subscriptionId: string, orderingKey: string][], at: 'now' | 'keep' = 'keep'): Promise<void> {
  if (lanes.length === 0) return;
  const sorted = [...lanes].sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) : a[0] < b[0] ? -1 : 1));
  for (let i = 0; i < sorted.length; i += INSERT_CHUNK) {
    const chunk = sorted.slice(i, i + INSERT_CHUNK);
    const params = chunk.flat();
    const tuples = chunk.map((_, j) => `($${2 * j + 1}::uuid, $${2 * j + 2}, now())`);
    await em.query(
      `INSERT INTO webhook_lanes (subscription_id, ordering_key, next_attempt_at) VALUES ${tuples.join(', ')}
       ON CONFLICT (subscription_id, ordering_key) DO UPDATE
         SET next_attempt_at = ${at === 'now' ? 'now()' : 'COALESCE(webhook_lanes.next_attempt_at, EXCLUDED.next_attempt_at)'}`,
      params,
    );
  }
}
