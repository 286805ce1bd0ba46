import { DataSource } from 'typeorm';
import { isPlainObject } from '@scimflow/scim';
import { ActivityBucket, isUuid, PipelineDepths, SyncCounts, TenantHealth, TimelineCommand, TimelineDelivery, TimelineEvent } from '@scimflow/contracts';

/**
 * What counts as a failed SCIM request in the console's ratios: an answer of 400 or more, except a GET answered 404
 * (Entra's check for a user or group it expects may be gone: a normal answer, not a failure).
 */
const FAILURE = `(l.status >= 400 AND NOT (l.method = 'GET' AND l.status = 404))`;

export interface RecentFailure {
  at: string;
  method: string;
  path: string;
  status: number;
  /** the SCIM error's detail and scimType (the token endpoint's error_description and error), read from the logged answer */
  detail: string | null;
  scimType: string | null;
}

const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : null);
const int = (v: unknown) => Number(v ?? 0);

/** Read-only aggregates over tenants, the request log, the audit log, the outbox and webhook tables, for the console. */
export class ConsoleInsights {
  constructor(private readonly ds: DataSource) {}

  /** Every tenant's health over the 24 hours before `now`. */
  async overview(now: Date): Promise<TenantHealth[]> {
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT t.id::text, t.name, t.profile, t.status, t.created_at,
              last.at AS last_at, last.source_ip AS last_ip,
              day.requests, day.failures,
              (SELECT count(*) FROM scim_users u WHERE u.tenant_id = t.id AND u.deleted_at IS NULL) AS users,
              (SELECT count(*) FROM scim_groups g WHERE g.tenant_id = t.id) AS groups,
              (SELECT count(*) FROM parked_commands p WHERE p.tenant_id = t.id) AS parked,
              (SELECT count(*) FROM webhook_deliveries d WHERE d.tenant_id = t.id AND d.status = 'pending') AS backlog
         FROM tenants t
         LEFT JOIN LATERAL (SELECT l.at, l.source_ip FROM scim_request_log l WHERE l.tenant_id = t.id ORDER BY l.at DESC, l.id DESC LIMIT 1) last ON true
         CROSS JOIN LATERAL (SELECT count(*) AS requests, count(*) FILTER (WHERE ${FAILURE}) AS failures
                               FROM scim_request_log l WHERE l.tenant_id = t.id AND l.at > $1::timestamptz - interval '24 hours' AND l.at <= $1) day
        ORDER BY t.created_at, t.id`,
      [now],
    );
    return rows.map((r) => {
      const requests = int(r.requests);
      const failures = int(r.failures);
      return {
        id: r.id as string,
        name: r.name as string,
        profile: r.profile as string,
        enabled: r.status === 'active',
        createdAt: iso(r.created_at)!,
        lastRequestAt: iso(r.last_at),
        lastRequestIp: (r.last_ip as string | null) ?? null,
        requests24h: requests,
        failures24h: failures,
        failureRatio24h: requests ? failures / requests : 0,
        users: int(r.users),
        groups: int(r.groups),
        parkedCommands: int(r.parked),
        webhookBacklog: int(r.backlog),
      };
    });
  }

  /** One bucket per hour of the `hours` hours up to `now` (the last one holds the current hour), oldest first. */
  async activity(tenantId: string, now: Date, hours: number): Promise<ActivityBucket[]> {
    if (!Number.isInteger(hours) || hours < 1 || hours > 24 * 31) throw new RangeError('hours must be an integer from 1 to 744');
    const rows: Record<string, unknown>[] = await this.ds.query(
      `WITH buckets AS (
         SELECT generate_series(date_trunc('hour', $2::timestamptz) - ($3::int - 1) * interval '1 hour', date_trunc('hour', $2::timestamptz), interval '1 hour') AS start)
       SELECT b.start, count(l.id) AS total,
              count(l.id) FILTER (WHERE l.status < 400) AS ok,
              count(l.id) FILTER (WHERE l.status >= 400 AND l.status < 500) AS client_errors,
              count(l.id) FILTER (WHERE l.status >= 500) AS server_errors
         FROM buckets b
         LEFT JOIN scim_request_log l ON l.tenant_id = $1 AND l.at >= b.start AND l.at < b.start + interval '1 hour'
        GROUP BY b.start ORDER BY b.start`,
      [tenantId, now, hours],
    );
    return rows.map((r) => ({
      start: iso(r.start)!,
      total: int(r.total),
      ok: int(r.ok),
      clientErrors: int(r.client_errors),
      serverErrors: int(r.server_errors),
    }));
  }

  /**
   * A user's commands (the audit log's applied and rejected ones, and those parked now) and the change events
   * Postgres still knows of (queued for webhooks, or not yet relayed from the outbox), oldest first.
   */
  async timeline(tenantId: string, userId: string): Promise<{ commands: TimelineCommand[]; events: TimelineEvent[] }> {
    // ids are uuids; anything else (a NUL Postgres cannot even compare) names no user
    if (!isUuid(tenantId) || !isUuid(userId)) return { commands: [], events: [] };
    const key = `${tenantId}:${userId.toLowerCase()}`;
    const audited: Record<string, unknown>[] = await this.ds.query(
      `SELECT command_id, at, action, outcome, status, error FROM audit_log
        WHERE tenant_id = $1 AND resource_type = 'User' AND resource_id = $2 ORDER BY at, id`,
      [tenantId, userId.toLowerCase()],
    );
    const parked: Record<string, unknown>[] = await this.ds.query(
      `SELECT command_id::text, parked_at, action, error FROM parked_commands WHERE tenant_id = $1 AND resource_type = 'User' AND resource_id = $2 ORDER BY id`,
      [tenantId, userId],
    );
    const commands: TimelineCommand[] = [
      ...audited.map((r) => ({
        commandId: r.command_id as string,
        at: iso(r.at)!,
        operation: r.action as string,
        outcome: r.outcome as 'success' | 'failure',
        status: r.status as number,
        detail: errorDetail(r.error),
      })),
      ...parked.map((r) => ({
        commandId: r.command_id as string,
        at: iso(r.parked_at)!,
        operation: r.action as string,
        outcome: 'parked' as const,
        status: null,
        detail: (r.error as string | null) ?? null,
      })),
    ].sort((a, b) => a.at.localeCompare(b.at));

    const delivered: Record<string, unknown>[] = await this.ds.query(
      `SELECT d.event_id, d.event_type, d.sequence, (d.body::json)->>'time' AS time, d.created_at,
              d.subscription_id::text, s.url, d.status, d.attempts, d.last_attempt_at, d.last_error
         FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
        WHERE d.tenant_id = $1 AND d.ordering_key = $2
        ORDER BY d.sequence NULLS LAST, d.id`,
      [tenantId, key],
    );
    const pending: Record<string, unknown>[] = await this.ds.query(
      `SELECT payload->>'id' AS event_id, payload->>'type' AS event_type, (payload->>'sequence')::bigint AS sequence, payload->>'time' AS time
         FROM outbox_events WHERE record_key = $1 AND published_at IS NULL AND payload->>'tenantid' = $2 ORDER BY id`,
      [key, tenantId],
    );
    const events = new Map<string, TimelineEvent>();
    for (const r of [...delivered, ...pending]) {
      const id = r.event_id as string;
      if (!id) continue;
      let e = events.get(id);
      if (!e) {
        e = {
          eventId: id,
          type: r.event_type as string,
          sequence: r.sequence === null || r.sequence === undefined ? null : Number(r.sequence),
          at: (r.time as string | null) ?? iso(r.created_at),
          deliveries: [],
        };
        events.set(id, e);
      }
      if (r.subscription_id)
        e.deliveries.push({
          subscriptionId: r.subscription_id as string,
          url: r.url as string,
          status: r.status as TimelineDelivery['status'],
          attempts: int(r.attempts),
          lastAttemptAt: iso(r.last_attempt_at),
          lastError: (r.last_error as string | null) ?? null,
        });
    }
    const ordered = [...events.values()].sort((a, b) => (a.sequence ?? Infinity) - (b.sequence ?? Infinity) || (a.at ?? '').localeCompare(b.at ?? ''));
    return { commands, events: ordered };
  }

  async pipeline(now: Date): Promise<PipelineDepths> {
    const [r]: Record<string, unknown>[] = await this.ds.query(
      `SELECT (SELECT count(*) FROM outbox_events WHERE published_at IS NULL) AS outbox,
              (SELECT min(created_at) FROM outbox_events WHERE published_at IS NULL) AS oldest,
              (SELECT count(*) FROM parked_commands) AS parked_commands,
              (SELECT count(*) FROM parked_records) AS parked_records,
              (SELECT count(*) FROM webhook_deliveries WHERE status = 'pending') AS backlog,
              (SELECT count(*) FROM webhook_dead_letters WHERE redriven_at IS NULL) AS dead`,
    );
    const oldest = r.oldest as Date | null;
    return {
      outbox: { depth: int(r.outbox), oldestAgeSeconds: oldest ? Math.max(0, Math.round((now.getTime() - oldest.getTime()) / 1000)) : null },
      parkedCommands: int(r.parked_commands),
      parkedRecords: int(r.parked_records),
      webhookBacklog: int(r.backlog),
      deadLetters: int(r.dead),
    };
  }

  /** A tenant's provisioned users and groups, its last request and its last provisioning action. */
  async syncCounts(tenantId: string): Promise<SyncCounts> {
    const [r]: Record<string, unknown>[] = await this.ds.query(
      `SELECT (SELECT count(*) FROM scim_users WHERE tenant_id = $1 AND deleted_at IS NULL) AS users,
              (SELECT count(*) FROM scim_groups WHERE tenant_id = $1) AS groups,
              (SELECT max(at) FROM scim_request_log WHERE tenant_id = $1) AS last_request,
              (SELECT max(at) FROM audit_log WHERE tenant_id = $1 AND resource_type <> 'Credential') AS last_cycle`,
      [tenantId],
    );
    return { users: int(r.users), groups: int(r.groups), lastRequestAt: iso(r.last_request), lastCycleAt: iso(r.last_cycle) };
  }

  /** The tenant's newest failed SCIM requests (the console's failure rule), newest first. */
  async recentFailures(tenantId: string, limit: number): Promise<RecentFailure[]> {
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT l.at, l.method, l.path, l.status, l.response_body FROM scim_request_log l
        WHERE l.tenant_id = $1 AND ${FAILURE} ORDER BY l.at DESC, l.id DESC LIMIT $2`,
      [tenantId, limit],
    );
    return rows.map((r) => {
      const error = parseJson(r.response_body as string | null);
      return {
        at: iso(r.at)!,
        method: r.method as string,
        path: r.path as string,
        status: r.status as number,
        // a SCIM error's detail, or the token endpoint's OAuth error_description
        detail: typeof error?.detail === 'string' ? error.detail : typeof error?.error_description === 'string' ? error.error_description : null,
        scimType: typeof error?.scimType === 'string' ? error.scimType : typeof error?.error === 'string' ? error.error : null,
      };
    });
  }
}

function parseJson(text: string | null): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return isPlainObject(v) ? v : undefined;
  } catch {
    // a truncated or non-JSON answer: no detail to show
    return undefined;
  }
}

function errorDetail(error: unknown): string | null {
  if (typeof error === 'object' && error !== null && typeof (error as { detail?: unknown }).detail === 'string') return (error as { detail: string }).detail;
  return null;
}
