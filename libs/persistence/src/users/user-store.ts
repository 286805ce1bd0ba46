import { DataSource, EntityManager } from 'typeorm';
import { CommandOutcome, ProvisioningCommand } from '@scimflow/contracts';
import {
  compileFilterToSql,
  compileSortToSql,
  FilterNode,
  ResourceTypeSchemas,
  SortSpec,
  SqlFilterTarget,
  userResourceTypeSchemas,
} from '@scimflow/scim';
import type { LoginMethod } from '@scimflow/contracts';
import type { UserOrigin, UserState } from '@scimflow/provisioning';
import { queryResourcePage } from '../listing/resource-page';

/** How a tenant's SCIM User attributes map onto the scim_users table, for the filter and sort compilers. */
export function userSqlTarget(types: ResourceTypeSchemas): SqlFilterTarget {
  return { ...USER_COLUMNS, schemas: [types.core, ...types.extensions] };
}

const USER_COLUMNS: Omit<SqlFilterTarget, 'schemas'> = {
  document: 'u.document',
  columns: {
    id: { sql: 'u.id::text', type: 'string', caseExact: true },
    username: { sql: 'u.user_name', type: 'string', caseExact: false },
    externalid: { sql: 'u.external_id', type: 'string', caseExact: true },
    active: { sql: 'u.active', type: 'boolean', caseExact: false },
    'meta.created': { sql: 'u.created_at', type: 'dateTime', caseExact: false },
    'meta.lastmodified': { sql: 'u.updated_at', type: 'dateTime', caseExact: false },
  },
};

/** The mapping for the User resource type without tenant extensions. */
export const USER_SQL_TARGET: SqlFilterTarget = userSqlTarget(userResourceTypeSchemas);

export interface UserListQuery {
  filter?: FilterNode;
  sort?: SortSpec;
  /** 1-based */
  startIndex: number;
  count: number;
  /** the tenant's User resource type (its extensions are filterable and sortable); default: core + enterprise */
  types?: ResourceTypeSchemas;
  /** a search across resource types: attributes Users do not have count as unassigned instead of 400 (RFC 7644 §3.4.2) */
  lenient?: boolean;
}

interface UserRow {
  id: string;
  tenant_id: string;
  user_name: string;
  external_id: string | null;
  active: boolean;
  document: Record<string, unknown>;
  version: number;
  created_at: Date;
  updated_at: Date;
  work_email: string | null;
  login_method: LoginMethod;
  origin: UserOrigin;
  linked: boolean;
  deleted_at: Date | null;
}

const COLUMNS =
  'u.id, u.tenant_id, u.user_name, u.external_id, u.active, u.document, u.version, u.created_at, u.updated_at, u.work_email, u.login_method, u.origin, u.linked, u.deleted_at';

/** Soft-deleted users are kept for the product but are gone for SCIM. */
const VISIBLE = 'u.deleted_at IS NULL';

function toState(r: UserRow): UserState {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    userName: r.user_name,
    externalId: r.external_id,
    active: r.active,
    document: r.document,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    workEmail: r.work_email,
    loginMethod: r.login_method,
    origin: r.origin,
    linked: r.linked,
    deletedAt: r.deleted_at,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => UUID.test(s);

/** Users of all tenants. Every query is scoped by tenant id; no method reads across tenants. */
export class UserStore {
  constructor(private readonly ds: DataSource) {}

  async findById(tenantId: string, id: string, em: EntityManager = this.ds.manager): Promise<UserState | undefined> {
    if (!isUuid(id)) return undefined;
    const rows: UserRow[] = await em.query(`SELECT ${COLUMNS} FROM scim_users u WHERE u.tenant_id = $1 AND u.id = $2 AND ${VISIBLE}`, [tenantId, id]);
    return rows[0] && toState(rows[0]);
  }

  /**
   * Page of users matching the filter, sorted by `sort` and then by creation (stable across pages).
   * With a sort, `sortKeys` holds each user's sort key (to merge with other resource types).
   */
  async list(tenantId: string, q: UserListQuery): Promise<{ total: number; users: UserState[]; sortKeys?: unknown[] }> {
    const target = { ...userSqlTarget(q.types ?? userResourceTypeSchemas), strict: !q.lenient };
    const { filter, sort } = q;
    const page = await queryResourcePage<UserRow>(this.ds.manager, tenantId, {
      from: 'scim_users u',
      tenantColumn: 'u.tenant_id',
      columns: COLUMNS,
      defaultOrder: 'u.created_at, u.id',
      where: (offset) => {
        if (!filter) return { sql: VISIBLE, params: [] };
        const compiled = compileFilterToSql(filter, target, offset);
        return { ...compiled, sql: `${VISIBLE} AND (${compiled.sql})` };
      },
      sort: sort && ((offset) => compileSortToSql(sort, target, offset, q.lenient)),
      startIndex: q.startIndex,
      count: q.count,
    });
    return { total: page.total, users: page.rows.map(toState), sortKeys: page.sortKeys };
  }

  // ---- the reconciler's writes, always inside its transaction ----

  /** The user, soft-deleted or not (the decision tells them apart), locked until the transaction ends. */
  async lockForUpdate(em: EntityManager, tenantId: string, id: string): Promise<UserState | undefined> {
    const rows: UserRow[] = await em.query(`SELECT ${COLUMNS} FROM scim_users u WHERE u.tenant_id = $1 AND u.id = $2 FOR UPDATE`, [tenantId, id]);
    return rows[0] && toState(rows[0]);
  }

  async insert(em: EntityManager, s: UserState): Promise<void> {
    await em.query(
      `INSERT INTO scim_users (id, tenant_id, user_name, external_id, active, document, version, created_at, updated_at, work_email, login_method, origin, linked, deleted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [s.id, s.tenantId, s.userName, s.externalId, s.active, s.document, s.version, s.createdAt, s.updatedAt, s.workEmail, s.loginMethod, s.origin, s.linked, s.deletedAt],
    );
  }

  async update(em: EntityManager, s: UserState): Promise<void> {
    await em.query(
      `UPDATE scim_users SET user_name = $3, external_id = $4, active = $5, document = $6, version = $7, updated_at = $8,
              work_email = $9, login_method = $10, linked = $11, deleted_at = $12
       WHERE tenant_id = $1 AND id = $2`,
      [s.tenantId, s.id, s.userName, s.externalId, s.active, s.document, s.version, s.updatedAt, s.workEmail, s.loginMethod, s.linked, s.deletedAt],
    );
  }

  /**
   * The unlinked user (imported, or soft-deleted) that a SCIM create for `userName` / `workEmail` claims, locked:
   * userName has precedence, then the work email (both case-insensitive). Concurrent creates matching the same
   * user queue on its row lock; the second sees it linked and no longer matches.
   */
  async lockClaimable(em: EntityManager, tenantId: string, userName: string, workEmail: string | null): Promise<{ user: UserState; matchedBy: 'userName' | 'email' } | undefined> {
    const byName: UserRow[] = await em.query(
      `SELECT ${COLUMNS} FROM scim_users u WHERE u.tenant_id = $1 AND lower(u.user_name) = lower($2) AND NOT u.linked FOR UPDATE`,
      [tenantId, userName],
    );
    if (byName[0]) return { user: toState(byName[0]), matchedBy: 'userName' };
    if (!workEmail) return undefined;
    const byEmail: UserRow[] = await em.query(
      `SELECT ${COLUMNS} FROM scim_users u WHERE u.tenant_id = $1 AND u.work_email = lower($2) AND NOT u.linked ORDER BY u.created_at, u.id LIMIT 1 FOR UPDATE`,
      [tenantId, workEmail],
    );
    return byEmail[0] && { user: toState(byEmail[0]), matchedBy: 'email' };
  }

  async delete(em: EntityManager, tenantId: string, id: string): Promise<void> {
    await em.query(`DELETE FROM scim_users WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
  }

  // ---- idempotency ----

  async processedOutcome(em: EntityManager, commandId: string): Promise<CommandOutcome | undefined> {
    const rows: { outcome: CommandOutcome }[] = await em.query(`SELECT outcome FROM processed_commands WHERE command_id = $1`, [commandId]);
    return rows[0]?.outcome;
  }

  async recordOutcome(em: EntityManager, command: ProvisioningCommand, outcome: CommandOutcome, at: Date): Promise<void> {
    await em.query(
      `INSERT INTO processed_commands (command_id, tenant_id, resource_id, outcome, processed_at) VALUES ($1, $2, $3, $4, $5)`,
      [command.commandId, command.tenantId, command.resourceId, outcome, at],
    );
  }
}
