import { DataSource, EntityManager } from 'typeorm';
import { headOrder, laneKey } from './lanes';
import type { AttemptRecord, DeliveryOutcome, FinishResult, HeadDelivery, LaneSettlement } from './types';

/** Records lane turns: their attempts and what follows from them (delivered, retry, 410, dead letter), then hands the lanes back. */
export class DeliverySettlement {
  constructor(private readonly ds: DataSource) {}

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
