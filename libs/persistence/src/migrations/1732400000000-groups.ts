import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Groups and their memberships. Memberships have their own table (not a jsonb array in the group) so a group of
 * 50,000 members is changed, filtered and read row by row.
 */
export class Groups1732400000000 implements MigrationInterface {
  name = 'Groups1732400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE scim_groups (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        display_name text NOT NULL,
        external_id text,
        document jsonb NOT NULL,
        version integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    // displayName is unique per tenant, case-insensitively: Entra matches groups by it.
    await q.query(`CREATE UNIQUE INDEX scim_groups_tenant_display_name ON scim_groups (tenant_id, lower(display_name))`);
    await q.query(`CREATE INDEX scim_groups_tenant_external_id ON scim_groups (tenant_id, external_id)`);
    await q.query(`CREATE INDEX scim_groups_tenant_created ON scim_groups (tenant_id, created_at, id)`);
    // Targets for the composite foreign keys below, which keep a membership inside one tenant.
    await q.query(`CREATE UNIQUE INDEX scim_groups_tenant_id ON scim_groups (tenant_id, id)`);
    await q.query(`CREATE UNIQUE INDEX scim_users_tenant_id ON scim_users (tenant_id, id)`);
    await q.query(`
      CREATE TABLE scim_group_members (
        tenant_id uuid NOT NULL,
        group_id uuid NOT NULL,
        user_id uuid NOT NULL,
        added_at timestamptz NOT NULL,
        CONSTRAINT scim_group_members_pkey PRIMARY KEY (tenant_id, group_id, user_id),
        CONSTRAINT scim_group_members_group FOREIGN KEY (tenant_id, group_id) REFERENCES scim_groups (tenant_id, id) ON DELETE CASCADE,
        CONSTRAINT scim_group_members_user FOREIGN KEY (tenant_id, user_id) REFERENCES scim_users (tenant_id, id) ON DELETE CASCADE
      )`);
    // The other direction: a user's groups (the `groups` attribute, deleting a user).
    await q.query(`CREATE INDEX scim_group_members_by_user ON scim_group_members (tenant_id, user_id, group_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS scim_group_members`);
    await q.query(`DROP INDEX IF EXISTS scim_users_tenant_id`);
    await q.query(`DROP TABLE IF EXISTS scim_groups`);
  }
}
