import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1732300000000 implements MigrationInterface {
  name = 'InitialSchema1732300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenants (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE tenant_tokens (
        id text PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        secret_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX tenant_tokens_tenant ON tenant_tokens (tenant_id)`);
    await q.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        url text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints (tenant_id)`);
    await q.query(`
      CREATE TABLE scim_users (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        user_name text NOT NULL,
        external_id text,
        active boolean NOT NULL,
        document jsonb NOT NULL,
        version integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    // userName is unique per tenant, case-insensitively (RFC 7643 §4.1.1: caseExact false, uniqueness server).
    await q.query(`CREATE UNIQUE INDEX scim_users_tenant_user_name ON scim_users (tenant_id, lower(user_name))`);
    await q.query(`CREATE INDEX scim_users_tenant_external_id ON scim_users (tenant_id, external_id)`);
    await q.query(`CREATE INDEX scim_users_tenant_created ON scim_users (tenant_id, created_at, id)`);
    await q.query(`
      CREATE TABLE processed_commands (
        command_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        resource_id uuid NOT NULL,
        outcome jsonb NOT NULL,
        processed_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX processed_commands_processed_at ON processed_commands (processed_at)`);
    await q.query(`
      CREATE TABLE outbox_events (
        id bigserial PRIMARY KEY,
        topic text NOT NULL,
        record_key text NOT NULL,
        payload jsonb NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_events_unpublished ON outbox_events (id) WHERE published_at IS NULL`);
    await q.query(`
      CREATE TABLE webhook_deliveries (
        endpoint_id uuid NOT NULL,
        event_id text NOT NULL,
        tenant_id uuid NOT NULL,
        attempts integer NOT NULL,
        last_status integer,
        delivered_at timestamptz NOT NULL,
        PRIMARY KEY (endpoint_id, event_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['webhook_deliveries', 'outbox_events', 'processed_commands', 'scim_users', 'webhook_endpoints', 'tenant_tokens', 'tenants'])
      await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}
