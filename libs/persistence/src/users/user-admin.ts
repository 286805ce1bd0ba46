import { DataSource } from 'typeorm';
import { isUuid, LoginMethod, UserAdminView } from '@scimflow/contracts';

export interface UserAdminQuery {
  origin?: 'scim' | 'import';
  linked?: boolean;
  deleted?: boolean;
  /** keyset paging: users with an id greater than this one */
  after?: string;
  limit: number;
}

interface Row {
  id: string;
  user_name: string;
  work_email: string | null;
  external_id: string | null;
  active: boolean;
  login_method: LoginMethod;
  origin: 'scim' | 'import';
  linked: boolean;
  deleted_at: Date | null;
  unmatched_roles: string[];
  version: number;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, user_name, work_email, external_id, active, login_method, origin, linked, deleted_at, unmatched_roles, version, created_at, updated_at';

const view = (r: Row): UserAdminView => ({
  id: r.id,
  userName: r.user_name,
  workEmail: r.work_email,
  externalId: r.external_id,
  active: r.active,
  loginMethod: r.login_method,
  origin: r.origin,
  linked: r.linked,
  deletedAt: r.deleted_at ? r.deleted_at.toISOString() : null,
  unmatchedRoles: r.unmatched_roles,
  version: r.version,
  created: r.created_at.toISOString(),
  lastModified: r.updated_at.toISOString(),
});

/** Read-only admin views of a tenant's users, soft-deleted ones included. Writes go through commands. */
export class UserAdmin {
  constructor(private readonly ds: DataSource) {}

  async get(tenantId: string, id: string): Promise<UserAdminView | undefined> {
    if (!isUuid(id)) return undefined;
    const rows: Row[] = await this.ds.query(`SELECT ${COLUMNS} FROM scim_users WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
    return rows[0] && view(rows[0]);
  }

  /** Users in id order, `limit` at a time; pass the last id as `after` for the next page. */
  async list(tenantId: string, q: UserAdminQuery): Promise<UserAdminView[]> {
    const where = ['tenant_id = $1'];
    const params: unknown[] = [tenantId];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (q.origin) add('origin = ?', q.origin);
    if (q.linked !== undefined) add('linked = ?', q.linked);
    if (q.deleted !== undefined) where.push(q.deleted ? 'deleted_at IS NOT NULL' : 'deleted_at IS NULL');
    if (q.after) add('id > ?::uuid', q.after);
    params.push(q.limit);
    const rows: Row[] = await this.ds.query(`SELECT ${COLUMNS} FROM scim_users WHERE ${where.join(' AND ')} ORDER BY id LIMIT $${params.length}`, params);
    return rows.map(view);
  }
}
