import { DataSource, EntityManager } from 'typeorm';
import { CommandOutcome, HeadState, isUuid, ParkedCommandView, ParkReason } from '@scimflow/contracts';
import { AuditLog } from '../audit/audit-log';

/** A command to park: its identity (from the command), where it came from, and its value as received. */
export interface ParkedCommandInput extends Pick<
  ParkedCommandView,
  'recordKey' | 'tenantId' | 'commandId' | 'resourceType' | 'resourceId' | 'action' | 'source'
> {
  /** the record's value, JSON text */
  command: string;
  /** where the writer waits for the answer (request–reply), if anybody does */
  reply?: ParkedReply;
}

/** The reply address of a parked command's writer. */
export interface ParkedReply {
  topic: string;
  correlationId: string;
}

/** A parked key's first command, as handed to whoever retries it. */
export interface ParkedHead extends ParkedCommandView {
  command: string;
  reply: ParkedReply | null;
}

/** A key whose first parked command is due, with its tenant (the retrier keeps each tenant to one at a time). */
export interface DueKey {
  recordKey: string;
  tenantId: string;
}

/** What became of a retried head: gone (applied or answered), or still failing and due again at `retryAt`. */
export type HeadResult = { kind: 'done' } | { kind: 'failed'; error: string; retryAt: Date };

/** Advisory-lock namespace of parked keys: whoever parks behind, retries or discards a key holds its lock. */
const KEY_LOCK = 727276;
const MAX_ERROR_CHARS = 2000;
/** NUL, and a surrogate without its other half */
// eslint-disable-next-line no-control-regex -- NUL is what Postgres text cannot hold
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `id` comes out as text: a query that orders by it names `parked_commands.id` (a bare `id` would sort the text). */
const COLUMNS = `id::text, record_key, tenant_id::text, command_id::text, resource_type, resource_id::text, action, source, reason, error, attempts,
  parked_at, last_attempt_at, next_attempt_at, hold_id::text, id = min(id) OVER (PARTITION BY record_key) AS is_head`;
/** A held command whose hold is still open: never due (approving the hold makes it due). */
const UNDECIDED = `'infinity'::timestamptz`;
/** Rows that may become due: all but the held ones of an open hold. */
const DECIDABLE = `next_attempt_at <> ${UNDECIDED}`;
/** The state of a key's first row, by its columns. */
const HEAD_STATE = `CASE WHEN next_attempt_at = ${UNDECIDED} THEN 'held' WHEN attempts > 0 THEN 'failing' ELSE 'pending' END`;

/** Error text as Postgres text can hold it (no NUL, no lone surrogate), cut to a readable length. */
export function storableText(s: string, max = MAX_ERROR_CHARS): string {
  const clean = s.replace(UNSTORABLE, '\ufffd');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/**
 * Commands held back per key (table parked_commands). The reconciler parks a command that still fails after its
 * transient retries and, behind it, its key's later commands; it retries the first of each key with backoff; an
 * operator may retry one at once or discard it. A key's commands leave in order, under the key's advisory lock.
 */
export class ParkedCommands {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditLog,
  ) {}

  /** Which of `keys` have parked commands (one statement per batch of the consumer). */
  async parkedAmong(keys: string[]): Promise<Set<string>> {
    if (!keys.length) return new Set();
    const rows: { record_key: string }[] = await this.ds.query(`SELECT DISTINCT record_key FROM parked_commands WHERE record_key = ANY($1::text[])`, [keys]);
    return new Set(rows.map((r) => r.record_key));
  }

  /**
   * Parks the first command of a key: `failed` after `attempts` (retried from `retryAt`), or `heavy` (due at once,
   * applied by the retrier off the partition's path).
   */
  async park(input: ParkedCommandInput, reason: { kind: 'failed'; error: string; attempts: number; retryAt: Date } | { kind: 'heavy' }): Promise<void> {
    await this.insert(this.ds.manager, input, reason.kind === 'failed' ? { reason: 'failed', ...reason } : { reason: 'heavy' });
  }

  /**
   * Parks a command behind its key's parked ones, if the key still has any, and says the state of the key's first
   * one (`failing`: its writers are told to come back; `pending`: it is about to be applied); undefined if the key has
   * none any more (they were applied meanwhile), and the caller applies the command itself. No lock is needed: a
   * retrier removes a parked command only after applying it, so while any row of the key is visible here the new one
   * belongs behind it, and once none is, all of them were applied.
   */
  async parkBehind(input: ParkedCommandInput): Promise<HeadState | undefined> {
    return (await this.insert(this.ds.manager, input, { reason: 'behind' })) ?? undefined;
  }

  /**
   * Parks a deprovisioning in its hold, inside the caller's transaction (the one that decided to hold it), behind the
   * key's parked commands if it has any. It is not due until the hold is approved; a redelivered command is parked once.
   */
  async hold(em: EntityManager, input: ParkedCommandInput, holdId: string): Promise<void> {
    await this.insert(em, input, { reason: 'held', holdId });
  }

  /** Newest first; one tenant's or all. */
  async list(q: { tenantId?: string; limit?: number } = {}): Promise<ParkedCommandView[]> {
    if (q.tenantId !== undefined && !isUuid(q.tenantId)) return [];
    const rows: Row[] = await this.ds.query(
      `SELECT * FROM (SELECT ${COLUMNS} FROM parked_commands) p WHERE ($1::text IS NULL OR tenant_id = $1) ORDER BY id::bigint DESC LIMIT $2`,
      [q.tenantId?.toLowerCase() ?? null, Math.min(Math.max(q.limit ?? 100, 1), 10_000)],
    );
    return rows.map(view);
  }

  async get(id: string): Promise<ParkedCommandView | undefined> {
    if (!/^[0-9]{1,18}$/.test(id)) return undefined;
    const rows: Row[] = await this.ds.query(
      `SELECT * FROM (SELECT ${COLUMNS} FROM parked_commands WHERE record_key = (SELECT record_key FROM parked_commands WHERE id = $1)) p WHERE id::bigint = $1`,
      [id],
    );
    return rows[0] && view(rows[0]);
  }

  /** Parked commands, and keys held back, in all tenants. */
  async counts(): Promise<{ commands: number; keys: number }> {
    const [row] = await this.ds.query(`SELECT count(*)::int AS commands, count(DISTINCT record_key)::int AS keys FROM parked_commands`);
    return row;
  }

  /**
   * For each tenant with a due key (one whose first parked command is due), its longest due key; tenants in the order
   * their key came due. One per tenant, so that a tenant with many due keys does not crowd out the others.
   */
  async dueKeys(limit: number, now = new Date()): Promise<DueKey[]> {
    const rows: { record_key: string; tenant_id: string }[] = await this.ds.query(
      `SELECT record_key, tenant_id::text FROM (
         SELECT DISTINCT ON (tenant_id) tenant_id, record_key, next_attempt_at
           FROM (SELECT DISTINCT ON (record_key) record_key, tenant_id, next_attempt_at FROM parked_commands ORDER BY record_key, id) heads
          WHERE next_attempt_at <= $1
          ORDER BY tenant_id, next_attempt_at) per_tenant
        ORDER BY next_attempt_at LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => ({ recordKey: r.record_key, tenantId: r.tenant_id }));
  }

  /**
   * Retries the key's first parked command with `work`, holding the key's lock (nobody parks behind it or discards
   * meanwhile): removed when `work` is done with it, else kept with the new error. `busy` when another instance
   * holds the key, `empty` when nothing is parked there any more, `held` when the first is held for an operator's
   * decision (it waits, and the key with it).
   */
  async retryHead(recordKey: string, work: (head: ParkedHead) => Promise<HeadResult>, now = new Date()): Promise<'retried' | 'busy' | 'empty' | 'held'> {
    return this.ds.transaction(async (em) => {
      const [{ locked }] = await em.query(`SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked`, [KEY_LOCK, recordKey]);
      if (!locked) return 'busy';
      const rows: (Row & { command: string; reply: ParkedReply | null })[] = await em.query(
        `SELECT ${COLUMNS}, command, reply FROM parked_commands WHERE record_key = $1 ORDER BY parked_commands.id LIMIT 1`,
        [recordKey],
      );
      if (!rows.length) return 'empty';
      if (undecided(rows[0].next_attempt_at)) return 'held';
      const head = { ...view({ ...rows[0], is_head: true }), command: rows[0].command, reply: rows[0].reply };
      const result = await work(head);
      if (result.kind === 'done') await em.query(`DELETE FROM parked_commands WHERE id = $1`, [head.id]);
      else
        await em.query(`UPDATE parked_commands SET error = $2, attempts = attempts + 1, last_attempt_at = $3, next_attempt_at = $4 WHERE id = $1`, [
          head.id,
          storableText(result.error),
          now,
          result.retryAt,
        ]);
      return 'retried';
    });
  }

  /** Makes the key of parked command `id` due now (its first command is retried next). */
  async redrive(id: string, now = new Date()): Promise<ParkedCommandView | undefined> {
    const found = await this.get(id);
    if (!found) return undefined;
    await this.ds.query(`UPDATE parked_commands SET next_attempt_at = $2 WHERE record_key = $1 AND ${DECIDABLE}`, [found.recordKey, now]);
    return this.get(id);
  }

  /**
   * Removes parked command `id` for good, answered as `outcome` (recorded as processed, so neither a redelivery nor
   * a replay applies it later) and audited; its key's next command is due at once. A held command of an open hold is
   * not discarded here: its hold is decided as a whole (DeprovisioningHolds).
   */
  async discard(id: string, outcome: CommandOutcome, now = new Date()): Promise<ParkedCommandView | undefined> {
    const found = await this.get(id);
    if (!found || found.nextAttemptAt === 'infinity') return undefined;
    return this.ds.transaction((em) =>
      this.discardWithin(em, found, outcome, { discarded: { parkedAt: found.parkedAt, lastError: found.error, attempts: found.attempts } }, now),
    );
  }

  /** The held commands of hold `holdId`, in order. */
  async ofHold(em: EntityManager, holdId: string): Promise<ParkedCommandView[]> {
    const rows: Row[] = await em.query(
      `SELECT * FROM (SELECT ${COLUMNS} FROM parked_commands WHERE record_key IN (SELECT record_key FROM parked_commands WHERE hold_id = $1)) p
        WHERE hold_id = $1::text ORDER BY id::bigint`,
      [holdId],
    );
    return rows.map(view);
  }

  /** Makes the held commands of hold `holdId` due now (it was approved): the retrier applies them in order. */
  async release(em: EntityManager, holdId: string, now: Date): Promise<void> {
    await em.query(`UPDATE parked_commands SET next_attempt_at = $2 WHERE hold_id = $1`, [holdId, now]);
  }

  /** `discard`, inside the caller's transaction, with the audit entry's `diff`: undefined if it left meanwhile. */
  async discardWithin(
    em: EntityManager,
    found: ParkedCommandView,
    outcome: CommandOutcome,
    diff: Record<string, unknown>,
    now: Date,
  ): Promise<ParkedCommandView | undefined> {
    await this.lockKey(em, found.recordKey);
    const rows: { id: string }[] = await em.query(`DELETE FROM parked_commands WHERE id = $1 RETURNING id::text`, [found.id]);
    if (!rows.length) return undefined; // applied or discarded meanwhile
    await em.query(
      `INSERT INTO processed_commands (command_id, tenant_id, resource_id, outcome, processed_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (command_id) DO NOTHING`,
      [found.commandId, found.tenantId, found.resourceId, outcome, now],
    );
    await this.audit.record(em, {
      tenantId: found.tenantId,
      commandId: found.commandId,
      resourceType: found.resourceType,
      resourceId: found.resourceId,
      action: found.action,
      status: outcome.status,
      error: outcome.error,
      diff,
      at: now,
    });
    await em.query(`UPDATE parked_commands SET next_attempt_at = $2 WHERE record_key = $1 AND ${DECIDABLE}`, [found.recordKey, now]);
    return found;
  }

  private async lockKey(em: EntityManager, recordKey: string): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [KEY_LOCK, recordKey]);
  }

  /**
   * Writes the row (a redelivered record is parked once). Behind: only if the key has rows, and then the state of
   * its first one; undefined if it has none.
   */
  private async insert(
    em: EntityManager,
    c: ParkedCommandInput,
    how: { reason: 'failed'; error: string; attempts: number; retryAt: Date } | { reason: 'heavy' | 'behind' } | { reason: 'held'; holdId: string },
  ): Promise<HeadState | undefined> {
    const failed = how.reason === 'failed' ? how : undefined;
    const holdId = how.reason === 'held' ? how.holdId : null;
    const rows: { head: HeadState | null }[] = await em.query(
      `WITH head AS (SELECT ${HEAD_STATE} AS state
                       FROM parked_commands WHERE record_key = $1 ORDER BY id LIMIT 1),
            added AS (
              INSERT INTO parked_commands (record_key, tenant_id, command_id, resource_type, resource_id, action, source, command, reason, reply,
                                           error, attempts, last_attempt_at, next_attempt_at, hold_id)
              SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, CASE WHEN $12 > 0 THEN now() END,
                     CASE WHEN $14::bigint IS NOT NULL THEN ${UNDECIDED} ELSE coalesce($13, now()) END, $14::bigint
               WHERE $9 <> 'behind' OR EXISTS (SELECT 1 FROM head)
              ON CONFLICT (command_id) DO NOTHING
              RETURNING 1)
       SELECT (SELECT state FROM head) AS head, (SELECT count(*) FROM added) AS added`,
      [
        c.recordKey,
        c.tenantId,
        c.commandId,
        storableText(c.resourceType, 100),
        c.resourceId,
        storableText(c.action, 100),
        c.source,
        c.command,
        how.reason,
        c.reply ? JSON.stringify({ topic: storableText(c.reply.topic, 300), correlationId: storableText(c.reply.correlationId, 300) }) : null,
        failed ? storableText(failed.error) : null,
        failed?.attempts ?? 0,
        failed?.retryAt ?? null,
        holdId,
      ],
    );
    return rows[0].head ?? undefined;
  }
}

interface Row {
  id: string;
  record_key: string;
  tenant_id: string;
  command_id: string;
  resource_type: string;
  resource_id: string;
  action: string;
  source: string;
  reason: ParkReason;
  error: string | null;
  attempts: number;
  parked_at: Date;
  last_attempt_at: Date | null;
  /** node-postgres reads 'infinity' as the number Infinity */
  next_attempt_at: Date | number;
  hold_id: string | null;
  is_head: boolean;
}

/** A held command of an open hold (never due). */
function undecided(nextAttemptAt: Date | number): boolean {
  return !(nextAttemptAt instanceof Date);
}

function view(r: Row): ParkedCommandView {
  return {
    id: r.id,
    recordKey: r.record_key,
    tenantId: r.tenant_id,
    commandId: r.command_id,
    resourceType: r.resource_type,
    resourceId: r.resource_id,
    action: r.action,
    source: r.source,
    reason: r.reason,
    state: !r.is_head ? 'waiting' : undecided(r.next_attempt_at) ? 'held' : r.attempts > 0 ? 'failing' : 'pending',
    holdId: r.hold_id,
    error: r.error,
    attempts: r.attempts,
    parkedAt: r.parked_at.toISOString(),
    lastAttemptAt: r.last_attempt_at?.toISOString() ?? null,
    nextAttemptAt: undecided(r.next_attempt_at) ? 'infinity' : (r.next_attempt_at as Date).toISOString(),
  };
}
