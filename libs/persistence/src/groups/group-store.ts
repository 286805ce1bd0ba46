import { DataSource, EntityManager } from 'typeorm';
import { compileSortToSql, FilterNode, SortSpec } from '@scimflow/scim';
import { AlreadyExists, AlreadyTaken, GroupState, MemberView, NotFound } from '@scimflow/provisioning';
import { raisingDomainErrors, Violations } from '../unit-of-work';
import { queryResourcePage } from '../listing/resource-page';
import { compileGroupFilter, GROUP_SQL_TARGET } from './group-filter';
import { isUuid } from '@scimflow/contracts';

interface GroupRow {
  id: string;
  tenant_id: string;
  display_name: string;
  external_id: string | null;
  document: Record<string, unknown>;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'g.id, g.tenant_id, g.display_name, g.external_id, g.document, g.version, g.created_at, g.updated_at';

function toState(r: GroupRow): GroupState {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    displayName: r.display_name,
    externalId: r.external_id,
    document: r.document,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface GroupListQuery {
  filter?: FilterNode;
  sort?: SortSpec;
  /** 1-based */
  startIndex: number;
  count: number;
  /** a search across resource types: attributes Groups do not have count as unassigned instead of 400 (RFC 7644 §3.4.2) */
  lenient?: boolean;
}

/** Rows per query when streaming a group's members: bounded memory whatever the group's size. */
export const MEMBER_PAGE_SIZE = 2000;

/** What a failed write of a group means: its displayName or id is another group's, or the tenant is gone. */
function groupViolations(s: GroupState): Violations {
  return {
    scim_groups_tenant_display_name: () => new AlreadyTaken('displayName is already taken by another group of this tenant'),
    scim_groups_pkey: () => new AlreadyExists(`Group ${s.id} already exists`),
    scim_groups_tenant_id_fkey: () => new NotFound(`tenant ${s.tenantId} does not exist`),
  };
}

/**
 * Groups of all tenants and reads of their memberships. Every query is scoped by tenant id. Writes raise
 * AlreadyTaken (displayName), AlreadyExists (id) and NotFound (tenant).
 */
export class GroupStore {
  constructor(private readonly ds: DataSource) {}

  /**
   * Runs `work` in one REPEATABLE READ, read-only transaction, so a group and its (paged) members come from one
   * snapshot: the members a response lists are those of the version its ETag names.
   */
  snapshot<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction('REPEATABLE READ', async (em) => {
      await em.query('SET TRANSACTION READ ONLY');
      return work(em);
    });
  }

  async findById(tenantId: string, id: string, em: EntityManager = this.ds.manager): Promise<GroupState | undefined> {
    if (!isUuid(id)) return undefined;
    const rows: GroupRow[] = await em.query(`SELECT ${COLUMNS} FROM scim_groups g WHERE g.tenant_id = $1 AND g.id = $2`, [tenantId, id]);
    return rows[0] && toState(rows[0]);
  }

  /**
   * Page of groups matching the filter, sorted by `sort` and then by creation (stable across pages).
   * With a sort, `sortKeys` holds each group's sort key (to merge with other resource types).
   */
  async list(tenantId: string, q: GroupListQuery, em: EntityManager = this.ds.manager): Promise<{ total: number; groups: GroupState[]; sortKeys?: unknown[] }> {
    const { filter, sort } = q;
    const page = await queryResourcePage<GroupRow>(em, tenantId, {
      from: 'scim_groups g',
      tenantColumn: 'g.tenant_id',
      columns: COLUMNS,
      defaultOrder: 'g.created_at, g.id',
      where: filter && ((offset) => compileGroupFilter(filter, offset, !q.lenient)),
      sort: sort && ((offset) => compileSortToSql(sort, GROUP_SQL_TARGET, offset, q.lenient)),
      startIndex: q.startIndex,
      count: q.count,
    });
    return { total: page.total, groups: page.rows.map(toState), sortKeys: page.sortKeys };
  }

  /** The group's members in user-id order, one page at a time (keyset pagination on the primary key). */
  async *members(em: EntityManager, tenantId: string, groupId: string, pageSize = MEMBER_PAGE_SIZE): AsyncGenerator<MemberView[]> {
    let after: string | undefined;
    for (;;) {
      const rows: { user_id: string; display_name: string | null; user_name: string }[] = await em.query(
        `SELECT m.user_id, u.document ->> 'displayName' AS display_name, u.user_name
           FROM scim_group_members m JOIN scim_users u ON u.tenant_id = m.tenant_id AND u.id = m.user_id
          WHERE m.tenant_id = $1 AND m.group_id = $2 ${after ? 'AND m.user_id > $4::uuid' : ''}
          ORDER BY m.user_id LIMIT $3`,
        after ? [tenantId, groupId, pageSize, after] : [tenantId, groupId, pageSize],
      );
      if (rows.length) yield rows.map((r) => ({ userId: r.user_id, displayName: r.display_name, userName: r.user_name }));
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1].user_id;
    }
  }

  /** The groups of each of the given users (for their `groups` attribute), in one query. */
  async groupsOfUsers(
    tenantId: string,
    userIds: string[],
    em: EntityManager = this.ds.manager,
  ): Promise<Map<string, { groupId: string; displayName: string }[]>> {
    const out = new Map<string, { groupId: string; displayName: string }[]>();
    if (!userIds.length) return out;
    const rows: { user_id: string; group_id: string; display_name: string }[] = await em.query(
      `SELECT m.user_id, m.group_id, g.display_name
         FROM scim_group_members m JOIN scim_groups g ON g.tenant_id = m.tenant_id AND g.id = m.group_id
        WHERE m.tenant_id = $1 AND m.user_id = ANY($2::uuid[])
        ORDER BY m.user_id, lower(g.display_name), m.group_id`,
      [tenantId, userIds.filter(isUuid)],
    );
    for (const r of rows) {
      let list = out.get(r.user_id);
      if (!list) out.set(r.user_id, (list = []));
      list.push({ groupId: r.group_id, displayName: r.display_name });
    }
    return out;
  }

  // ---- the reconciler's writes, always inside its transaction ----

  async lockForUpdate(em: EntityManager, tenantId: string, id: string): Promise<GroupState | undefined> {
    const rows: GroupRow[] = await em.query(`SELECT ${COLUMNS} FROM scim_groups g WHERE g.tenant_id = $1 AND g.id = $2 FOR UPDATE`, [tenantId, id]);
    return rows[0] && toState(rows[0]);
  }

  async insert(em: EntityManager, s: GroupState): Promise<void> {
    await raisingDomainErrors(groupViolations(s), () =>
      em.query(
        `INSERT INTO scim_groups (id, tenant_id, display_name, external_id, document, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [s.id, s.tenantId, s.displayName, s.externalId, s.document, s.version, s.createdAt, s.updatedAt],
      ),
    );
  }

  async update(em: EntityManager, s: GroupState): Promise<void> {
    await raisingDomainErrors(groupViolations(s), () =>
      em.query(
        `UPDATE scim_groups SET display_name = $3, external_id = $4, document = $5, version = $6, updated_at = $7
         WHERE tenant_id = $1 AND id = $2`,
        [s.tenantId, s.id, s.displayName, s.externalId, s.document, s.version, s.updatedAt],
      ),
    );
  }

  async delete(em: EntityManager, tenantId: string, id: string): Promise<void> {
    await em.query(`DELETE FROM scim_groups WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
  }
}
