import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { useDatabase } from '../../../../test/support/medium/database';
import { RebuildSchemas } from './rebuild-schemas';

const db = useDatabase();

async function addUser(ds: DataSource, schema: string, tenantId: string, userName: string): Promise<string> {
  const id = randomUUID();
  await ds.query(
    `INSERT INTO "${schema}".scim_users (id, tenant_id, user_name, active, document, version, created_at, updated_at)
     VALUES ($1, $2, $3, true, $4, 1, now(), now())`,
    [id, tenantId, userName, { userName, meta: { resourceType: 'User' } }],
  );
  return id;
}

describe('RebuildSchemas (Postgres)', () => {
  const tenantId = randomUUID();

  beforeAll(async () => {
    await db().query(`INSERT INTO tenants (id, name, profile) VALUES ($1, 'rebuild', 'workforce')`, [tenantId]);
    await db().query(`INSERT INTO tenant_schemas (tenant_id, schema_id, name, attributes) VALUES ($1, 'urn:example:ext', 'Ext', '[]')`, [tenantId]);
  });

  it('finds a tenant only by its id text as the command log writes it', async () => {
    const schemas = new RebuildSchemas(db());
    expect(await schemas.hasTenant(tenantId)).toBe(true);
    expect(await schemas.hasTenant(tenantId.toUpperCase())).toBe(false);
    expect(await schemas.hasTenant(randomUUID())).toBe(false);
    expect(await schemas.hasTenant('not-a-uuid')).toBe(false);
  });

  it('makes a migrated scratch schema with the tenant’s rows, reads the tenant’s state in either schema, and drops it', async () => {
    const schemas = new RebuildSchemas(db());
    const live = await schemas.liveSchema();
    expect(live).toBe('public');
    const ada = await addUser(db(), live, tenantId, 'ada@example.com');
    const groupId = randomUUID();
    await db().query(
      `INSERT INTO scim_groups (id, tenant_id, display_name, document, version, created_at, updated_at) VALUES ($1, $2, 'Ops', '{}', 3, now(), now())`,
      [groupId, tenantId],
    );
    await db().query(`INSERT INTO scim_group_members (tenant_id, group_id, user_id, added_at) VALUES ($1, $2, $3, now())`, [tenantId, groupId, ada]);

    const scratch = `rebuild_medium_${randomBytes(3).toString('hex')}`;
    await schemas.create(scratch);
    const scratchDs = await schemas.open(process.env.DATABASE_URL!, scratch);
    try {
      expect(await new RebuildSchemas(scratchDs).liveSchema()).toBe(scratch);
      await schemas.copyTenant(live, scratch, tenantId);
      expect(await db().query(`SELECT profile FROM "${scratch}".tenants`)).toEqual([{ profile: 'workforce' }]);
      expect(await db().query(`SELECT schema_id FROM "${scratch}".tenant_schemas`)).toEqual([{ schema_id: 'urn:example:ext' }]);
      expect(await schemas.state(scratch, tenantId)).toEqual({ users: [], groups: [], memberships: [] });

      expect(await schemas.state(live, tenantId)).toEqual({
        users: [
          {
            id: ada,
            fields: {
              user_name: 'ada@example.com',
              external_id: null,
              active: true,
              document: { userName: 'ada@example.com' },
              version: 1,
              work_email: null,
              login_method: 'sso',
              origin: 'scim',
              linked: true,
              deleted: false,
            },
          },
        ],
        groups: [{ id: groupId, fields: { display_name: 'Ops', external_id: null, document: {}, version: 3 } }],
        memberships: [{ groupId, userId: ada }],
      });
    } finally {
      await scratchDs.destroy();
    }
    await schemas.drop(scratch);
    expect(await db().query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [scratch])).toEqual([]);
  });
});
