import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The product-side lifecycle of a user (issue 4).
 *
 * - work_email: `emails[type eq "work"].value` lower-cased, kept by the reconciler; indexed per tenant so that the
 *   unique-work-email rule and matching by email are index lookups instead of scans of every document.
 * - login_method: `sso` (through Entra; the default) or `builtIn` (the product's own login), set by the admin API.
 * - origin / linked: a bulk-imported user (origin `import`) stays unlinked until an Entra write claims it; a
 *   soft-deleted user is unlinked again. A SCIM create matching an unlinked user by userName, then by work
 *   email, takes it over. The partial index keeps that lookup small.
 * - deleted_at: a soft delete keeps the row (hidden from SCIM) instead of removing it.
 */
export class UserLifecycle1733000000000 implements MigrationInterface {
  name = 'UserLifecycle1733000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE scim_users
        ADD COLUMN work_email text,
        ADD COLUMN login_method text NOT NULL DEFAULT 'sso' CHECK (login_method IN ('sso', 'builtIn')),
        ADD COLUMN origin text NOT NULL DEFAULT 'scim' CHECK (origin IN ('scim', 'import')),
        ADD COLUMN linked boolean NOT NULL DEFAULT true,
        ADD COLUMN deleted_at timestamptz`);
    await q.query(`
      UPDATE scim_users u SET work_email = (
        SELECT lower(e->>'value') FROM jsonb_array_elements(CASE WHEN jsonb_typeof(u.document->'emails') = 'array' THEN u.document->'emails' ELSE '[]'::jsonb END) e
         WHERE lower(e->>'type') = 'work' AND coalesce(e->>'value', '') <> '' LIMIT 1)`);
    await q.query(`CREATE INDEX scim_users_tenant_work_email ON scim_users (tenant_id, work_email) WHERE work_email IS NOT NULL`);
    await q.query(`CREATE INDEX scim_users_unlinked ON scim_users (tenant_id, lower(user_name)) WHERE NOT linked`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX scim_users_unlinked`);
    await q.query(`DROP INDEX scim_users_tenant_work_email`);
    await q.query(`ALTER TABLE scim_users DROP COLUMN work_email, DROP COLUMN login_method, DROP COLUMN origin, DROP COLUMN linked, DROP COLUMN deleted_at`);
  }
}
