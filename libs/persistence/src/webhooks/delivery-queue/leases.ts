import { DataSource, EntityManager } from 'typeorm';
import { headOrder } from './lanes';
import type { HeadDelivery, LeasedLane } from './types';

/**
 * Hands lanes to notifier instances: leases due lanes, one instance at a time each (`FOR UPDATE SKIP LOCKED`, lease
 * timeout), reads their heads, and takes back a lane whose head was not attempted.
 */
export class DeliveryLeases {
  constructor(private readonly ds: DataSource) {}

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
