import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Event replays started through the admin API: what was asked, how far the reading got and what it queued. A replay
 * runs in the ingress instance that accepted it and writes its progress here, so any instance can answer for it.
 */
export class EventReplays1733900000000 implements MigrationInterface {
  name = 'EventReplays1733900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE event_replays (
        id uuid PRIMARY KEY,
        subscription_id uuid NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL,
        replay_key text NOT NULL,
        from_at timestamptz NOT NULL,
        to_at timestamptz,
        state text NOT NULL DEFAULT 'running',
        planned bigint NOT NULL DEFAULT 0,
        read bigint NOT NULL DEFAULT 0,
        matched bigint NOT NULL DEFAULT 0,
        queued bigint NOT NULL DEFAULT 0,
        already_queued bigint NOT NULL DEFAULT 0,
        error text,
        started_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q.query(`CREATE INDEX event_replays_subscription ON event_replays (subscription_id, started_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS event_replays`);
  }
}
