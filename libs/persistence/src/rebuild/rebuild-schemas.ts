import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../data-source';

/** Tables copied from the live schema before replaying: what the use cases read besides the command log. */
const TENANT_TABLES: [table: string, tenantColumn: string][] = [
  ['tenants', 'id'],
  ['tenant_schemas', 'tenant_id'],
];

/** A user or group as a rebuild compares it: its columns but the id, timestamps left out (a re-applied command gets a new time). */
export interface RebuildRow {
  id: string;
  fields: Record<string, unknown>;
}

/** One tenant's users, groups and memberships in one schema. */
export interface RebuildState {
  users: RebuildRow[];
  groups: RebuildRow[];
  memberships: { groupId: string; userId: string }[];
}

/**
 * The scratch schemas of `scimctl rebuild` (one tenant's commands re-applied beside the live data) and the tenant's
 * state in a schema, to compare. Only scratch schemas are written: the live one is read.
 */
export class RebuildSchemas {
  constructor(private readonly ds: DataSource) {}

  /** The schema the live data is in. */
  async liveSchema(): Promise<string> {
    const [{ schema }]: { schema: string }[] = await this.ds.query(`SELECT current_schema() AS schema`);
    return schema;
  }

  /** Whether a tenant has exactly this id text: the rebuild picks the tenant's commands from the log by it. */
  async hasTenant(tenantId: string): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(`SELECT 1 FROM tenants WHERE id::text = $1`, [tenantId]);
    return rows.length > 0;
  }

  async create(schema: string): Promise<void> {
    await this.ds.query(`CREATE SCHEMA "${schema}"`);
  }

  /** A connection to the scratch schema, migrated there; the caller destroys it. */
  async open(databaseUrl: string, schema: string): Promise<DataSource> {
    const scratch = new DataSource(dataSourceOptions(databaseUrl, { extra: { max: 2, options: `-c search_path=${schema}` } }));
    await scratch.initialize();
    try {
      await scratch.runMigrations({ transaction: 'each' });
    } catch (e) {
      await scratch.destroy();
      throw e;
    }
    return scratch;
  }

  /** Copies the tenant's rows of the tables the use cases read besides the command log from `from` to `to`. */
  async copyTenant(from: string, to: string, tenantId: string): Promise<void> {
    for (const [table, column] of TENANT_TABLES)
      await this.ds.query(`INSERT INTO "${to}".${table} SELECT * FROM "${from}".${table} WHERE ${column}::text = $1`, [tenantId]);
  }

  async drop(schema: string): Promise<void> {
    await this.ds.query(`DROP SCHEMA "${schema}" CASCADE`);
  }

  async state(schema: string, tenantId: string): Promise<RebuildState> {
    const s = `"${schema}"`;
    const users: Record<string, unknown>[] = await this.ds.query(
      `SELECT id, user_name, external_id, active, document - 'meta' AS document, version, work_email, login_method, origin, linked, deleted_at IS NOT NULL AS deleted FROM ${s}.scim_users WHERE tenant_id = $1`,
      [tenantId],
    );
    const groups: Record<string, unknown>[] = await this.ds.query(
      `SELECT id, display_name, external_id, document - 'meta' AS document, version FROM ${s}.scim_groups WHERE tenant_id = $1`,
      [tenantId],
    );
    const members: { group_id: string; user_id: string }[] = await this.ds.query(`SELECT group_id, user_id FROM ${s}.scim_group_members WHERE tenant_id = $1`, [
      tenantId,
    ]);
    const row = ({ id, ...fields }: Record<string, unknown>): RebuildRow => ({ id: String(id), fields });
    return { users: users.map(row), groups: groups.map(row), memberships: members.map((m) => ({ groupId: m.group_id, userId: m.user_id })) };
  }
}
