/** A replay's range is wrongly given (the CLI shows its usage, the admin API answers 400). */
export class ReplayArgumentError extends Error {}

/** Where a replay starts: a point in time (resolved per partition by the broker) or explicit partition offsets. */
export type ReplayStart = { kind: 'time'; at: Date } | { kind: 'offsets'; offsets: Map<number, string> };

/** `--from`: an ISO timestamp, `beginning`, or `partition:offset,…` (partitions not named start at their end: nothing to read). */
export function parseFrom(value: string | undefined): ReplayStart {
  if (value === undefined) throw new ReplayArgumentError('--from is required (ISO timestamp, beginning, or partition:offset,…)');
  const v = value.trim();
  if (v === 'beginning') return { kind: 'time', at: new Date(0) };
  if (/^\d+:\d+(,\d+:\d+)*$/.test(v)) {
    const offsets = new Map<number, string>();
    for (const part of v.split(',')) {
      const [p, o] = part.split(':');
      if (offsets.has(Number(p))) throw new ReplayArgumentError(`--from names partition ${p} twice`);
      offsets.set(Number(p), String(BigInt(o)));
    }
    return { kind: 'offsets', offsets };
  }
  return { kind: 'time', at: parseTimestamp(v, '--from') };
}

/** An ISO timestamp (date and time; a date alone means its midnight UTC). */
export function parseTimestamp(value: string, option: string): Date {
  const at = Date.parse(value);
  if (Number.isNaN(at) || !/^\d{4}-\d{2}-\d{2}/.test(value)) throw new ReplayArgumentError(`${option} must be an ISO timestamp: ${value}`);
  return new Date(at);
}

export function parseTo(value: string | undefined, from: ReplayStart): Date | undefined {
  if (value === undefined) return undefined;
  const to = parseTimestamp(value.trim(), '--to');
  if (from.kind === 'time' && to.getTime() < from.at.getTime()) throw new ReplayArgumentError('--to is before --from');
  return to;
}

/** The offsets to read per partition: [start, end) where end is the high watermark captured at start. */
export interface PartitionRange {
  partition: number;
  start: string;
  end: string;
}

/**
 * Clamps starts into [low, high]; a partition with nothing to read gets start = end. With explicit offsets, the
 * partitions not named are not read.
 */
export function partitionRanges(
  watermarks: { partition: number; low: string; high: string }[],
  start: ReplayStart,
  startsByTime?: Map<number, string>,
): PartitionRange[] {
  return watermarks
    .map(({ partition, low, high }) => {
      const wanted = start.kind === 'offsets' ? (start.offsets.get(partition) ?? high) : (startsByTime?.get(partition) ?? low);
      const s = BigInt(wanted) < BigInt(low) ? low : BigInt(wanted) > BigInt(high) ? high : wanted;
      return { partition, start: s, end: high };
    })
    .sort((a, b) => a.partition - b.partition);
}

/** Records left to read in the ranges. */
export function rangeSize(ranges: PartitionRange[]): number {
  return ranges.reduce((n, r) => n + Number(BigInt(r.end) - BigInt(r.start)), 0);
}

/** Counters a replay reports (--dry-run: `applied` are those that would apply). */
export class ReplayTally {
  total = 0;
  skippedOtherTenant = 0;
  skippedAfterTo = 0;
  unreadable = 0;
  alreadyApplied = 0;
  applied = 0;
  events = 0;
  readonly perTenantAction = new Map<string, { alreadyApplied: number; applied: number }>();

  count(tenantId: string, action: string, alreadyApplied: boolean, events = 0): void {
    const key = `${tenantId} ${action}`;
    const entry = this.perTenantAction.get(key) ?? { alreadyApplied: 0, applied: 0 };
    if (alreadyApplied) {
      entry.alreadyApplied++;
      this.alreadyApplied++;
    } else {
      entry.applied++;
      this.applied++;
      this.events += events;
    }
    this.perTenantAction.set(key, entry);
  }

  toJSON(): Record<string, unknown> {
    const perTenant: Record<string, Record<string, { alreadyApplied: number; applied: number }>> = {};
    for (const [key, v] of [...this.perTenantAction.entries()].sort()) {
      const [tenant, action] = key.split(' ');
      (perTenant[tenant] ??= {})[action] = v;
    }
    const { total, skippedOtherTenant, skippedAfterTo, unreadable, alreadyApplied, applied, events } = this;
    return { total, skippedOtherTenant, skippedAfterTo, unreadable, alreadyApplied, applied, events, perTenant };
  }
}

/** One progress line: counts and rate. */
export function progressLine(label: string, done: number, planned: number, elapsedMs: number, extra = ''): string {
  const rate = elapsedMs > 0 ? Math.round((done * 1000) / elapsedMs) : 0;
  const pct = planned > 0 ? Math.floor((done * 100) / planned) : 100;
  return `${label}: ${done}/${planned} records (${pct}%), ${rate}/s${extra ? `, ${extra}` : ''}`;
}

/**
 * The k-way merge step of an ordered replay: which partition's head goes next (lowest timestamp, ties: lower
 * partition), 'wait' while a partition that may still have records has none buffered, 'done' when all are drained.
 */
export function nextPartition(queues: ReadonlyMap<number, readonly { timestamp: number }[]>, fetchedAll: ReadonlySet<number>): number | 'wait' | 'done' {
  const live = [...queues.entries()].filter(([p, q]) => q.length > 0 || !fetchedAll.has(p)).sort(([a], [b]) => a - b);
  if (live.length === 0) return 'done';
  if (live.some(([, q]) => q.length === 0)) return 'wait';
  return live.reduce((best, cur) => (cur[1][0].timestamp < best[1][0].timestamp ? cur : best))[0];
}
