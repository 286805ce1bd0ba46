import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * scim_request_log: every SCIM and token request the ingress answered for an existing tenant, partitioned by day on
 * `at` so that retention drops whole partitions instead of deleting rows. The primary key must hold the partition key.
 * Deleting a tenant cascades into every partition (the tenant_id index answers it). Partitions are created ahead by the
 * ingress (RequestLog.ensurePartitions, at start and hourly), not here.
 */
export class RequestLog1733720000000 implements MigrationInterface {
  name = 'RequestLog1733720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE scim_request_log (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        at timestamptz NOT NULL,
        request_id text,
        source_ip text,
        method text NOT NULL,
        path text NOT NULL,
        status int NOT NULL,
        latency_ms double precision NOT NULL,
        request_body text,
        request_truncated boolean NOT NULL DEFAULT false,
        response_body text,
        response_truncated boolean NOT NULL DEFAULT false,
        notes text[] NOT NULL DEFAULT '{}',
        PRIMARY KEY (at, id)
      ) PARTITION BY RANGE (at)`);
    await q.query(`CREATE INDEX scim_request_log_tenant_at ON scim_request_log (tenant_id, at DESC, id DESC)`);
    await q.query(`CREATE INDEX scim_request_log_tenant_id ON scim_request_log (tenant_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE scim_request_log`);
  }
}
