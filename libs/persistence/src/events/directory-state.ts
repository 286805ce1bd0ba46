import { DataSource } from 'typeorm';
import { TenantEvents } from './tenant-events';
import { isUuid, StateGroup, StateUser } from '@scimflow/contracts';

/** A groups page ends early rather than carry more member ids than this (about 0.8 MB of JSON). */
export const MAX_MEMBERS_PER_PAGE = 20_000;

/** How many of the groups (their member counts in page order) go on one page: at most `limit`, at least one, and no more members than `maxMembers` unless the first alone has more. */
export function groupsThatFit(memberCounts: readonly number[], limit: number, maxMembers: number): number {
  let total = 0;
  let take = 0;
  while (take < Math.min(limit, memberCounts.length) && (take === 0 || total + memberCounts[take] <= maxMembers)) total += memberCounts[take++];
  return take;
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
  constructor(
    private readonly ds: DataSource,
    private readonly events: TenantEvents,
  ) {}

  users(tenantId: string, afterId: string | null, limit: number, eventsPosition: string | null): Promise<StatePage<StateUser>> {
    return this.page(tenantId, afterId, limit, eventsPosition, async (q) => {
      const rows: Record<string, unknown>[] = await q(
        `SELECT id::text, version, login_method, origin, linked, document FROM scim_users
          WHERE tenant_id = $1 AND deleted_at IS NULL AND ($2::uuid IS NULL OR id > $2) ORDER BY scim_users.id LIMIT $3`,
      );
      const items = rows.map((r) => ({
        id: r.id as string,
        version: r.version as number,
        loginMethod: r.login_method as 'sso' | 'builtIn',
        origin: r.origin as 'scim' | 'import',
        linked: r.linked as boolean,
        user: { id: r.id, ...(r.document as Record<string, unknown>) },
      }));
      return { items: items.slice(0, limit), more: items.length > limit };
    });
  }

  /**
   * Groups with their members. A page also ends before its groups' members would pass MAX_MEMBERS_PER_PAGE in total
   * (a page holds at least one group, however large), so a page of large groups stays a few MB.
   */
  groups(tenantId: string, afterId: string | null, limit: number, eventsPosition: string | null): Promise<StatePage<StateGroup>> {
    return this.page(tenantId, afterId, limit, eventsPosition, async (q) => {
      const counted = await q(
        `SELECT g.id::text, (SELECT count(*) FROM scim_group_members m WHERE m.tenant_id = g.tenant_id AND m.group_id = g.id)::int AS members
           FROM scim_groups g WHERE g.tenant_id = $1 AND ($2::uuid IS NULL OR g.id > $2) ORDER BY g.id LIMIT $3`,
      );
      const take = groupsThatFit(
        counted.map((r) => r.members as number),
        limit,
        MAX_MEMBERS_PER_PAGE,
      );
      const ids = counted.slice(0, take).map((r) => r.id as string);
      const rows: Record<string, unknown>[] = await q(
        `SELECT g.id::text, g.version, g.document,
                coalesce((SELECT array_agg(m.user_id::text ORDER BY m.user_id) FROM scim_group_members m WHERE m.tenant_id = g.tenant_id AND m.group_id = g.id), '{}') AS members
           FROM scim_groups g WHERE g.tenant_id = $1 AND g.id = ANY($2::uuid[]) ORDER BY g.id`,
        [tenantId, ids],
      );
      const items = rows.map((r) => ({
        id: r.id as string,
        version: r.version as number,
        group: { id: r.id, ...(r.document as Record<string, unknown>) },
        members: r.members as string[],
      }));
      // cut short by members: there are more groups even when fewer than the limit came back
      return { items, more: take < counted.length };
    });
  }

  private async page<T extends { id: string }>(
    tenantId: string,
    afterId: string | null,
    limit: number,
    eventsPosition: string | null,
    /** reads up to limit + 1 rows (q binds tenant, after id, limit + 1, unless given its own parameters); `more`: a next page exists */
    select: (q: (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>) => Promise<{ items: T[]; more: boolean }>,
  ): Promise<StatePage<T>> {
    if (!isUuid(tenantId)) return { items: [], eventsPosition: eventsPosition ?? '0', lastId: null };
    const runner = this.ds.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      // first statement: the snapshot is taken here, so the position and the rows agree
      const position = eventsPosition ?? (await this.events.head(runner.manager, tenantId));
      const { items, more } = await select((sql, params) => runner.query(sql, params ?? [tenantId, afterId, limit + 1]));
      await runner.commitTransaction();
      return { items, eventsPosition: position, lastId: more && items.length ? items[items.length - 1].id : null };
    } catch (e) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw e;
    } finally {
      await runner.release();
    }
  }
}
