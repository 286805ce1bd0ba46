import { DataSource, EntityManager } from 'typeorm';
import { CommandOutcome, isUuid, ProvisioningCommand } from '@scimflow/contracts';

import { compileFilterToSql, compileSortToSql, FilterNode, ResourceTypeSchemas, SortSpec, SqlFilterTarget, userResourceTypeSchemas } from '@scimflow/scim';
import type { LoginMethod } from '@scimflow/contracts';
import { AlreadyExists, AlreadyTaken, NotFound, UserOrigin, UserState } from '@scimflow/provisioning';
import { queryResourcePage } from '../listing/resource-page';
import { raisingDomainErrors, rowNamed, Violations } from '../unit-of-work';
import { ProcessedCommands } from '../commands/processed-commands';

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
  // GIN-indexed (migration UserEmailValues): Entra matches users by work email.
  valueIndexes: { 'emails.value': 'scim_user_email_values(u.document)' },
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
  /** read each user's groups in the same statement (for the read-only `groups` attribute) */
  withGroups?: boolean;
}

/** A group a user is a member of, as the user's `groups` attribute shows it. */
export interface UserGroupRef {
  groupId: string;
  displayName: string;
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
  groups?: UserGroupRef[] | null;
}

const COLUMNS =
  'u.id, u.tenant_id, u.user_name, u.external_id, u.active, u.document, u.version, u.created_at, u.updated_at, u.work_email, u.login_method, u.origin, u.linked, u.deleted_at';

/**
 * The user's groups as a JSON array in a column of its row, in the order GroupStore.groupsOfUsers gives them:
 * the page and its memberships in one round trip, which is most of a lookup's time in Postgres.
 */
const GROUPS_COLUMN = `(SELECT json_agg(json_build_object('groupId', m.group_id, 'displayName', g.display_name) ORDER BY lower(g.display_name), m.group_id)
     FROM scim_group_members m JOIN scim_groups g ON g.tenant_id = m.tenant_id AND g.id = m.group_id
    WHERE m.tenant_id = u.tenant_id AND m.user_id = u.id) AS groups`;

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

/** What a failed write of `users` means: the userName or id is another user's, or the tenant is gone. */
function userViolations(users: UserState[]): Violations {
  return {
    scim_users_tenant_user_name: () => new AlreadyTaken('userName is already taken by another user of this tenant'),
    scim_users_pkey: (detail) => new AlreadyExists(`User ${rowNamed(users, detail, (u) => u.id).id} already exists`),
    scim_users_tenant_id_fkey: (detail) => new NotFound(`tenant ${rowNamed(users, detail, (u) => u.tenantId).tenantId} does not exist`),
  };
}

/**
 * Users of all tenants. Every query is scoped by tenant id; no method reads across tenants. Writes raise
 * AlreadyTaken (userName), AlreadyExists (id) and NotFound (tenant).
 */
export class UserStore {
  private readonly processed: ProcessedCommands;

  constructor(private readonly ds: DataSource) {
    this.processed = new ProcessedCommands(ds);
  }

  async findById(tenantId: string, id: string, em: EntityManager = this.ds.manager): Promise<UserState | undefined> {
    if (!isUuid(id)) return undefined;
    const rows: UserRow[] = await em.query(`SELECT ${COLUMNS} FROM scim_users u WHERE u.tenant_id = $1 AND u.id = $2 AND ${VISIBLE}`, [tenantId, id]);
    return rows[0] && toState(rows[0]);
  }

  /**
   * Page of users matching the filter, sorted by `sort` and then by creation (stable across pages).
   * With a sort, `sortKeys` holds each user's sort key (to merge with other resource types).
   */
  /** With `withGroups`, `groups` holds the groups of every user of the page that is a member of any. */
  async list(tenantId: string, q: UserListQuery): Promise<{ total: number; users: UserState[]; sortKeys?: unknown[]; groups?: Map<string, UserGroupRef[]> }> {
    const target = { ...userSqlTarget(q.types ?? userResourceTypeSchemas), strict: !q.lenient };
    const { filter, sort } = q;
    const page = await queryResourcePage<UserRow>(this.ds.manager, tenantId, {
      from: 'scim_users u',
      tenantColumn: 'u.tenant_id',
      columns: q.withGroups ? `${COLUMNS}, ${GROUPS_COLUMN}` : COLUMNS,
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
    const groups = q.withGroups ? new Map(page.rows.flatMap((r) => (r.groups?.length ? [[r.id, r.groups] as const] : []))) : undefined;
    return { total: page.total, users: page.rows.map(toState), sortKeys: page.sortKeys, groups };
  }

  // ---- the reconciler's writes, always inside its transaction ----

  /** The user, soft-deleted or not (the decision tells them apart), locked until the transaction ends. */
  async lockForUpdate(em: EntityManager, tenantId: string, id: string): Promise<UserState | undefined> {
    const rows: UserRow[] = await em.query(`SELECT ${COLUMNS} FROM scim_users u WHERE u.tenant_id = $1 AND u.id = $2 FOR UPDATE`, [tenantId, id]);
    return rows[0] && toState(rows[0]);
  }

  async insert(em: EntityManager, s: UserState): Promise<void> {
    await raisingDomainErrors(userViolations([s]), () =>
      em.query(
        `INSERT INTO scim_users (id, tenant_id, user_name, external_id, active, document, version, created_at, updated_at, work_email, login_method, origin, linked, deleted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        [
          s.id,
          s.tenantId,
          s.userName,
          s.externalId,
          s.active,
          s.document,
          s.version,
          s.createdAt,
          s.updatedAt,
          s.workEmail,
          s.loginMethod,
          s.origin,
          s.linked,
          s.deletedAt,
        ],
      ),
    );
  }

  async update(em: EntityManager, s: UserState): Promise<void> {
    await raisingDomainErrors(userViolations([s]), () =>
      em.query(
        `UPDATE scim_users SET user_name = $3, external_id = $4, active = $5, document = $6, version = $7, updated_at = $8,
                work_email = $9, login_method = $10, linked = $11, deleted_at = $12
         WHERE tenant_id = $1 AND id = $2`,
        [s.tenantId, s.id, s.userName, s.externalId, s.active, s.document, s.version, s.updatedAt, s.workEmail, s.loginMethod, s.linked, s.deletedAt],
      ),
    );
  }

  /**
   * The unlinked user (imported, or soft-deleted) that a SCIM create for `userName` / `workEmail` claims, locked:
   * userName has precedence, then the work email (both case-insensitive). Concurrent creates matching the same
   * user queue on its row lock; the second sees it linked and no longer matches.
   */
  async lockClaimable(
    em: EntityManager,
    tenantId: string,
    userName: string,
    workEmail: string | null,
  ): Promise<{ user: UserState; matchedBy: 'userName' | 'email' } | undefined> {
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

  // ---- the reconciler's batch writes: one statement for many users ----

  /**
   * Locks the given users (soft-deleted included) in one statement, in id order and then tenant order (the global
   * lock order; tenants may share an id).
   */
  async lockMany(em: EntityManager, keys: { tenantId: string; id: string }[]): Promise<UserState[]> {
    const valid = keys.filter((k) => isUuid(k.id));
    if (!valid.length) return [];
    const rows: UserRow[] = await em.query(
      `SELECT ${COLUMNS} FROM scim_users u
        WHERE (u.tenant_id, u.id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))
        ORDER BY u.id, u.tenant_id FOR UPDATE`,
      [valid.map((k) => k.tenantId), valid.map((k) => k.id)],
    );
    return rows.map(toState);
  }

  /** Of the given tenants, those that have unlinked users (whose creates may claim one). */
  async tenantsWithUnlinkedUsers(em: EntityManager, tenantIds: string[]): Promise<Set<string>> {
    if (!tenantIds.length) return new Set();
    const rows: { tenant_id: string }[] = await em.query(
      `SELECT t AS tenant_id FROM unnest($1::uuid[]) t WHERE EXISTS (SELECT 1 FROM scim_users u WHERE u.tenant_id = t AND NOT u.linked)`,
      [tenantIds],
    );
    return new Set(rows.map((r) => r.tenant_id));
  }

  /** Inserts (`isNew`) or updates users with their unmatched roles: two statements for any number of users. */
  async writeMany(em: EntityManager, writes: { state: UserState; isNew: boolean; unmatchedRoles: string[] }[]): Promise<void> {
    const rows = (list: typeof writes) =>
      JSON.stringify(
        list.map(({ state: s, unmatchedRoles }) => ({
          id: s.id,
          tenant_id: s.tenantId,
          user_name: s.userName,
          external_id: s.externalId,
          active: s.active,
          document: s.document,
          version: s.version,
          created_at: s.createdAt,
          updated_at: s.updatedAt,
          work_email: s.workEmail,
          login_method: s.loginMethod,
          origin: s.origin,
          linked: s.linked,
          deleted_at: s.deletedAt,
          unmatched_roles: unmatchedRoles,
        })),
      );
    const RECORD = `x(id uuid, tenant_id uuid, user_name text, external_id text, active boolean, document jsonb, version int, created_at timestamptz,
                      updated_at timestamptz, work_email text, login_method text, origin text, linked boolean, deleted_at timestamptz, unmatched_roles text[])`;
    const inserts = writes.filter((w) => w.isNew);
    const updates = writes.filter((w) => !w.isNew);
    if (inserts.length)
      await raisingDomainErrors(userViolations(inserts.map((w) => w.state)), () =>
        em.query(
          `INSERT INTO scim_users (id, tenant_id, user_name, external_id, active, document, version, created_at, updated_at, work_email, login_method, origin, linked, deleted_at, unmatched_roles)
           SELECT id, tenant_id, user_name, external_id, active, document, version, created_at, updated_at, work_email, login_method, origin, linked, deleted_at, unmatched_roles
             FROM jsonb_to_recordset($1::jsonb) AS ${RECORD}`,
          [rows(inserts)],
        ),
      );
    if (updates.length)
      await raisingDomainErrors(userViolations(updates.map((w) => w.state)), () =>
        em.query(
          `UPDATE scim_users u SET user_name = x.user_name, external_id = x.external_id, active = x.active, document = x.document, version = x.version,
                  updated_at = x.updated_at, work_email = x.work_email, login_method = x.login_method, linked = x.linked, deleted_at = x.deleted_at,
                  unmatched_roles = x.unmatched_roles
             FROM jsonb_to_recordset($1::jsonb) AS ${RECORD}
            WHERE u.tenant_id = x.tenant_id AND u.id = x.id`,
          [rows(updates)],
        ),
      );
  }

  // ---- idempotency ----

  /** The stored outcomes of those of `commandIds` applied before. */
  processedOutcomes(em: EntityManager, commandIds: string[]): Promise<Map<string, CommandOutcome>> {
    return this.processed.outcomes(commandIds, em);
  }

  async recordOutcomes(em: EntityManager, entries: { command: ProvisioningCommand; outcome: CommandOutcome }[], at: Date): Promise<void> {
    if (!entries.length) return;
    await em.query(
      // one JSON document, not a jsonb[] parameter: pg would escape every outcome's text again as an array element
      `INSERT INTO processed_commands (command_id, tenant_id, resource_id, outcome, processed_at)
       SELECT c, t, r, o, $2 FROM jsonb_to_recordset($1::jsonb) AS x(c uuid, t uuid, r uuid, o jsonb)`,
      [JSON.stringify(entries.map((e) => ({ c: e.command.commandId, t: e.command.tenantId, r: e.command.resourceId, o: e.outcome }))), at],
    );
  }

  processedOutcome(em: EntityManager, commandId: string): Promise<CommandOutcome | undefined> {
    return this.processed.outcome(commandId, em);
  }

  async recordOutcome(em: EntityManager, command: ProvisioningCommand, outcome: CommandOutcome, at: Date): Promise<void> {
    await em.query(`INSERT INTO processed_commands (command_id, tenant_id, resource_id, outcome, processed_at) VALUES ($1, $2, $3, $4, $5)`, [
      command.commandId,
      command.tenantId,
      command.resourceId,
      outcome,
      at,
    ]);
  }
}
