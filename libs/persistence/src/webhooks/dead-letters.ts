import { DataSource } from 'typeorm';
import { DEAD_LETTER_SCHEMA_VERSION, DeadLetterView, isUuid, RedriveResult, WebhookDeadLetter } from '@scimflow/contracts';
import { NotFound } from '@scimflow/provisioning';
import { wakeLanes } from './delivery-queue/lanes';

export interface DeadLetterQuery {
  subscriptionId?: string;
  tenantId?: string;
  since?: Date;
  /** include dead letters that were already redriven */
  includeRedriven?: boolean;
  limit?: number;
}

const COLUMNS = `dl.id, dl.subscription_id, dl.tenant_id, dl.url, dl.event_id, dl.event_type, dl.ordering_key, dl.attempts, dl.queued_at,
  dl.last_attempt_at, dl.dead_at, dl.last_status, dl.last_error, dl.last_response_excerpt, dl.published_at, dl.redriven_at`;

/** Webhook dead letters (table webhook_dead_letters): query, redrive, and their publication to `scim.dead-letters`. */
export class DeadLetters {
  constructor(private readonly ds: DataSource) {}

  /** Dead letters not redriven yet: the DLQ's size. */
  async openCount(): Promise<number> {
    const [{ n }] = await this.ds.query(`SELECT count(*)::int AS n FROM webhook_dead_letters WHERE redriven_at IS NULL`);
    return n;
  }

  async list(query: DeadLetterQuery = {}): Promise<DeadLetterView[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    for (const [column, value] of [
      ['subscription_id', query.subscriptionId],
      ['tenant_id', query.tenantId],
    ] as const) {
      if (value === undefined) continue;
      if (!isUuid(value)) return [];
      where.push(`dl.${column} = $${params.push(value)}`);
    }
    if (query.since) where.push(`dl.dead_at >= $${params.push(query.since)}`);
    if (!query.includeRedriven) where.push('dl.redriven_at IS NULL');
    const limit = Math.min(Math.max(1, Math.floor(query.limit ?? 100)), 10_000);
    const rows = await this.ds.query(
      `SELECT ${COLUMNS} FROM webhook_dead_letters dl ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY dl.dead_at DESC, dl.id LIMIT $${params.push(limit)}`,
      params,
    );
    return rows.map(toView);
  }

  /** One dead letter with the event as it was sent. */
  async show(id: string): Promise<DeadLetterView & { event: Record<string, unknown> }> {
    const [row] = isUuid(id)
      ? await this.ds.query(`SELECT ${COLUMNS}, d.body FROM webhook_dead_letters dl JOIN webhook_deliveries d ON d.id = dl.delivery_id WHERE dl.id = $1`, [id])
      : [];
    if (!row) throw new NotFound(`dead letter ${id} not found`);
    return { ...toView(row), event: JSON.parse(row.body) };
  }

  /**
   * Puts dead-lettered events back into their subscription's queue, at their place in the lane by sequence (so
   * before anything of that user still waiting), with a fresh retry horizon, marked as redriven. Safe to run again:
   * a dead letter is redriven once; a repeated call reports it as skipped.
   */
  async redrive(ids: string[]): Promise<RedriveResult> {
    const result: RedriveResult = { redriven: [], skipped: [] };
    for (const id of ids) {
      if (!isUuid(id)) {
        result.skipped.push({ id, reason: 'not found' });
        continue;
      }
      const outcome = await this.ds.transaction(async (em) => {
        const [row] = await em.query(
          `SELECT dl.delivery_id, dl.redriven_at, dl.subscription_id, dl.ordering_key, d.status
             FROM webhook_dead_letters dl JOIN webhook_deliveries d ON d.id = dl.delivery_id
            WHERE dl.id = $1 FOR UPDATE OF dl, d`,
          [id],
        );
        if (!row) return 'not found';
        if (row.redriven_at) return 'already redriven';
        if (row.status !== 'dead') return `the event is ${row.status} again`;
        await em.query(
          `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = now(), horizon_from = now(), redrives = redrives + 1
            WHERE id = $1`,
          [row.delivery_id],
        );
        await em.query(`UPDATE webhook_dead_letters SET redriven_at = now() WHERE id = $1`, [id]);
        // The redriven event is normally the lane's head now (lowest sequence pending): the lane is due at once.
        await wakeLanes(em, [[row.subscription_id, row.ordering_key]], 'now');
        return 'redriven';
      });
      if (outcome === 'redriven') result.redriven.push(id);
      else result.skipped.push({ id, reason: outcome });
    }
    return result;
  }

  /** Every dead letter of a subscription not yet redriven, redriven. */
  async redriveSubscription(subscriptionId: string): Promise<RedriveResult> {
    const ids: { id: string }[] = isUuid(subscriptionId)
      ? await this.ds.query(`SELECT id FROM webhook_dead_letters WHERE subscription_id = $1 AND redriven_at IS NULL ORDER BY dead_at, id`, [subscriptionId])
      : [];
    return this.redrive(ids.map((r) => r.id));
  }

  /**
   * Publishes dead letters not yet on the topic, oldest first, and marks them. Rows are locked with SKIP LOCKED
   * while being published, so instances sweeping at the same time do not publish the same record twice; a crash
   * between publishing and marking publishes it again (at least once, like every topic).
   */
  async publishPending(publish: (letters: { key: string; letter: WebhookDeadLetter }[]) => Promise<void>, limit = 100): Promise<number> {
    return this.ds.transaction(async (em) => {
      const rows = await em.query(
        `SELECT ${COLUMNS}, d.body FROM webhook_dead_letters dl JOIN webhook_deliveries d ON d.id = dl.delivery_id
          WHERE dl.published_at IS NULL ORDER BY dl.dead_at, dl.id LIMIT $1 FOR UPDATE OF dl SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return 0;
      await publish(
        rows.map((r: Record<string, unknown>) => {
          const v = toView(r);
          const letter: WebhookDeadLetter = {
            v: DEAD_LETTER_SCHEMA_VERSION,
            deadLetterId: v.id,
            subscriptionId: v.subscriptionId,
            tenantId: v.tenantId,
            url: v.url,
            eventId: v.eventId,
            eventType: v.eventType,
            orderingKey: v.orderingKey,
            attempts: v.attempts,
            queuedAt: v.queuedAt,
            lastAttemptAt: v.lastAttemptAt,
            deadAt: v.deadAt,
            ...(v.lastStatus !== null ? { lastStatus: v.lastStatus } : {}),
            ...(v.lastError !== null ? { lastError: v.lastError } : {}),
            ...(v.lastResponseExcerpt !== null ? { lastResponseExcerpt: v.lastResponseExcerpt } : {}),
            event: JSON.parse(r.body as string),
          };
          return { key: v.orderingKey, letter };
        }),
      );
      await em.query(`UPDATE webhook_dead_letters SET published_at = now() WHERE id = ANY($1::uuid[])`, [rows.map((r: { id: string }) => r.id)]);
      return rows.length;
    });
  }
}

const iso = (d: unknown) => (d ? (d as Date).toISOString() : null);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows as the driver returns them
function toView(r: Record<string, any>): DeadLetterView {
  return {
    id: r.id,
    subscriptionId: r.subscription_id,
    tenantId: r.tenant_id,
    url: r.url,
    eventId: r.event_id,
    eventType: r.event_type,
    orderingKey: r.ordering_key,
    attempts: r.attempts,
    queuedAt: iso(r.queued_at)!,
    lastAttemptAt: iso(r.last_attempt_at)!,
    deadAt: iso(r.dead_at)!,
    lastStatus: r.last_status,
    lastError: r.last_error,
    lastResponseExcerpt: r.last_response_excerpt,
    publishedAt: iso(r.published_at),
    redrivenAt: iso(r.redriven_at),
  };
}
