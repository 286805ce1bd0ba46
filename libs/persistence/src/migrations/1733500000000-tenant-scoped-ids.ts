import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Users and groups are keyed by (tenant_id, id): ids a product chooses (SureCloud's group ids, named by every
 * tenant's userType directive) are unique per tenant, so two tenants may import the same export. The existing
 * (tenant_id, id) unique indexes become the primary keys (renamed to scim_users_pkey / scim_groups_pkey, which the
 * reconciler maps to "already exists"); the membership foreign keys already reference (tenant_id, id).
 */
export class TenantScopedIds1733500000000 implements MigrationInterface {
  name = 'TenantScopedIds1733500000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['scim_users', 'scim_groups']) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_pkey`);
      await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_pkey PRIMARY KEY USING INDEX ${table}_tenant_id`);
    }
  }

  /** Fails (a duplicate key) once two tenants hold the same id: that data cannot go back to global ids. */
  async down(q: QueryRunner): Promise<void> {
    // The membership foreign keys depend on the primary-key indexes: they are recreated on the unique indexes.
    await q.query(`ALTER TABLE scim_group_members DROP CONSTRAINT scim_group_members_group, DROP CONSTRAINT scim_group_members_user`);
    for (const table of ['scim_users', 'scim_groups']) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_pkey`);
      await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_pkey PRIMARY KEY (id)`);
      await q.query(`CREATE UNIQUE INDEX ${table}_tenant_id ON ${table} (tenant_id, id)`);
    }
    await q.query(`
      ALTER TABLE scim_group_members
        ADD CONSTRAINT scim_group_members_group FOREIGN KEY (tenant_id, group_id) REFERENCES scim_groups (tenant_id, id) ON DELETE CASCADE,
        ADD CONSTRAINT scim_group_members_user FOREIGN KEY (tenant_id, user_id) REFERENCES scim_users (tenant_id, id) ON DELETE CASCADE`);
  }
}
