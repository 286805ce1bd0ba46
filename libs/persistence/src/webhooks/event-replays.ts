import { DataSource } from 'typeorm';
import { EventReplayState, EventReplayView, isUuid } from '@scimflow/contracts';

/** A replay whose progress was not written for this long is no longer running (its ingress stopped). */
export const REPLAY_STALE_AFTER_MS = 60_000;

export interface EventReplayCountsRow {
  planned: number;
  read: number;
  matched: number;
  queued: number;
  alreadyQueued: number;
}

interface Row {
  id: string;
  subscription_id: string;
  tenant_id: string;
  replay_key: string;
  from_at: Date;
  to_at: Date | null;
  state: string;
  planned: string;
  read: string;
  matched: string;
  queued: string;
  already_queued: string;
  error: string | null;
  started_at: Date;
  updated_at: Date;
  finished_at: Date | null;
  stale: boolean;
}

const COLUMNS = `id, subscription_id, tenant_id, replay_key, from_at, to_at, state, planned, read, matched, queued, already_queued, error,
  started_at, updated_at, finished_at, (state = 'running' AND updated_at < now() - make_interval(secs => ${REPLAY_STALE_AFTER_MS / 1000})) AS stale`;

/** The counts as parameters $2 to $6 of an UPDATE (the replay's id is $1). */
const SET_COUNTS = 'planned = $2, read = $3, matched = $4, queued = $5, already_queued = $6';

function countValues(c: EventReplayCountsRow): number[] {
  return [c.planned, c.read, c.matched, c.queued, c.alreadyQueued];
}

function view(r: Row): EventReplayView {
  return {
    id: r.id,
    subscriptionId: r.subscription_id,
    tenantId: r.tenant_id,
    replayKey: r.replay_key,
    from: r.from_at.toISOString(),
    to: r.to_at?.toISOString() ?? null,
    state: r.stale ? 'interrupted' : (r.state as EventReplayState),
    planned: Number(r.planned),
    read: Number(r.read),
    matched: Number(r.matched),
    queued: Number(r.queued),
    alreadyQueued: Number(r.already_queued),
    error: r.error,
    startedAt: r.started_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
  };
}

/** Event replays started through the admin API and their progress. */
export class EventReplays {
  constructor(private readonly ds: DataSource) {}

  async start(input: { id: string; subscriptionId: string; tenantId: string; replayKey: string; from: Date; to?: Date }): Promise<EventReplayView> {
    const rows: Row[] = await this.ds.query(
      `INSERT INTO event_replays (id, subscription_id, tenant_id, replay_key, from_at, to_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [input.id, input.subscriptionId, input.tenantId, input.replayKey, input.from, input.to ?? null],
    );
    return view(rows[0]);
  }

  async progress(id: string, counts: EventReplayCountsRow): Promise<void> {
    await this.ds.query(`UPDATE event_replays SET ${SET_COUNTS}, updated_at = now() WHERE id = $1`, [id, ...countValues(counts)]);
  }

  async finish(id: string, counts: EventReplayCountsRow, error?: string): Promise<void> {
    await this.ds.query(`UPDATE event_replays SET ${SET_COUNTS}, state = $7, error = $8, updated_at = now(), finished_at = now() WHERE id = $1`, [
      id,
      ...countValues(counts),
      error === undefined ? 'done' : 'failed',
      error?.slice(0, 2000) ?? null,
    ]);
  }

  /** The replay, or undefined when there is none with this id. */
  async get(id: string): Promise<EventReplayView | undefined> {
    if (!isUuid(id)) return undefined;
    const rows: Row[] = await this.ds.query(`SELECT ${COLUMNS} FROM event_replays WHERE id = $1`, [id]);
    return rows[0] && view(rows[0]);
  }

  /** A subscription's replays, newest first. */
  async list(subscriptionId: string, limit = 50): Promise<EventReplayView[]> {
    if (!isUuid(subscriptionId)) return [];
    const rows: Row[] = await this.ds.query(`SELECT ${COLUMNS} FROM event_replays WHERE subscription_id = $1 ORDER BY started_at DESC LIMIT $2`, [
      subscriptionId,
      limit,
    ]);
    return rows.map(view);
  }
}
