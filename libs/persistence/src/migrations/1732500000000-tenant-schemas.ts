import { MigrationInterface, QueryRunner } from 'typeorm';

/** Tenant-defined extension schemas (docs/extensions.md): one row per schema URN and tenant. */
export class TenantSchemas1732500000000 implements MigrationInterface {
  name = 'TenantSchemas1732500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenant_schemas (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        resource_type text NOT NULL DEFAULT 'User',
        schema_id text NOT NULL,
        name text NOT NULL,
        description text NOT NULL DEFAULT '',
        attributes jsonb NOT NULL,
        additional_string_attributes boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, schema_id)
      )`);
    // Schema URNs compare case-insensitively, so one tenant cannot hold two spellings of one URN.
    await q.query(`CREATE UNIQUE INDEX tenant_schemas_tenant_lower_id ON tenant_schemas (tenant_id, lower(schema_id))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS tenant_schemas`);
  }
}
