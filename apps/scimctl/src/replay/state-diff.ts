/** One row of tenant state as compared by `scimctl rebuild` (timestamps left out: a re-applied command gets a new time). */
export interface StateRow {
  kind: 'user' | 'group' | 'membership';
  id: string;
  fields: Record<string, unknown>;
}

export interface StateDifference {
  kind: StateRow['kind'];
  id: string;
  difference: 'only-live' | 'only-rebuilt' | 'differs';
  /** the fields that differ, live vs rebuilt */
  fields?: Record<string, { live: unknown; rebuilt: unknown }>;
}

const stable = (v: unknown): string =>
  JSON.stringify(v, (_, x) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x,
  );

/** Differences between the live and the rebuilt state, in (kind, id) order. */
export function diffState(live: StateRow[], rebuilt: StateRow[]): StateDifference[] {
  const key = (r: StateRow) => `${r.kind}\u0000${r.id}`;
  const a = new Map(live.map((r) => [key(r), r]));
  const b = new Map(rebuilt.map((r) => [key(r), r]));
  const out: StateDifference[] = [];
  for (const k of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const l = a.get(k);
    const r = b.get(k);
    if (!r) out.push({ kind: l!.kind, id: l!.id, difference: 'only-live' });
    else if (!l) out.push({ kind: r.kind, id: r.id, difference: 'only-rebuilt' });
    else {
      const fields: Record<string, { live: unknown; rebuilt: unknown }> = {};
      for (const f of [...new Set([...Object.keys(l.fields), ...Object.keys(r.fields)])].sort())
        if (stable(l.fields[f]) !== stable(r.fields[f])) fields[f] = { live: l.fields[f], rebuilt: r.fields[f] };
      if (Object.keys(fields).length) out.push({ kind: l.kind, id: l.id, difference: 'differs', fields });
    }
  }
  return out;
}

/** The name of a rebuild's scratch schema: `rebuild_` + the tenant id's first 8 hex digits + a random suffix. */
export function rebuildSchemaName(tenantId: string, suffix: string): string {
  const short = tenantId
    .replace(/[^0-9a-f]/gi, '')
    .slice(0, 8)
    .toLowerCase();
  if (!/^[0-9a-z]{1,12}$/.test(suffix)) throw new Error(`bad schema suffix ${suffix}`);
  return `rebuild_${short}_${suffix}`;
}
