import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * outbox_events.payload as json, not jsonb: the outbox is a queue, never queried by content, and json keeps the
 * text the reconciler wrote, so the relay publishes it as it is (no parse and re-serialise per event) and the
 * insert skips jsonb's conversion. The table is near-empty in normal operation, so the rewrite is quick.
 */
export class OutboxPayloadJson1733200000000 implements MigrationInterface {
  name = 'OutboxPayloadJson1733200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox_events ALTER COLUMN payload TYPE json USING payload::json`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox_events ALTER COLUMN payload TYPE jsonb USING payload::jsonb`);
  }
}
