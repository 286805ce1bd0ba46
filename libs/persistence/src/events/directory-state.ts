import { DataSource } from 'typeorm';
import { isUuid } from '../users/user-store';
import { TenantEvents } from './tenant-events';

/** A user as the state pull gives it: the same `user` document its events carry, and its version (= its last event's sequence). */
export interface StateUser {
  id: string;
  version: number;
  loginMethod: 'sso' | 'builtIn';
  origin: 'scim' | 'import';
  linked: boolean;
  user: Record<string, unknown>;
}

/** A group with its members' user ids; version = the sequence of its last event. */
export interface StateGroup {
  id: string;
  version: number;
  group: Record<string, unknown>;
  members: string[];
}

export interface StatePage<T> {
  items: T[];
  /** the events cursor (as a position) the first page of this pull was taken at; later pages carry it on */
  eventsPosition: string;
  /** the last id of this page when there are more, else null */
  lastId: string | null;
}

/**
 * A tenant's users and groups for the state pull, one page per REPEATABLE READ snapshot that also reads the tenant's
 * events position: every change visible in a page has its event at or before that position or after it, in which case
 * its sequence is at most the version the page shows (the consumer skips it, see docs/events.md).
 */
export class DirectoryState {
  private readonly events: TenantEvents;

  constructor(private readonly ds: DataSource) {
    this.events = new TenantEvents(ds);
  }

  users(tenantId: string, afterId: string | null, limit: number, eventsPosition: string | null): Promise<StatePage<StateUser>> {
    return this.page(tenantId, afterId, limit, eventsPosition, async (q) => {
      const rows: Record<string, unknown>[] = await q(
        `SELECT id::text, version, login_method, origin, linked, document FROM scim_users
          WHERE tenant_id = $1 AND deleted_at IS NULL AND ($2::uuid IS NULL OR id > $2) ORDER BY id LIMIT $3`,
      );
      return rows.map((r) => ({
        id: r.id as string,
        version: r.version as number,
        loginMethod: r.login_method as 'sso' | 'builtIn',
        origin: r.origin as 'scim' | 'import',
        linked: r.linked as boolean,
        user: { id: r.id, ...(r.document as Record<string, unknown>) },
      }));
    });
  }

  groups(tenantId: string, afterId: string | null, limit: number, eventsPosition: string | null): Promise<StatePage<StateGroup>> {
    return this.page(tenantId, afterId, limit, eventsPosition, async (q) => {
      const rows: Record<string, unknown>[] = await q(
        `SELECT g.id::text, g.version, g.document,
                coalesce((SELECT array_agg(m.user_id::text ORDER BY m.user_id) FROM scim_group_members m WHERE m.tenant_id = g.tenant_id AND m.group_id = g.id), '{}') AS members
           FROM scim_groups g WHERE g.tenant_id = $1 AND ($2::uuid IS NULL OR g.id > $2) ORDER BY g.id LIMIT $3`,
      );
      return rows.map((r) => ({ id: r.id as string, version: r.version as number, group: { id: r.id, ...(r.document as Record<string, unknown>) }, members: r.members as string[] }));
    });
  }

  private async page<T extends { id: string }>(
    tenantId: string,
    afterId: string | null,
    limit: number,
    eventsPosition: string | null,
    select: (q: (sql: string) => Promise<Record<string, unknown>[]>) => Promise<T[]>,
  ): Promise<StatePage<T>> {
    if (!isUuid(tenantId)) return { items: [], eventsPosition: eventsPosition ?? '0', lastId: null };
    const runner = this.ds.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      // first statement: the snapshot is taken here, so the position and the rows agree
      const position = eventsPosition ?? (await this.events.head(runner.manager, tenantId));
      const items = await select((sql) => runner.query(sql, [tenantId, afterId, limit + 1]));
      await runner.commitTransaction();
      const more = items.length > limit;
      const page = more ? items.slice(0, limit) : items;
      return { items: page, eventsPosition: position, lastId: more ? page[page.length - 1].id : null };
    } catch (e) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw e;
    } finally {
      await runner.release();
    }
  }
}
