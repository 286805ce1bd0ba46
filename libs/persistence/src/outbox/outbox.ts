import { EntityManager } from 'typeorm';

/** A record to publish; change events are made by changeEventRecord, which owns their key and headers. */
export interface OutboxRecord {
  topic: string;
  key: string;
  payload: object;
  headers?: Record<string, string>;
}

/** A committed record as the relay publishes it: the payload is the stored JSON text, sent as it is. */
export interface PendingOutboxRecord {
  id: string;
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

/**
 * Leaves out the events of tenants whose downstream delivery is paused; the tenant is the first part of every
 * record key (resourceKey: `tenantId:resourceId`), so a paused tenant's keys wait whole and in order.
 */
const NOT_DELIVERY_PAUSED = `NOT EXISTS (SELECT 1 FROM tenants t WHERE t.delivery_paused_at IS NOT NULL AND t.id::text = split_part(o.record_key, ':', 1))`;

/** Writes and drains the transactional outbox (table outbox_events). */
export class Outbox {
  async append(em: EntityManager, records: OutboxRecord[]): Promise<void> {
    if (records.length === 0) return;
    // One JSON document for the batch (pg would otherwise serialise two object parameters per record), read back
    // in its order so that ids follow it; json_to_recordset keeps each payload's text as written.
    const rows = JSON.stringify(
      records.map((r) => ({
        topic: r.topic,
        record_key: r.key,
        payload: r.payload,
        headers: r.headers ?? {},
      })),
    );
    await em.query(
      `INSERT INTO outbox_events (topic, record_key, payload, headers)
       SELECT topic, record_key, payload, headers
         FROM ROWS FROM (json_to_recordset($1::json) AS (topic text, record_key text, payload json, headers jsonb)) WITH ORDINALITY AS x(topic, record_key, payload, headers, n)
        ORDER BY n`,
      [rows],
    );
  }

  /**
   * The oldest unpublished records, in the order they were committed for any one key. A key with a parked record
   * (ParkedRecords) is skipped entirely: its later events wait behind the parked one, every other key flows; so are
   * the keys of a tenant whose delivery is paused.
   */
  async pending(em: EntityManager, limit: number): Promise<PendingOutboxRecord[]> {
    // payload as text: the relay would otherwise parse every event only to serialise it again for Kafka
    const rows: { id: string; topic: string; record_key: string; payload: string; headers: Record<string, string> }[] = await em.query(
      `SELECT o.id, o.topic, o.record_key, o.payload::text AS payload, o.headers FROM outbox_events o
        WHERE o.published_at IS NULL AND NOT EXISTS (SELECT 1 FROM parked_records p WHERE p.stage = 'relay' AND p.record_key = o.record_key)
          AND ${NOT_DELIVERY_PAUSED}
        ORDER BY o.id LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ id: String(r.id), topic: r.topic, key: r.record_key, value: r.payload, headers: r.headers }));
  }

  /** Published rows are removed: Kafka is the log from here on. */
  async markPublished(em: EntityManager, ids: string[]): Promise<void> {
    if (ids.length) await em.query(`DELETE FROM outbox_events WHERE id = ANY($1::bigint[])`, [ids]);
  }

  /**
   * Seconds since the oldest event the relay should publish now was committed (0 when there is none): it grows
   * while the relay is stuck. Keys waiting behind a parked record are left out (scimflow_parked_records shows them),
   * and so are paused tenants' (scimflow_tenants_paused).
   */
  async oldestUnpublishedAgeSeconds(em: EntityManager): Promise<number> {
    const [{ age }] = await em.query(
      `SELECT coalesce(extract(epoch FROM now() - min(o.created_at)), 0)::float8 AS age FROM outbox_events o
        WHERE o.published_at IS NULL AND NOT EXISTS (SELECT 1 FROM parked_records p WHERE p.stage = 'relay' AND p.record_key = o.record_key)
          AND ${NOT_DELIVERY_PAUSED}`,
    );
    return Math.max(0, Number(age));
  }

  async depth(em: EntityManager): Promise<number> {
    const [{ n }] = await em.query(`SELECT count(*)::int AS n FROM outbox_events WHERE published_at IS NULL`);
    return n;
  }
}
