import { DailyPartitions } from '../partitions/daily-partitions';
import { DataSource } from 'typeorm';
import { isUuid, RequestLogView } from '@scimflow/contracts';

/** One SCIM or token request as the ingress answered it; bodies already redacted and capped by the caller. */
export interface RequestLogEntry {
  tenantId: string;
  at: Date;
  requestId?: string | null;
  sourceIp?: string | null;
  method: string;
  /** path and query, credentials in the query redacted */
  path: string;
  status: number;
  latencyMs: number;
  requestBody?: string | null;
  requestTruncated?: boolean;
  responseBody?: string | null;
  responseTruncated?: boolean;
  /** the Entra-dialect normalisations scimflow applied to the request */
  notes?: readonly string[];
}

export interface RequestLogQuery {
  from?: Date;
  to?: Date;
  status?: number;
  method?: string;
  /** a substring of the path and query: a resource id, `Groups`, `filter=` … (case-insensitive) */
  q?: string;
  /** newest first; default 100, at most 10000 */
  limit?: number;
  /** the id of the last entry of the previous page: the page continues with entries older than it */
  before?: string;
}

/** The log's day partitions; the lock serialises their maintenance across ingress instances ("reqlog"). */
export const REQUEST_LOG_PARTITIONS = new DailyPartitions('scim_request_log', 0x7265716c6f67);

/**
 * The per-tenant SCIM request log (table scim_request_log, one partition per UTC day). Written in batches by the
 * ingress's writer; read by the admin API and scimctl. Retention drops whole partitions.
 */
export class RequestLog {
  constructor(private readonly ds: DataSource) {}

  /**
   * All entries in one INSERT. Entries of tenants that do not exist (an id guessed in a URL, a tenant deleted since) are
   * skipped. An entry whose day has no partition fails the statement (ensurePartitions runs ahead).
   */
  async append(entries: readonly RequestLogEntry[]): Promise<void> {
    if (!entries.length) return;
    const bad = entries.find((e) => !isUuid(e.tenantId));
    if (bad) throw new RangeError(`not a tenant id: ${JSON.stringify(bad.tenantId)}`);
    await this.ds.query(
      `INSERT INTO scim_request_log (tenant_id, at, request_id, source_ip, method, path, status, latency_ms,
                                     request_body, request_truncated, response_body, response_truncated, notes)
       SELECT x.tenant_id, x.at, x.request_id, x.source_ip, x.method, x.path, x.status, x.latency_ms,
              x.request_body, x.request_truncated, x.response_body, x.response_truncated,
              ARRAY(SELECT jsonb_array_elements_text(x.notes))
         FROM jsonb_to_recordset($1::jsonb) AS x(tenant_id uuid, at timestamptz, request_id text, source_ip text, method text, path text,
                                                 status int, latency_ms double precision, request_body text, request_truncated boolean,
                                                 response_body text, response_truncated boolean, notes jsonb)
         JOIN tenants t ON t.id = x.tenant_id`,
      [
        JSON.stringify(
          entries.map((e) => ({
            tenant_id: e.tenantId,
            at: e.at,
            request_id: e.requestId ?? null,
            source_ip: e.sourceIp ?? null,
            method: e.method,
            path: e.path,
            status: e.status,
            latency_ms: e.latencyMs,
            request_body: e.requestBody ?? null,
            request_truncated: e.requestTruncated ?? false,
            response_body: e.responseBody ?? null,
            response_truncated: e.responseTruncated ?? false,
            notes: e.notes ?? [],
          })),
        ),
      ],
    );
  }

  /** A tenant's entries, newest first. Query values out of range are a RangeError: callers check what they are given. */
  async list(tenantId: string, q: RequestLogQuery = {}): Promise<RequestLogView[]> {
    const limit = q.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 10000) throw new RangeError('limit must be an integer from 1 to 10000');
    if (q.status !== undefined && (!Number.isInteger(q.status) || q.status < 100 || q.status > 599))
      throw new RangeError('status must be an HTTP status (100 to 599)');
    if (q.before !== undefined && !isUuid(q.before)) throw new RangeError('before must be the id of a request log entry');
    if (!isUuid(tenantId)) return [];
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT ${COLUMNS}
         FROM scim_request_log l
        WHERE l.tenant_id = $1
          AND ($2::timestamptz IS NULL OR l.at >= $2)
          AND ($3::timestamptz IS NULL OR l.at <= $3)
          AND ($4::int IS NULL OR l.status = $4)
          AND ($5::text IS NULL OR l.method = upper($5))
          AND ($6::text IS NULL OR strpos(lower(l.path), lower($6)) > 0)
          AND ($7::uuid IS NULL OR (l.at, l.id) < (SELECT c.at, c.id FROM scim_request_log c WHERE c.tenant_id = $1 AND c.id = $7))
        ORDER BY l.at DESC, l.id DESC
        LIMIT $8`,
      [tenantId, q.from ?? null, q.to ?? null, q.status ?? null, q.method ?? null, q.q ?? null, q.before ?? null, limit],
    );
    return rows.map(toView);
  }

  async get(tenantId: string, id: string): Promise<RequestLogView | undefined> {
    if (!isUuid(tenantId) || !isUuid(id)) return undefined;
    const rows: Record<string, unknown>[] = await this.ds.query(`SELECT ${COLUMNS} FROM scim_request_log l WHERE l.tenant_id = $1 AND l.id = $2`, [
      tenantId,
      id,
    ]);
    return rows.length ? toView(rows[0]) : undefined;
  }

  /** Creates the partitions of the day before `now` through `daysAhead` days after it, where missing. Returns those created. */
  ensurePartitions(now: Date, daysAhead: number): Promise<string[]> {
    return REQUEST_LOG_PARTITIONS.ensure(this.ds, now, daysAhead);
  }

  /** Drops every partition whose whole day is older than `retentionDays` before `now`. Returns those dropped. */
  async dropExpired(now: Date, retentionDays: number): Promise<string[]> {
    if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new RangeError('retentionDays must be a positive integer');
    return REQUEST_LOG_PARTITIONS.dropExpired(this.ds, now, async () => retentionDays);
  }

  /** Names of the existing partitions, oldest first. */
  partitionNames(): Promise<string[]> {
    return REQUEST_LOG_PARTITIONS.names(this.ds.manager);
  }
}

const COLUMNS = `l.id::text, l.tenant_id::text, l.at, l.request_id, l.source_ip, l.method, l.path, l.status, l.latency_ms,
                 l.request_body, l.request_truncated, l.response_body, l.response_truncated, l.notes`;

function toView(r: Record<string, unknown>): RequestLogView {
  return {
    id: r.id as string,
    tenantId: r.tenant_id as string,
    at: (r.at as Date).toISOString(),
    requestId: (r.request_id as string | null) ?? null,
    sourceIp: (r.source_ip as string | null) ?? null,
    method: r.method as string,
    path: r.path as string,
    status: r.status as number,
    latencyMs: r.latency_ms as number,
    requestBody: (r.request_body as string | null) ?? null,
    requestTruncated: r.request_truncated as boolean,
    responseBody: (r.response_body as string | null) ?? null,
    responseTruncated: r.response_truncated as boolean,
    notes: r.notes as string[],
  };
}
