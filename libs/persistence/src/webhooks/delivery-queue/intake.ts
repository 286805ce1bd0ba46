import { DataSource } from 'typeorm';
import { INSERT_CHUNK, wakeLanes } from './lanes';
import type { QueuedEvent } from './types';

/** Queues events for webhook subscriptions (webhook_deliveries) and wakes their lanes: the consumer's and replays' side of the queue. */
export class DeliveryIntake {
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
}
