import { DataSource } from 'typeorm';

/** The delivery queue's retention. */
export class DeliveryPurge {
  constructor(private readonly ds: DataSource) {}

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
