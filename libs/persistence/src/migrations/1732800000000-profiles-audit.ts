import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Product profiles and the provisioning audit log.
 *
 * - scim_users.unmatched_roles: role names that matched no product role, kept when the tenant records rather
 *   than rejects them (segura `roles.unknownRoles = record`), so nothing Entra sent is silently dropped.
 * - audit_log: one row per provisioning action the reconciler decided (applied or rejected), written in the
 *   same transaction as its effects, queried per tenant by time, resource and outcome. No foreign key to
 *   tenants: a command for a tenant that no longer exists is still audited.
 */
export class ProfilesAudit1732800000000 implements MigrationInterface {
  name = 'ProfilesAudit1732800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE scim_users ADD COLUMN unmatched_roles text[] NOT NULL DEFAULT '{}'`);
    await q.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        tenant_id uuid NOT NULL,
        command_id text NOT NULL,
        request_id text,
        resource_type text NOT NULL,
        resource_id text NOT NULL,
        action text NOT NULL,
        status integer NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('success', 'failure')),
        error jsonb,
        diff jsonb NOT NULL DEFAULT '{}',
        at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX audit_log_tenant_at ON audit_log (tenant_id, at, id)`);
    await q.query(`CREATE INDEX audit_log_tenant_resource ON audit_log (tenant_id, resource_id, at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
    await q.query(`ALTER TABLE scim_users DROP COLUMN unmatched_roles`);
  }
}
