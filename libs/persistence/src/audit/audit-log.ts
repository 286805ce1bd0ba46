import { DataSource, EntityManager } from 'typeorm';
import type { AuditOutcome, AuditView, CommandOutcome, ProvisioningCommand } from '@scimflow/contracts';

/** An audit entry to record: what the log shows but its id and outcome (the table assigns them). */
export interface AuditEntry extends Omit<AuditView, 'id' | 'outcome' | 'at'> {
  at: Date;
}

export interface AuditQuery {
  tenantId: string;
  from?: Date;
  to?: Date;
  resourceId?: string;
  outcome?: AuditOutcome;
  /** newest first; default 100, at most 10000 */
  limit?: number;
}

/** The audit entry of an applied or rejected command (users and groups alike); `diff` summarises what changed. */
export function commandAuditEntry(command: ProvisioningCommand, outcome: CommandOutcome, diff: Record<string, unknown>, at: Date): AuditEntry {
  return {
    tenantId: command.tenantId,
    commandId: command.commandId,
    requestId: command.requestId,
    resourceType: command.resourceType ?? 'User',
    resourceId: command.resourceId,
    action: command.action,
    status: outcome.status,
    error: outcome.error,
    diff,
    at,
  };
}

export const AUDIT_OUTCOMES: readonly AuditOutcome[] = ['success', 'failure'];

/** The per-tenant audit log (table audit_log). Writes join the caller's transaction. */
export class AuditLog {
  constructor(private readonly ds: DataSource) {}

  async record(em: EntityManager, e: AuditEntry): Promise<void> {
    await this.recordMany(em, [e]);
  }

  /** Many entries in one statement (the reconciler's batch application). */
  async recordMany(em: EntityManager, entries: AuditEntry[]): Promise<void> {
    if (!entries.length) return;
    await em.query(
      `INSERT INTO audit_log (tenant_id, command_id, request_id, resource_type, resource_id, action, status, outcome, error, diff, at)
       SELECT x.tenant_id, x.command_id, x.request_id, x.resource_type, x.resource_id, x.action, x.status,
              CASE WHEN x.status < 400 THEN 'success' ELSE 'failure' END, x.error, coalesce(x.diff, '{}'), x.at
         FROM jsonb_to_recordset($1::jsonb) AS x(tenant_id uuid, command_id text, request_id text, resource_type text, resource_id text,
                                                 action text, status int, error jsonb, diff jsonb, at timestamptz)`,
      [
        JSON.stringify(
          entries.map((e) => ({
            tenant_id: e.tenantId,
            command_id: e.commandId,
            request_id: e.requestId ?? null,
            resource_type: e.resourceType,
            resource_id: e.resourceId.toLowerCase(),
            action: e.action,
            status: e.status,
            error: e.error === undefined ? null : e.error,
            diff: e.diff ?? {},
            at: e.at,
          })),
        ),
      ],
    );
  }

  /** The tenant's entries, newest first. Query values out of range are a RangeError: callers check what they are given. */
  async list(q: AuditQuery): Promise<AuditView[]> {
    const limit = q.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 10000) throw new RangeError('limit must be an integer from 1 to 10000');
    if (q.outcome !== undefined && !AUDIT_OUTCOMES.includes(q.outcome)) throw new RangeError('outcome must be success or failure');
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT id::text, tenant_id, command_id, request_id, resource_type, resource_id, action, status, outcome, error, diff, at
         FROM audit_log
        WHERE tenant_id = $1
          AND ($2::timestamptz IS NULL OR at >= $2)
          AND ($3::timestamptz IS NULL OR at <= $3)
          AND ($4::text IS NULL OR resource_id = $4)
          AND ($5::text IS NULL OR outcome = $5)
        ORDER BY at DESC, id DESC
        LIMIT $6`,
      [q.tenantId, q.from ?? null, q.to ?? null, q.resourceId?.toLowerCase() ?? null, q.outcome ?? null, limit],
    );
    return rows.map((r) => ({
      id: r.id as string,
      tenantId: r.tenant_id as string,
      commandId: r.command_id as string,
      requestId: r.request_id as string | null,
      resourceType: r.resource_type as string,
      resourceId: r.resource_id as string,
      action: r.action as string,
      status: r.status as number,
      outcome: r.outcome as AuditOutcome,
      error: (r.error as AuditView['error']) ?? undefined,
      diff: r.diff as Record<string, unknown>,
      at: (r.at as Date).toISOString(),
    }));
  }
}
