import { randomBytes } from 'node:crypto';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook subscriptions with signing secrets, and a delivery queue in Postgres so that one failing event holds
 * back only its own (subscription, user) lane instead of a Kafka partition.
 *
 * - webhook_subscriptions: replaces webhook_endpoints (rows are carried over with their ids and get a fresh
 *   signing secret, stored as is: a migration has no WEBHOOK_SECRETS_KEY; `scimctl subscription rotate-secret`
 *   issues one that is encrypted and shown).
 * - webhook_deliveries: one row per (subscription, event), the queue and the record that it was delivered.
 * - webhook_lanes: one row per (subscription, ordering key): when its next pending event is due, which
 *   notifier instance holds it (lease), and the last sequence settled, so one user's events for one
 *   subscription go out one at a time, in sequence order.
 * - webhook_delivery_attempts: the delivery log.
 * - webhook_dead_letters: events not accepted within the horizon, with the last response.
 */
export class WebhookSubscriptions1732700000000 implements MigrationInterface {
  name = 'WebhookSubscriptions1732700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_subscriptions (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        url text NOT NULL,
        event_types text[] NOT NULL DEFAULT '{}',
        secrets jsonb NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        disabled_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (jsonb_typeof(secrets) = 'array' AND jsonb_array_length(secrets) BETWEEN 1 AND 2)
      )`);
    await q.query(`CREATE INDEX webhook_subscriptions_tenant ON webhook_subscriptions (tenant_id)`);

    const endpoints: { id: string; tenant_id: string; url: string; enabled: boolean; created_at: Date }[] = await q.query(
      `SELECT id, tenant_id, url, enabled, created_at FROM webhook_endpoints ORDER BY created_at`,
    );
    for (const e of endpoints) {
      const secrets = [{ value: `whsec_${randomBytes(32).toString('base64')}`, createdAt: new Date().toISOString(), expiresAt: null }];
      await q.query(
        `INSERT INTO webhook_subscriptions (id, tenant_id, url, secrets, enabled, disabled_reason, created_at)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7)`,
        [e.id, e.tenant_id, e.url, JSON.stringify(secrets), e.enabled, e.enabled ? null : 'disabled before the move to subscriptions', e.created_at],
      );
    }
    // Delivered-event records of the old design: the committed consumer offsets already say what was sent.
    await q.query(`DROP TABLE webhook_deliveries`);
    await q.query(`DROP TABLE webhook_endpoints`);

    await q.query(`
      CREATE TABLE webhook_deliveries (
        id bigserial PRIMARY KEY,
        subscription_id uuid NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL,
        event_id text NOT NULL,
        event_type text NOT NULL,
        ordering_key text NOT NULL,
        sequence bigint,
        body text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        horizon_from timestamptz NOT NULL DEFAULT now(),
        last_attempt_at timestamptz,
        last_status integer,
        last_error text,
        redrives integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        UNIQUE (subscription_id, event_id)
      )`);
    // The head of a lane: its pending delivery with the lowest sequence (then the oldest).
    await q.query(`CREATE INDEX webhook_deliveries_lane_pending ON webhook_deliveries (subscription_id, ordering_key, sequence, id) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX webhook_deliveries_delivered_at ON webhook_deliveries (delivered_at) WHERE status = 'delivered'`);

    await q.query(`
      CREATE TABLE webhook_lanes (
        subscription_id uuid NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
        ordering_key text NOT NULL,
        next_attempt_at timestamptz,
        lease_token uuid,
        lease_owner text,
        lease_until timestamptz,
        last_sequence bigint,
        released_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (subscription_id, ordering_key)
      )`);
    await q.query(`CREATE INDEX webhook_lanes_due ON webhook_lanes (next_attempt_at) WHERE next_attempt_at IS NOT NULL`);

    await q.query(`
      CREATE TABLE webhook_delivery_attempts (
        id bigserial PRIMARY KEY,
        delivery_id bigint NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
        subscription_id uuid NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL,
        event_id text NOT NULL,
        event_type text NOT NULL,
        attempt integer NOT NULL,
        status text NOT NULL CHECK (status IN ('delivered', 'failed')),
        http_status integer,
        latency_ms integer NOT NULL,
        error text,
        response_excerpt text,
        redrive boolean NOT NULL DEFAULT false,
        instance text NOT NULL,
        attempted_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX webhook_delivery_attempts_subscription ON webhook_delivery_attempts (subscription_id, attempted_at DESC)`);
    await q.query(`CREATE INDEX webhook_delivery_attempts_delivery ON webhook_delivery_attempts (delivery_id)`);
    await q.query(`CREATE INDEX webhook_delivery_attempts_attempted_at ON webhook_delivery_attempts (attempted_at)`);

    await q.query(`
      CREATE TABLE webhook_dead_letters (
        id uuid PRIMARY KEY,
        delivery_id bigint NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
        subscription_id uuid NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL,
        event_id text NOT NULL,
        event_type text NOT NULL,
        ordering_key text NOT NULL,
        url text NOT NULL,
        attempts integer NOT NULL,
        queued_at timestamptz NOT NULL,
        last_attempt_at timestamptz NOT NULL,
        last_status integer,
        last_error text,
        last_response_excerpt text,
        dead_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        redriven_at timestamptz
      )`);
    await q.query(`CREATE INDEX webhook_dead_letters_subscription ON webhook_dead_letters (subscription_id, dead_at DESC)`);
    await q.query(`CREATE INDEX webhook_dead_letters_tenant ON webhook_dead_letters (tenant_id, dead_at DESC)`);
    await q.query(`CREATE INDEX webhook_dead_letters_unpublished ON webhook_dead_letters (dead_at) WHERE published_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        url text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints (tenant_id)`);
    await q.query(
      `INSERT INTO webhook_endpoints (id, tenant_id, url, enabled, created_at) SELECT id, tenant_id, url, enabled, created_at FROM webhook_subscriptions`,
    );
    for (const t of ['webhook_dead_letters', 'webhook_delivery_attempts', 'webhook_lanes', 'webhook_deliveries', 'webhook_subscriptions'])
      await q.query(`DROP TABLE IF EXISTS ${t}`);
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
}
