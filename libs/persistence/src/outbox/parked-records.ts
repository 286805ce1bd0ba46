import { DataSource, EntityManager } from 'typeorm';
import { Metrics } from '@scimflow/observability';
import type { ParkedRecordView, ParkingStage } from '@scimflow/contracts';

/** A consumed record the notifier could not queue. */
export interface IntakeRecord {
  topic: string;
  key: string;
  value: Buffer | null;
  headers: Record<string, string>;
  source: string;
}

/** A parked intake record as it is published again. */
/** An outbox event the relay could not publish, with the broker's refusal. */
export interface ParkedOutboxEvent {
  outboxId: string;
  topic: string;
  key: string;
  bytes: number;
  error: string;
}

export interface RepublishedRecord {
  topic: string;
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

type Row = {
  id: string;
  stage: ParkingStage;
  topic: string;
  record_key: string;
  outbox_id: string | null;
  source: string | null;
  bytes: number;
  error: string;
  parked_at: Date;
};

const view = (r: Row): ParkedRecordView => ({
  id: String(r.id),
  stage: r.stage,
  topic: r.topic,
  key: r.record_key,
  outboxId: r.outbox_id === null ? null : String(r.outbox_id),
  source: r.source,
  bytes: r.bytes,
  error: r.error,
  parkedAt: new Date(r.parked_at).toISOString(),
});

/**
 * Records that a stage could not publish (relay) or queue (intake), so that they stop nobody else. A parked relay
 * record keeps its outbox event, and the outbox relays no later event of its key until it is redriven (published again,
 * before them) or discarded (they follow). Table parked_records.
 */
export class ParkedRecords {
  constructor(private readonly ds: DataSource) {}

  /** Parks outbox events the relay cannot publish; their key's later events wait (Outbox.pending skips the key). */
  async parkOutboxEvents(em: EntityManager, events: ParkedOutboxEvent[]): Promise<void> {
    if (events.length === 0) return;
    await em.query(
      `INSERT INTO parked_records (stage, topic, record_key, outbox_id, bytes, error)
       SELECT 'relay', topic, record_key, outbox_id, bytes, error
         FROM json_to_recordset($1::json) AS x(topic text, record_key text, outbox_id bigint, bytes int, error text)
       ON CONFLICT (outbox_id) DO NOTHING`,
      [JSON.stringify(events.map((e) => ({ topic: e.topic, record_key: e.key, outbox_id: e.outboxId, bytes: e.bytes, error: e.error })))],
    );
  }

  /** Parks a consumed record the notifier cannot queue, with its bytes (so that it can be published again). */
  async parkIntake(record: IntakeRecord, error: string): Promise<void> {
    await this.ds.query(
      // once per consumed record: a retry of its batch does not park it twice
      `INSERT INTO parked_records (stage, topic, record_key, value, headers, source, bytes, error) VALUES ('intake', $1, $2, $3, $4::jsonb, $5, $6, $7)
       ON CONFLICT (source) WHERE stage = 'intake' DO NOTHING`,
      [record.topic, record.key, record.value, JSON.stringify(record.headers), record.source, record.value?.length ?? 0, error.slice(0, 4000)],
    );
  }

  /** Oldest first. */
  async list(query: { stage?: ParkingStage; limit?: number } = {}): Promise<ParkedRecordView[]> {
    const rows: Row[] = await this.ds.query(
      `SELECT id, stage, topic, record_key, outbox_id, source, bytes, error, parked_at FROM parked_records
        WHERE ($1::text IS NULL OR stage = $1) ORDER BY id LIMIT $2`,
      [query.stage ?? null, query.limit ?? 100],
    );
    return rows.map(view);
  }

  async get(id: string): Promise<ParkedRecordView | null> {
    if (!/^\d{1,18}$/.test(id)) return null;
    const rows: Row[] = await this.ds.query(
      `SELECT id, stage, topic, record_key, outbox_id, source, bytes, error, parked_at FROM parked_records WHERE id = $1`,
      [id],
    );
    return rows.length ? view(rows[0]) : null;
  }

  /**
   * Publishes a parked record again. Relay: the record is unparked and the relay publishes it, then its key's later
   * events, in order (parked again if it still fails). Intake: `republish` puts it back on its topic, then it is removed.
   * Null when there is no such parked record.
   */
  async redrive(id: string, republish: (record: RepublishedRecord) => Promise<void>): Promise<ParkedRecordView | null> {
    const parked = await this.get(id);
    if (!parked) return null;
    if (parked.stage === 'intake') {
      const [row]: { value: Buffer | null; headers: Record<string, string> }[] = await this.ds.query(
        `SELECT value, headers FROM parked_records WHERE id = $1`,
        [id],
      );
      await republish({ topic: parked.topic, key: parked.key, value: row.value ?? Buffer.alloc(0), headers: row.headers ?? {} });
    }
    await this.ds.query(`DELETE FROM parked_records WHERE id = $1`, [id]);
    return parked;
  }

  /** Drops a parked record for good (relay: with its outbox event, so that its key's later events go out). */
  async discard(id: string): Promise<ParkedRecordView | null> {
    const parked = await this.get(id);
    if (!parked) return null;
    await this.ds.transaction(async (em) => {
      await em.query(`DELETE FROM parked_records WHERE id = $1`, [id]);
      if (parked.outboxId) await em.query(`DELETE FROM outbox_events WHERE id = $1`, [parked.outboxId]);
    });
    return parked;
  }

  /** How many records each stage has parked (every stage present, 0 when none). */
  async counts(): Promise<Record<ParkingStage, number>> {
    const rows: { stage: ParkingStage; n: number }[] = await this.ds.query(`SELECT stage, count(*)::int AS n FROM parked_records GROUP BY stage`);
    const counts: Record<ParkingStage, number> = { relay: 0, intake: 0 };
    for (const r of rows) counts[r.stage] = r.n;
    return counts;
  }
}

/** `scimflow_parked_records{stage}`, read from the table at each scrape (every app reports every stage: use max). */
export function registerParkedRecordsGauge(metrics: Metrics, parked: ParkedRecords): void {
  metrics.gauge('scimflow_parked_records', 'records parked because they cannot be published or queued', ['stage'], async (g) => {
    for (const [stage, n] of Object.entries(await parked.counts())) g.set({ stage }, n);
  });
}
