import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The console's server-side state.
 * - console_sessions: operator sessions; only the SHA-256 of the cookie value is stored, so a copy of the table signs
 *   nobody in. Revoked on sign-out; expired ones are deleted when new sessions are made.
 * - setup_links: a tenant's links for its customer's IT admin, token stored as its SHA-256; deleted with the tenant.
 */
export class Console1733800000000 implements MigrationInterface {
  name = 'Console1733800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE console_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        cookie_hash text NOT NULL UNIQUE,
        csrf_token text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX console_sessions_expires_at ON console_sessions (expires_at)`);
    await q.query(`
      CREATE TABLE setup_links (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        product_name text,
        logo_url text,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        last_used_at timestamptz
      )`);
    await q.query(`CREATE INDEX setup_links_tenant ON setup_links (tenant_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE setup_links`);
    await q.query(`DROP TABLE console_sessions`);
  }
}
