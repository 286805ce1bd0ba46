import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenants get a product profile and settings, an allow-list of source networks and a rate limit;
 * credentials grow from one secret token to several tokens, an OAuth client, federated trusts
 * (workload identity federation) and the signing keys of our access tokens.
 */
export class TenantCredentials1732600000000 implements MigrationInterface {
  name = 'TenantCredentials1732600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tenants
        ADD COLUMN profile text NOT NULL DEFAULT 'custom'
          CHECK (profile IN ('segura', 'appsec', 'workforce', 'surecloud', 'custom')),
        ADD COLUMN settings jsonb NOT NULL DEFAULT '{}'::jsonb,
        ADD COLUMN allowed_source_ips text[] NOT NULL DEFAULT '{}',
        ADD COLUMN rate_limit_per_second integer CHECK (rate_limit_per_second > 0),
        ADD COLUMN rate_limit_burst integer CHECK (rate_limit_burst > 0),
        ADD CONSTRAINT tenants_rate_limit_complete CHECK ((rate_limit_per_second IS NULL) = (rate_limit_burst IS NULL))`);
    await q.query(`ALTER TABLE tenant_tokens ADD COLUMN description text`);
    // one OAuth client per tenant; its secret may be absent (federation only)
    await q.query(`
      CREATE TABLE oauth_clients (
        id text PRIMARY KEY,
        tenant_id uuid NOT NULL UNIQUE REFERENCES tenants(id) ON DELETE CASCADE,
        secret_hash text,
        secret_created_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE federated_credentials (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        issuer text NOT NULL,
        jwks_url text NOT NULL,
        subject text NOT NULL,
        audience text NOT NULL,
        description text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        UNIQUE (tenant_id, issuer, subject)
      )`);
    // Access-token signing keys, shared by all tenants. The newest key that is neither retiring nor
    // retired signs; every key verifies until verify_until (set at rotation) or retired_at.
    await q.query(`
      CREATE TABLE signing_keys (
        kid text PRIMARY KEY,
        algorithm text NOT NULL,
        private_key text NOT NULL,
        public_jwk jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        verify_until timestamptz,
        retired_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS signing_keys`);
    await q.query(`DROP TABLE IF EXISTS federated_credentials`);
    await q.query(`DROP TABLE IF EXISTS oauth_clients`);
    await q.query(`ALTER TABLE tenant_tokens DROP COLUMN IF EXISTS description`);
    await q.query(`
      ALTER TABLE tenants
        DROP CONSTRAINT IF EXISTS tenants_rate_limit_complete,
        DROP COLUMN IF EXISTS rate_limit_burst,
        DROP COLUMN IF EXISTS rate_limit_per_second,
        DROP COLUMN IF EXISTS allowed_source_ips,
        DROP COLUMN IF EXISTS settings,
        DROP COLUMN IF EXISTS profile`);
  }
}
