import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The events API's log and its consumers.
 *
 * tenant_events: every change event the outbox relay published, written by the relay in the transaction that removes
 * the event from the outbox; `position` comes from one sequence drawn only by the single relay leader, so positions
 * follow publish order and a reader of `position > cursor` never sees a gap filled later. Partitioned by day on
 * created_at so that retention drops whole partitions (created ahead by the relay and the ingress, dropped by the
 * ingress, like scim_request_log). The primary key must hold the partition key.
 *
 * tenant_event_horizons: per tenant, the highest position dropped with a partition: a cursor before it lost events (410).
 *
 * product_credentials: the `sfp_` bearer credentials of a tenant's downstream services (events API and state pull
 * only), each also a consumer whose last read position the operator sees.
 */
export class TenantEvents1734000000000 implements MigrationInterface {
  name = 'TenantEvents1734000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE tenant_events_position AS bigint`);
    await q.query(`
      CREATE TABLE tenant_events (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        position bigint NOT NULL,
        event_id text NOT NULL,
        type text NOT NULL,
        record_key text NOT NULL,
        sequence bigint NOT NULL,
        payload text NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (created_at, position)
      ) PARTITION BY RANGE (created_at)`);
    await q.query(`CREATE INDEX tenant_events_tenant_position ON tenant_events (tenant_id, position)`);
    // the tenant's last event before its retention cutoff in one index step (created_at rises with position)
    await q.query(`CREATE INDEX tenant_events_tenant_time ON tenant_events (tenant_id, created_at, position)`);
    await q.query(`
      CREATE TABLE tenant_event_horizons (
        tenant_id uuid PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
        discarded_through bigint NOT NULL
      )`);
    await q.query(`ALTER TABLE tenants ADD COLUMN events_retention_days int NOT NULL DEFAULT 30 CHECK (events_retention_days BETWEEN 1 AND 365)`);
    await q.query(`
      CREATE TABLE product_credentials (
        id text PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        secret_hash text NOT NULL,
        description text,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        last_used_at timestamptz,
        last_position bigint,
        last_read_at timestamptz
      )`);
    await q.query(`CREATE INDEX product_credentials_tenant ON product_credentials (tenant_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS product_credentials`);
    await q.query(`ALTER TABLE tenants DROP COLUMN IF EXISTS events_retention_days`);
    await q.query(`DROP TABLE IF EXISTS tenant_event_horizons`);
    await q.query(`DROP TABLE IF EXISTS tenant_events`);
    await q.query(`DROP SEQUENCE IF EXISTS tenant_events_position`);
  }
}
