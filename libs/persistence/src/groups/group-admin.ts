import { DataSource } from 'typeorm';
import type { FilterNode } from '@scimflow/scim';
import { GroupAdminDetail, GroupAdminView, GroupMemberAdminView, isUuid } from '@scimflow/contracts';
import { compileGroupFilter } from './group-filter';

export interface GroupAdminQuery {
  /** a SCIM Group filter (displayName, externalId, members…), compiled to SQL like GET /Groups does */
  filter?: FilterNode;
  /** keyset paging: groups with an id greater than this one */
  after?: string;
  limit: number;
}

interface Row {
  id: string;
  display_name: string;
  external_id: string | null;
  member_count: string;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS =
  'g.id, g.display_name, g.external_id, g.version, g.created_at, g.updated_at, ' +
  '(SELECT count(*) FROM scim_group_members m WHERE m.tenant_id = g.tenant_id AND m.group_id = g.id) AS member_count';

const view = (r: Row): GroupAdminView => ({
  id: r.id,
  displayName: r.display_name,
  externalId: r.external_id,
  memberCount: Number(r.member_count),
  version: r.version,
  created: r.created_at.toISOString(),
  lastModified: r.updated_at.toISOString(),
});

/** Read-only admin views of a tenant's groups. Writes go through commands. */
export class GroupAdmin {
  constructor(private readonly ds: DataSource) {}

  /** Groups in id order, `limit` at a time; pass the last id as `after` for the next page. */
  async list(tenantId: string, q: GroupAdminQuery): Promise<GroupAdminView[]> {
    const where = ['g.tenant_id = $1'];
    const params: unknown[] = [tenantId];
    if (q.after) {
      params.push(q.after);
      where.push(`g.id > $${params.length}::uuid`);
    }
    if (q.filter) {
      const compiled = compileGroupFilter(q.filter, params.length);
      params.push(...compiled.params);
      where.push(`(${compiled.sql})`);
    }
    params.push(q.limit);
    const rows: Row[] = await this.ds.query(`SELECT ${COLUMNS} FROM scim_groups g WHERE ${where.join(' AND ')} ORDER BY g.id LIMIT $${params.length}`, params);
    return rows.map(view);
  }

  /** The group with its first `memberLimit` members in user-id order, read in one snapshot so the count agrees with them. */
  async get(tenantId: string, id: string, memberLimit: number): Promise<GroupAdminDetail | undefined> {
    if (!isUuid(id)) return undefined;
    return this.ds.transaction('REPEATABLE READ', async (em) => {
      const rows: Row[] = await em.query(`SELECT ${COLUMNS} FROM scim_groups g WHERE g.tenant_id = $1 AND g.id = $2`, [tenantId, id]);
      if (!rows[0]) return undefined;
      const members: { user_id: string; user_name: string }[] = await em.query(
        `SELECT m.user_id, u.user_name
           FROM scim_group_members m JOIN scim_users u ON u.tenant_id = m.tenant_id AND u.id = m.user_id
          WHERE m.tenant_id = $1 AND m.group_id = $2
          ORDER BY m.user_id LIMIT $3`,
        [tenantId, id, memberLimit],
      );
      return { ...view(rows[0]), members: members.map((m) => ({ id: m.user_id, userName: m.user_name })) };
    });
  }
}
