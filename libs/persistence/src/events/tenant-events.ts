import { DataSource, EntityManager } from 'typeorm';
import { DailyPartitions } from '../partitions/daily-partitions';
import { isUuid } from '@scimflow/contracts';

/** One event of a tenant's log: its position and the CloudEvent JSON as published (text, sent as it is). */
export interface TenantEventRow {
  position: string;
  payload: string;
}

export interface TenantEventPage {
  events: TenantEventRow[];
  /** the tenant's highest position when the page was read ('0' when it has none) */
  head: string;
  /** the highest position of the tenant discarded by retention ('0' when none): a cursor before it lost events */
  horizon: string;
}

/** The log's day partitions; the lock serialises their maintenance between the relay and the ingress instances ("tevent"). */
export const TENANT_EVENT_PARTITIONS = new DailyPartitions('tenant_events', 0x746576656e74);
/** The NOTIFY channel the relay signals after committing events: its payload is the tenants, comma-separated, or `*`. */
export const TENANT_EVENTS_CHANNEL = 'scimflow_tenant_events';
/** NOTIFY payloads are limited to 8000 bytes: more tenants than this are announced as `*` (every waiter looks). */
const MAX_NOTIFIED_TENANTS = 150;

/**
 * `types` of the events API as LIKE patterns: exact names, or a prefix ending in `*` (`dev.scimflow.user.*`).
 * LIKE's own wildcards in a name are escaped.
 */
export function typePatterns(types: readonly string[]): string[] {
  return types.map((t) => {
    const prefix = t.endsWith('*');
    const escaped = (prefix ? t.slice(0, -1) : t).replace(/[\\%_]/g, (c) => `\\${c}`);
    return prefix ? `${escaped}%` : escaped;
  });
}

/**
 * The tenants' change-event log behind the events API (table tenant_events). Written only by the outbox relay leader,
 * read by the ingress. Positions are global and increase in publish order; each tenant reads its own rows.
 */
export class TenantEvents {
  constructor(private readonly ds: DataSource) {}

  /**
   * Copies the given outbox rows that are CloudEvents of an existing tenant into the log, positions in outbox id
   * order, and announces their tenants to listeners at commit. Call in the relay's transaction, before the rows are
   * deleted. Returns the tenants that got events.
   */
  async recordPublished(em: EntityManager, outboxIds: readonly string[]): Promise<string[]> {
    if (!outboxIds.length) return [];
    // nextval in the outer query numbers the rows in the inner query's order
    const rows: { tenant_id: string }[] = await em.query(
      `WITH inserted AS (
         INSERT INTO tenant_events (tenant_id, position, event_id, type, record_key, sequence, payload, created_at)
         SELECT e.tenant_id, nextval('tenant_events_position'), e.event_id, e.type, e.record_key, e.sequence, e.payload, now()
           FROM (SELECT t.id AS tenant_id, o.payload->>'id' AS event_id, o.payload->>'type' AS type, o.record_key,
                        (o.payload->>'sequence')::bigint AS sequence, o.payload::text AS payload
                   FROM outbox_events o JOIN tenants t ON t.id::text = o.payload->>'tenantid'
                  WHERE o.id = ANY($1::bigint[]) AND o.payload->>'specversion' = '1.0' AND o.payload->>'sequence' IS NOT NULL
                  ORDER BY o.id) e
         RETURNING tenant_id)
       SELECT DISTINCT tenant_id::text AS tenant_id FROM inserted`,
      [outboxIds],
    );
    const tenants = rows.map((r) => r.tenant_id);
    if (tenants.length) await em.query(`SELECT pg_notify($1, $2)`, [TENANT_EVENTS_CHANNEL, tenants.length > MAX_NOTIFIED_TENANTS ? '*' : tenants.join(',')]);
    return tenants;
  }

  /**
   * Up to `limit` of the tenant's retained events after `after` (types matching `types` when given), with the tenant's
   * head and horizon, all from one snapshot. `after` null: from the oldest retained event. The horizon is the tenant's
   * last event before its retention cutoff, one step in (tenant_id, created_at, position): created_at (the relay
   * transaction's time) rises with position.
   */
  async read(tenantId: string, after: string | null, limit: number, types?: readonly string[]): Promise<TenantEventPage> {
    if (!isUuid(tenantId)) return { events: [], head: '0', horizon: '0' };
    // The cutoff and the bounds are scalar subqueries and the page a LATERAL join on them, so that they are index
    // conditions (a CTE joined in would be a filter over every row of the tenant).
    const cutoff = `(SELECT now() - make_interval(days => events_retention_days) FROM tenants WHERE id = $1)`;
    const rows: { position: string | null; payload: string | null; head: string; horizon: string }[] = await this.ds.query(
      `SELECT p.position::text AS position, p.payload, b.head::text AS head, b.horizon::text AS horizon
         FROM (SELECT coalesce((SELECT max(position) FROM tenant_events WHERE tenant_id = $1), 0) AS head,
                      greatest(coalesce((SELECT discarded_through FROM tenant_event_horizons WHERE tenant_id = $1), 0),
                               coalesce((SELECT e.position FROM tenant_events e WHERE e.tenant_id = $1 AND e.created_at < ${cutoff}
                                          ORDER BY e.created_at DESC, e.position DESC LIMIT 1), 0)) AS horizon) b
         LEFT JOIN LATERAL (
           SELECT e.position, e.payload FROM tenant_events e
            WHERE e.tenant_id = $1 AND e.position > greatest(coalesce($2::bigint, 0), b.horizon) AND e.created_at >= ${cutoff}
              AND ($4::text[] IS NULL OR e.type LIKE ANY($4::text[]))
            ORDER BY e.position LIMIT $3) p ON true
        ORDER BY p.position`,
      [tenantId, after, limit, types && types.length ? typePatterns(types) : null],
    );
    const { head, horizon } = rows[0] ?? { head: '0', horizon: '0' };
    return { events: rows.filter((r) => r.position !== null).map((r) => ({ position: r.position!, payload: r.payload! })), head, horizon };
  }

  /** The tenant's events cursor now (its head, or its horizon when everything retained is gone): where a state pull is taken. */
  async head(em: EntityManager, tenantId: string): Promise<string> {
    const [{ head }] = await em.query(
      `SELECT greatest(coalesce((SELECT max(position) FROM tenant_events WHERE tenant_id = $1), 0),
                       coalesce((SELECT discarded_through FROM tenant_event_horizons WHERE tenant_id = $1), 0))::text AS head`,
      [tenantId],
    );
    return head;
  }

  /** Events retained per tenant setting (1 to 365 days). False when there is no such tenant. */
  async setRetentionDays(tenantId: string, days: number): Promise<boolean> {
    if (!isUuid(tenantId)) return false;
    if (!Number.isInteger(days) || days < 1 || days > 365) throw new RangeError('events retention must be 1 to 365 days');
    const rows = await this.ds.query(`WITH changed AS (UPDATE tenants SET events_retention_days = $2 WHERE id = $1 RETURNING id) SELECT id FROM changed`, [
      tenantId,
      days,
    ]);
    return rows.length > 0;
  }

  async retentionDays(tenantId: string): Promise<number | undefined> {
    if (!isUuid(tenantId)) return undefined;
    const rows: { days: number }[] = await this.ds.query(`SELECT events_retention_days AS days FROM tenants WHERE id = $1`, [tenantId]);
    return rows[0]?.days;
  }

  /** Creates the partitions of the day before `now` through `daysAhead` days after it, where missing. Returns those created. */
  ensurePartitions(now: Date, daysAhead: number): Promise<string[]> {
    return TENANT_EVENT_PARTITIONS.ensure(this.ds, now, daysAhead);
  }

  /**
   * Drops every partition whose whole day is older than the longest retention of any tenant (at least `minDays`),
   * first recording per tenant the highest position it held, so a cursor before it answers 410 rather than skipping.
   */
  dropExpired(now: Date, minDays = 1): Promise<string[]> {
    return TENANT_EVENT_PARTITIONS.dropExpired(
      this.ds,
      now,
      async (em) => {
        const [{ days }] = await em.query(`SELECT greatest($1::int, coalesce(max(events_retention_days), 0)) AS days FROM tenants`, [minDays]);
        return Number(days);
      },
      async (em, partition) => {
        await em.query(
          `INSERT INTO tenant_event_horizons (tenant_id, discarded_through)
           SELECT p.tenant_id, max(p.position) FROM ${partition} p JOIN tenants t ON t.id = p.tenant_id GROUP BY p.tenant_id
           ON CONFLICT (tenant_id) DO UPDATE SET discarded_through = greatest(tenant_event_horizons.discarded_through, excluded.discarded_through)`,
        );
      },
    );
  }

  partitionNames(): Promise<string[]> {
    return TENANT_EVENT_PARTITIONS.names(this.ds.manager);
  }
}
