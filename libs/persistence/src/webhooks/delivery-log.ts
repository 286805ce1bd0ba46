import { DataSource } from 'typeorm';
import { DeliveryAttemptView, isUuid } from '@scimflow/contracts';

export interface DeliveryLogQuery {
  subscriptionId: string;
  status?: 'delivered' | 'failed';
  since?: Date;
  eventId?: string;
  /** newest first; at most this many (default 100, at most 10000) */
  limit?: number;
}

/** The delivery log of webhook subscriptions (table webhook_delivery_attempts). */
export class DeliveryLog {
  constructor(private readonly ds: DataSource) {}

  async list(query: DeliveryLogQuery): Promise<DeliveryAttemptView[]> {
    if (query.status !== undefined && query.status !== 'delivered' && query.status !== 'failed')
      throw new RangeError(`status must be "delivered" or "failed", not "${query.status}"`);
    const limit = Math.min(Math.max(1, Math.floor(query.limit ?? 100)), 10_000);
    if (!isUuid(query.subscriptionId)) return [];
    const where = ['subscription_id = $1'];
    const params: unknown[] = [query.subscriptionId];
    if (query.status) where.push(`status = $${params.push(query.status)}`);
    if (query.since) where.push(`attempted_at >= $${params.push(query.since)}`);
    if (query.eventId) where.push(`event_id = $${params.push(query.eventId)}`);
    const rows = await this.ds.query(
      `SELECT id, delivery_id, subscription_id, event_id, event_type, attempt, status, http_status, latency_ms, error, response_excerpt,
              redrive, instance, attempted_at
         FROM webhook_delivery_attempts WHERE ${where.join(' AND ')}
        ORDER BY attempted_at DESC, id DESC LIMIT $${params.push(limit)}`,
      params,
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows as the driver returns them
    return rows.map((r: Record<string, any>) => ({
      attemptId: String(r.id),
      deliveryId: String(r.delivery_id),
      subscriptionId: r.subscription_id,
      eventId: r.event_id,
      eventType: r.event_type,
      attempt: r.attempt,
      status: r.status,
      httpStatus: r.http_status,
      latencyMs: r.latency_ms,
      error: r.error,
      responseExcerpt: r.response_excerpt,
      redrive: r.redrive,
      instance: r.instance,
      attemptedAt: (r.attempted_at as Date).toISOString(),
    }));
  }
}
