import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Records a stage could not publish or queue, kept for a person (`scimctl records parked`). Stage `relay`: an outbox
 * event the broker cannot take; the event stays in outbox_events (outbox_id) and its key's later events wait behind
 * it. Stage `intake`: a consumed change event the notifier could not queue, with its bytes.
 */
export class ParkedRecords1733400000000 implements MigrationInterface {
  name = 'ParkedRecords1733400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE parked_records (
        id bigserial PRIMARY KEY,
        stage text NOT NULL,
        topic text NOT NULL,
        record_key text NOT NULL,
        outbox_id bigint UNIQUE,
        value bytea,
        headers jsonb NOT NULL DEFAULT '{}'::jsonb,
        source text,
        bytes integer NOT NULL,
        error text NOT NULL,
        parked_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX parked_records_relay_key ON parked_records (record_key) WHERE stage = 'relay'`);
    await q.query(`CREATE UNIQUE INDEX parked_records_intake_source ON parked_records (source) WHERE stage = 'intake'`);
    // the relay's age metric reads the oldest unpublished event
    await q.query(`CREATE INDEX IF NOT EXISTS outbox_events_unpublished_created ON outbox_events (created_at) WHERE published_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS outbox_events_unpublished_created`);
    await q.query(`DROP TABLE IF EXISTS parked_records`);
  }
}
