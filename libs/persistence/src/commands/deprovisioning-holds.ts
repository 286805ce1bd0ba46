import { DataSource, EntityManager } from 'typeorm';
import { isUuid, ParkedCommandView } from '@scimflow/contracts';
import { DeprovisionThreshold, exceedsThreshold, rejectedHoldOutcome, thresholdOff } from '@scimflow/provisioning';
import { AuditLog } from '../audit/audit-log';
import { ParkedCommandInput, ParkedCommands } from './parked-commands';

/** Advisory-lock namespace of a tenant's deprovisioning count: whoever counts, holds, approves or rejects holds it. */
const TENANT_LOCK = 727277;
const SAMPLE_USERS = 5;

export type HoldStatus = 'open' | 'approved' | 'rejected';

/** A hold as operators see it. */
export interface HoldView {
  holdId: string;
  tenantId: string;
  status: HoldStatus;
  openedAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  /** deprovisioning commands held in it (still waiting: an approved hold's count falls as they are applied) */
  commands: number;
  /** when its first and last held commands were parked */
  firstAt: string | null;
  lastAt: string | null;
  /** a few of its users: id and userName */
  sampleUsers: { id: string; userName: string | null }[];
}

/** What became of a deprovisioning: `apply` (counted in the window), or `held` in hold `holdId` (`opened`: a new one). */
export type Admission = { kind: 'apply' } | { kind: 'held'; holdId: string; opened: boolean };

/**
 * The deprovisioning threshold per tenant and its holds. The reconciler admits each deprovisioning (a user
 * deactivated or deleted) under the tenant's lock: within the threshold it is counted in the sliding window and
 * applied; beyond it, or while the tenant has an open hold, it is parked in that hold (ParkedCommands, reason
 * `held`) and not applied until an operator decides: approve (its commands become due and are applied in order,
 * counted as approved) or reject (each is discarded, recorded as answered and audited; the commands behind go on).
 */
export class DeprovisioningHolds {
  constructor(
    private readonly ds: DataSource,
    private readonly parked: ParkedCommands,
    private readonly audit: AuditLog,
  ) {}

  /** The tenant's threshold; undefined for no such tenant. */
  async threshold(tenantId: string, em: EntityManager = this.ds.manager): Promise<DeprovisionThreshold | undefined> {
    if (!isUuid(tenantId)) return undefined;
    const rows: { max_users: number | null; max_percent: string | null; window_seconds: number }[] = await em.query(
      `SELECT deprovision_max_users AS max_users, deprovision_max_percent::text AS max_percent, deprovision_window_seconds AS window_seconds FROM tenants WHERE id = $1`,
      [tenantId],
    );
    if (!rows.length) return undefined;
    const r = rows[0];
    return { maxUsers: r.max_users, maxPercent: r.max_percent === null ? null : Number(r.max_percent), windowSeconds: r.window_seconds };
  }

  /** Sets a validated threshold (see validateThreshold); undefined for no such tenant. */
  async setThreshold(tenantId: string, t: DeprovisionThreshold): Promise<DeprovisionThreshold | undefined> {
    if (!isUuid(tenantId)) return undefined;
    const [, affected]: [unknown, number] = await this.ds.query(
      `UPDATE tenants SET deprovision_max_users = $2, deprovision_max_percent = $3, deprovision_window_seconds = $4 WHERE id = $1`,
      [tenantId, t.maxUsers, t.maxPercent, t.windowSeconds],
    );
    return affected ? this.threshold(tenantId) : undefined;
  }

  /**
   * Admits one deprovisioning under the tenant's lock (concurrent partitions and reconciler instances count one at a
   * time): a command admitted before (a redelivery) is applied again; with an open hold it joins it; beyond the
   * threshold it opens one; else it is counted and applied. A held command is parked in the same transaction.
   */
  async admit(input: ParkedCommandInput, now = new Date()): Promise<Admission> {
    return this.ds.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [TENANT_LOCK, input.tenantId]);
      const [seen]: { counted: boolean; hold_id: string | null }[] = await em.query(
        `SELECT EXISTS (SELECT 1 FROM deprovisionings WHERE command_id = $1) AS counted,
                (SELECT hold_id::text FROM parked_commands WHERE command_id = $1) AS hold_id`,
        [input.commandId],
      );
      if (seen.counted) return { kind: 'apply' };
      if (seen.hold_id) return { kind: 'held', holdId: seen.hold_id, opened: false };

      const open: { id: string }[] = await em.query(`SELECT id::text FROM deprovisioning_holds WHERE tenant_id = $1 AND status = 'open'`, [input.tenantId]);
      if (open.length) {
        await this.parked.hold(em, input, open[0].id);
        return { kind: 'held', holdId: open[0].id, opened: false };
      }
      const t = await this.threshold(input.tenantId, em);
      if (t && !thresholdOff(t)) {
        const [counts]: { in_window: number; active_users: number }[] = await em.query(
          `SELECT (SELECT count(*)::int FROM deprovisionings WHERE tenant_id = $1 AND at > $2::timestamptz - make_interval(secs => $3)) AS in_window,
                  CASE WHEN $4 THEN (SELECT count(*)::int FROM scim_users WHERE tenant_id = $1 AND active AND deleted_at IS NULL) ELSE 0 END AS active_users`,
          [input.tenantId, now, t.windowSeconds, t.maxPercent !== null],
        );
        if (exceedsThreshold(t, { inWindow: counts.in_window, activeUsers: counts.active_users })) {
          const [hold]: { id: string }[] = await em.query(`INSERT INTO deprovisioning_holds (tenant_id, opened_at) VALUES ($1, $2) RETURNING id::text`, [
            input.tenantId,
            now,
          ]);
          await this.parked.hold(em, input, hold.id);
          await this.auditHold(
            em,
            input.tenantId,
            hold.id,
            'hold.open',
            202,
            { threshold: t, inWindow: counts.in_window, firstCommandId: input.commandId },
            now,
          );
          return { kind: 'held', holdId: hold.id, opened: true };
        }
        // what fell out of the window is no longer needed
        await em.query(`DELETE FROM deprovisionings WHERE tenant_id = $1 AND at <= $2::timestamptz - make_interval(secs => $3)`, [
          input.tenantId,
          now,
          t.windowSeconds,
        ]);
      }
      await em.query(`INSERT INTO deprovisionings (command_id, tenant_id, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
        input.commandId,
        input.tenantId,
        now,
      ]);
      return { kind: 'apply' };
    });
  }

  /** The tenant's holds, open ones first, then the newest decided ones; [] for no such tenant. */
  async list(tenantId: string, q: { includeDecided?: boolean } = {}): Promise<HoldView[]> {
    if (!isUuid(tenantId)) return [];
    const rows: HoldRow[] = await this.ds.query(
      `${HOLD_SELECT} WHERE h.tenant_id = $1 AND ($2 OR h.status = 'open') ORDER BY (h.status = 'open') DESC, h.id DESC LIMIT 50`,
      [tenantId, q.includeDecided ?? false],
    );
    return rows.map(holdView);
  }

  async get(tenantId: string, holdId: string): Promise<HoldView | undefined> {
    if (!isUuid(tenantId) || !/^[0-9]{1,18}$/.test(holdId)) return undefined;
    const rows: HoldRow[] = await this.ds.query(`${HOLD_SELECT} WHERE h.tenant_id = $1 AND h.id = $2`, [tenantId, holdId]);
    return rows[0] && holdView(rows[0]);
  }

  /**
   * Approves an open hold: its commands become due (the retrier applies them in order, no threshold applies to them)
   * and are counted in the window as approved. Undefined for no such hold; `decided` when it was decided before.
   */
  async approve(tenantId: string, holdId: string, by: string, now = new Date()): Promise<HoldView | 'decided' | undefined> {
    const decided = await this.decide(tenantId, holdId, 'approved', by, now, async (em, held) => {
      await this.parked.release(em, holdId, now);
      await em.query(`INSERT INTO deprovisionings (command_id, tenant_id, at) SELECT x, $2, $3 FROM unnest($1::uuid[]) AS x ON CONFLICT DO NOTHING`, [
        held.map((c) => c.commandId),
        tenantId,
        now,
      ]);
      return { commands: held.length };
    });
    return decided;
  }

  /**
   * Rejects an open hold: each held command is discarded (recorded as answered, so no redelivery or replay applies
   * it, and audited as rejected by an operator); the commands waiting behind them go on. Entra is told nothing:
   * the users stay as they are in scimflow.
   */
  async reject(tenantId: string, holdId: string, by: string, now = new Date()): Promise<HoldView | 'decided' | undefined> {
    return this.decide(tenantId, holdId, 'rejected', by, now, async (em, held) => {
      for (const c of held)
        await this.parked.discardWithin(em, c, rejectedHoldOutcome(c.commandId, holdId), { rejected: { holdId, by, parkedAt: c.parkedAt } }, now);
      return { commands: held.length };
    });
  }

  /** Commands held in open holds, per tenant (the alert metric). */
  async heldPerTenant(): Promise<{ tenantId: string; commands: number }[]> {
    const rows: { tenant_id: string; commands: number }[] = await this.ds.query(
      `SELECT h.tenant_id::text, count(p.id)::int AS commands FROM deprovisioning_holds h LEFT JOIN parked_commands p ON p.hold_id = h.id
        WHERE h.status = 'open' GROUP BY h.tenant_id`,
    );
    return rows.map((r) => ({ tenantId: r.tenant_id, commands: r.commands }));
  }

  private async decide(
    tenantId: string,
    holdId: string,
    status: Exclude<HoldStatus, 'open'>,
    by: string,
    now: Date,
    work: (em: EntityManager, held: ParkedCommandView[]) => Promise<Record<string, unknown>>,
  ): Promise<HoldView | 'decided' | undefined> {
    const found = await this.get(tenantId, holdId);
    if (!found) return undefined;
    const done = await this.ds.transaction(async (em) => {
      // the tenant's lock: no deprovisioning joins the hold while it is being decided
      await em.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [TENANT_LOCK, found.tenantId]);
      const [{ count }]: { count: number }[] = await em.query(
        `WITH d AS (UPDATE deprovisioning_holds SET status = $3, decided_at = $4, decided_by = $5 WHERE id = $1 AND tenant_id = $2 AND status = 'open' RETURNING 1)
         SELECT count(*)::int AS count FROM d`,
        [holdId, found.tenantId, status, now, by],
      );
      if (!count) return false;
      const held = await this.parked.ofHold(em, holdId);
      const detail = await work(em, held);
      await this.auditHold(em, found.tenantId, holdId, status === 'approved' ? 'hold.approve' : 'hold.reject', 200, { ...detail, by }, now);
      return true;
    });
    if (!done) return 'decided';
    return this.get(tenantId, holdId);
  }

  private auditHold(
    em: EntityManager,
    tenantId: string,
    holdId: string,
    action: string,
    status: number,
    diff: Record<string, unknown>,
    at: Date,
  ): Promise<void> {
    return this.audit.record(em, { tenantId, commandId: `hold-${holdId}`, resourceType: 'DeprovisioningHold', resourceId: holdId, action, status, diff, at });
  }
}

const HOLD_SELECT = `
  SELECT h.id::text, h.tenant_id::text, h.status, h.opened_at, h.decided_at, h.decided_by,
         (SELECT count(*)::int FROM parked_commands p WHERE p.hold_id = h.id) AS commands,
         (SELECT min(parked_at) FROM parked_commands p WHERE p.hold_id = h.id) AS first_at,
         (SELECT max(parked_at) FROM parked_commands p WHERE p.hold_id = h.id) AS last_at,
         (SELECT coalesce(jsonb_agg(jsonb_build_object('id', s.resource_id, 'userName', s.user_name)), '[]') FROM (
            SELECT p.resource_id::text, u.user_name FROM parked_commands p LEFT JOIN scim_users u ON u.tenant_id = p.tenant_id AND u.id = p.resource_id
             WHERE p.hold_id = h.id ORDER BY p.id LIMIT ${SAMPLE_USERS}) s) AS sample_users
    FROM deprovisioning_holds h`;

interface HoldRow {
  id: string;
  tenant_id: string;
  status: HoldStatus;
  opened_at: Date;
  decided_at: Date | null;
  decided_by: string | null;
  commands: number;
  first_at: Date | null;
  last_at: Date | null;
  sample_users: { id: string; userName: string | null }[];
}

function holdView(r: HoldRow): HoldView {
  return {
    holdId: r.id,
    tenantId: r.tenant_id,
    status: r.status,
    openedAt: r.opened_at.toISOString(),
    decidedAt: r.decided_at?.toISOString() ?? null,
    decidedBy: r.decided_by,
    commands: r.commands,
    firstAt: r.first_at?.toISOString() ?? null,
    lastAt: r.last_at?.toISOString() ?? null,
    sampleUsers: r.sample_users,
  };
}
