import { DataSource, EntityManager } from 'typeorm';
import type { StoredWebhookSecret } from '@scimflow/webhooks';

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
  /** W3C trace context of the event's record: the delivery continues that trace */
  traceparent?: string;
  tracestate?: string;
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
  /** its next attempt is due (always so for a due lane's head; a later one may be backing off after an earlier try) */
  due: boolean;
  traceparent?: string;
  tracestate?: string;
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

/** What a lane's turn did: its attempts in lane order; all but the last were delivered. */
export interface LaneSettlement {
  lane: LeasedLane;
  attempts: { head: HeadDelivery; attempt: AttemptRecord; outcome: DeliveryOutcome }[];
}

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
        // One array per column: a statement of constant size whatever the batch, planned once.
        // unnest yields rows in array order, so a lane's deliveries get ids in the order of the Kafka records.
        const rows: { subscription_id: string; ordering_key: string }[] = await em.query(
          `INSERT INTO webhook_deliveries (subscription_id, tenant_id, event_id, event_type, ordering_key, sequence, body, traceparent, tracestate)
           SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::text[])
           ON CONFLICT (subscription_id, event_id) DO NOTHING
           RETURNING subscription_id, ordering_key`,
          [
            chunk.map((e) => e.subscriptionId),
            chunk.map((e) => e.tenantId),
            chunk.map((e) => e.eventId),
            chunk.map((e) => e.eventType),
            chunk.map((e) => e.orderingKey),
            chunk.map((e) => e.sequence ?? null),
            chunk.map((e) => e.body),
            chunk.map((e) => e.traceparent ?? null),
            chunk.map((e) => e.tracestate ?? null),
          ],
        );
        inserted += rows.length;
        for (const r of rows) lanes.set(`${r.subscription_id}\u0000${r.ordering_key}`, [r.subscription_id, r.ordering_key]);
      }
      await wakeLanes(em, [...lanes.values()]);
      return inserted;
    });
  }

  /** Deliveries queued and not yet delivered or dead-lettered (all subscriptions): the notifier's backlog. */
  async pendingCount(): Promise<number> {
    const [{ n }] = await this.ds.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'pending'`);
    return n;
  }

  /** Leases up to `limit` due lanes of enabled subscriptions that nobody holds, most overdue first; a tenant whose delivery is paused has none. */
  async claim(owner: string, limit: number, leaseMs: number): Promise<LeasedLane[]> {
    if (limit <= 0) return [];
    // TypeORM answers an UPDATE with [rows, affected].
    const [rows]: [{ subscription_id: string; ordering_key: string; lease_token: string }[], number] = await this.ds.query(
      `UPDATE webhook_lanes l
          SET lease_token = gen_random_uuid(), lease_owner = $1, lease_until = now() + $3 * interval '1 millisecond'
         FROM (SELECT due.subscription_id, due.ordering_key
                 FROM webhook_lanes due
                 JOIN webhook_subscriptions s ON s.id = due.subscription_id
                 JOIN tenants t ON t.id = s.tenant_id
                WHERE due.next_attempt_at <= now()
                  AND (due.lease_until IS NULL OR due.lease_until < now())
                  AND s.enabled
                  AND t.delivery_paused_at IS NULL
                ORDER BY due.next_attempt_at
                LIMIT $2
                  FOR UPDATE OF due SKIP LOCKED) picked
        WHERE l.subscription_id = picked.subscription_id AND l.ordering_key = picked.ordering_key
        RETURNING l.subscription_id, l.ordering_key, l.lease_token`,
      [owner, limit, leaseMs],
    );
    return rows.map((r) => ({ subscriptionId: r.subscription_id, orderingKey: r.ordering_key, leaseToken: r.lease_token }));
  }

  /** The lane's next pending delivery (its head). */
  async head(lane: LeasedLane): Promise<HeadDelivery | undefined> {
    return (await this.ready([lane], 1)).get(laneKey(lane))?.[0];
  }

  /**
   * The first `perLane` pending deliveries of each of these lanes, in lane order (head first), in one query:
   * a leased lane's events can go out one after another without a round trip each. Keyed by laneKey().
   */
  async ready(lanes: LeasedLane[], perLane: number): Promise<Map<string, HeadDelivery[]>> {
    const out = new Map<string, HeadDelivery[]>();
    if (lanes.length === 0) return out;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows as the driver returns them
    const rows: Record<string, any>[] = await this.ds.query(
      `SELECT d.id, d.subscription_id, d.tenant_id, d.event_id, d.event_type, d.ordering_key, d.sequence, d.body, d.attempts, d.redrives,
              d.created_at, d.horizon_from, d.traceparent, d.tracestate, d.next_attempt_at <= now() AS due,
              s.url, s.secrets, l.last_sequence, now() AS db_now
         FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS k(subscription_id, ordering_key, n)
         JOIN webhook_lanes l ON l.subscription_id = k.subscription_id AND l.ordering_key = k.ordering_key
         JOIN webhook_subscriptions s ON s.id = k.subscription_id
        CROSS JOIN LATERAL (
              SELECT * FROM webhook_deliveries d
               WHERE d.subscription_id = k.subscription_id AND d.ordering_key = k.ordering_key AND d.status = 'pending'
               ORDER BY ${headOrder('d.')}
               LIMIT $3) d
        ORDER BY k.n, ${headOrder('d.')}`,
      [lanes.map((l) => l.subscriptionId), lanes.map((l) => l.orderingKey), Math.max(1, perLane)],
    );
    for (const r of rows) {
      const key = `${r.subscription_id}\u0000${r.ordering_key}`;
      let list = out.get(key);
      if (!list) out.set(key, (list = []));
      list.push({
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
        due: r.due === true,
        traceparent: r.traceparent ?? undefined,
        tracestate: r.tracestate ?? undefined,
      });
    }
    return out;
  }

  /** Records one attempt on the lane's head and what follows from it, then hands the lane back (see settle). */
  async finish(lane: LeasedLane, head: HeadDelivery, attempt: AttemptRecord, outcome: DeliveryOutcome): Promise<FinishResult> {
    return (await this.settle([{ lane, attempts: [{ head, attempt, outcome }] }]))[0];
  }

  /**
   * Records the attempts of many lanes' turns and what follows from them, then hands each lane back, due when
   * its (possibly new) head is. One transaction of a constant number of statements for all of them; a lane's
   * consequences are applied only while its lease is still ours (its attempts are recorded either way: they
   * happened). Results in the order of `settlements`.
   */
  async settle(settlements: LaneSettlement[]): Promise<FinishResult[]> {
    if (settlements.length === 0) return [];
    return this.ds.transaction(async (em) => {
      const all = settlements.flatMap((s) => s.attempts);
      if (all.length > 0)
        await em.query(
          `INSERT INTO webhook_delivery_attempts
             (delivery_id, subscription_id, tenant_id, event_id, event_type, attempt, status, http_status, latency_ms, error, response_excerpt, redrive, instance)
           SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::int[], $7::text[], $8::int[], $9::int[], $10::text[],
                                $11::text[], $12::boolean[], $13::text[])`,
          [
            all.map((a) => a.head.id),
            all.map((a) => a.head.subscriptionId),
            all.map((a) => a.head.tenantId),
            all.map((a) => a.head.eventId),
            all.map((a) => a.head.eventType),
            all.map((a) => a.head.attempts + 1),
            all.map((a) => a.attempt.status),
            all.map((a) => a.attempt.httpStatus ?? null),
            all.map((a) => Math.round(a.attempt.latencyMs)),
            all.map((a) => a.attempt.error ?? null),
            all.map((a) => a.attempt.responseExcerpt ?? null),
            all.map((a) => a.head.redrives > 0),
            all.map((a) => a.attempt.instance),
          ],
        );

      // The lanes still ours, locked in key order (byte order, as wakeLanes sorts): no deadlock with queueing.
      const held = new Set<string>(
        (
          (await em.query(
            `SELECT l.subscription_id, l.ordering_key FROM webhook_lanes l
               JOIN unnest($1::uuid[], $2::text[], $3::uuid[]) AS k(subscription_id, ordering_key, lease_token)
                 ON l.subscription_id = k.subscription_id AND l.ordering_key = k.ordering_key AND l.lease_token = k.lease_token
              ORDER BY l.subscription_id, l.ordering_key COLLATE "C"
                FOR UPDATE OF l`,
            [settlements.map((s) => s.lane.subscriptionId), settlements.map((s) => s.lane.orderingKey), settlements.map((s) => s.lane.leaseToken)],
          )) as { subscription_id: string; ordering_key: string }[]
        ).map((r) => `${r.subscription_id}\u0000${r.ordering_key}`),
      );
      const ours = settlements.filter((s) => held.has(laneKey(s.lane)));

      const delivered = ours.flatMap((s) => s.attempts.filter((a) => a.outcome.kind === 'delivered'));
      if (delivered.length > 0)
        await em.query(
          `UPDATE webhook_deliveries d SET status = 'delivered', delivered_at = now(), attempts = d.attempts + 1, last_attempt_at = now(),
                  last_status = v.http_status, last_error = NULL
             FROM unnest($1::bigint[], $2::int[]) AS v(id, http_status)
            WHERE d.id = v.id`,
          [delivered.map((a) => a.head.id), delivered.map((a) => a.attempt.httpStatus ?? null)],
        );

      const deadLetterIds = new Map<string, string>();
      for (const s of ours) {
        const last = s.attempts[s.attempts.length - 1];
        if (last && last.outcome.kind !== 'delivered') {
          const id = await settleFailure(em, last.head, last.attempt, last.outcome);
          if (id) deadLetterIds.set(laneKey(s.lane), id);
        }
      }

      // Hand the lanes back (and advance their last settled sequence) in one statement. It reads each new head
      // after the locks above were taken: a delivery queued by a transaction that held a lane before us is seen,
      // one queued after us wakes the lane itself (see wakeLanes). Either way no event is left in an idle lane.
      const settledUpTo = (s: LaneSettlement) =>
        s.attempts.reduce<number | null>(
          (max, a) =>
            (a.outcome.kind === 'delivered' || a.outcome.kind === 'dead-letter') && a.head.sequence !== undefined
              ? Math.max(max ?? a.head.sequence, a.head.sequence)
              : max,
          null,
        );
      const due = new Map<string, boolean>();
      if (ours.length > 0) {
        const [rows]: [{ subscription_id: string; ordering_key: string; due: boolean | null }[], number] = await em.query(
          `UPDATE webhook_lanes l
              SET last_sequence = GREATEST(l.last_sequence, k.settled),
                  next_attempt_at = (SELECT d.next_attempt_at FROM webhook_deliveries d
                                      WHERE d.subscription_id = l.subscription_id AND d.ordering_key = l.ordering_key AND d.status = 'pending'
                                      ORDER BY ${headOrder('d.')} LIMIT 1),
                  lease_token = NULL, lease_owner = NULL, lease_until = NULL, released_at = now()
             FROM unnest($1::uuid[], $2::text[], $3::bigint[]) AS k(subscription_id, ordering_key, settled)
            WHERE l.subscription_id = k.subscription_id AND l.ordering_key = k.ordering_key
            RETURNING l.subscription_id, l.ordering_key, l.next_attempt_at <= now() AS due`,
          [ours.map((s) => s.lane.subscriptionId), ours.map((s) => s.lane.orderingKey), ours.map(settledUpTo)],
        );
        for (const r of rows) due.set(`${r.subscription_id}\u0000${r.ordering_key}`, r.due === true);
      }
      return settlements.map((s) => {
        const key = laneKey(s.lane);
        return held.has(key) ? { leaseLost: false, deadLetterId: deadLetterIds.get(key), nextDue: due.get(key) === true } : { leaseLost: true, nextDue: false };
      });
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

/** Identifies a lane in maps: subscription id and ordering key. */
export function laneKey(lane: { subscriptionId: string; orderingKey: string }): string {
  return `${lane.subscriptionId}\u0000${lane.orderingKey}`;
}

/** Applies a failed attempt's consequence to its delivery (the lane is locked and ours). Returns a dead letter's id. */
async function settleFailure(
  em: EntityManager,
  head: HeadDelivery,
  attempt: AttemptRecord,
  outcome: Exclude<DeliveryOutcome, { kind: 'delivered' }>,
): Promise<string | undefined> {
  const last = [head.id, attempt.httpStatus ?? null, attempt.error ?? null];
  switch (outcome.kind) {
    case 'retry':
      await em.query(
        `UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = now(), last_status = $2, last_error = $3,
                next_attempt_at = now() + $4 * interval '1 millisecond' WHERE id = $1`,
        [...last, Math.max(0, Math.round(outcome.delayMs))],
      );
      return undefined;
    case 'gone':
      await em.query(
        `UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = now(), last_status = $2, last_error = $3,
                next_attempt_at = now() WHERE id = $1`,
        last,
      );
      await em.query(`UPDATE webhook_subscriptions SET enabled = false, disabled_reason = $2, updated_at = now() WHERE id = $1 AND enabled`, [
        head.subscriptionId,
        outcome.reason,
      ]);
      return undefined;
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
      return dl.id;
    }
  }
}

async function holdsLease(em: EntityManager, lane: LeasedLane): Promise<boolean> {
  const rows = await em.query(`SELECT 1 FROM webhook_lanes WHERE subscription_id = $1 AND ordering_key = $2 AND lease_token = $3 FOR UPDATE`, [
    lane.subscriptionId,
    lane.orderingKey,
    lane.leaseToken,
  ]);
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
