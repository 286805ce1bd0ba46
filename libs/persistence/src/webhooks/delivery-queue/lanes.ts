import { EntityManager } from 'typeorm';

/** Rows per multi-row statement (queueing deliveries, waking lanes). */
export const INSERT_CHUNK = 1000;
/** A lane's order: by sequence (events without one after those with), then as queued. Matches index webhook_deliveries_lane_pending. */
export const headOrder = (alias = '') => `${alias}sequence ASC NULLS LAST, ${alias}id ASC`;

/** Identifies a lane in maps: subscription id and ordering key. */
export function laneKey(lane: { subscriptionId: string; orderingKey: string }): string {
  return `${lane.subscriptionId}\u0000${lane.orderingKey}`;
}

/**
 * Makes lanes due that were idle; leaves a lane's schedule alone when it already has one. The upsert locks each
 * lane row until commit, in key order (no deadlocks between consumers), and it acts on the latest committed row
 * even if our snapshot is older, so it cannot miss a lane that was just made idle.
 */
export async function wakeLanes(em: EntityManager, lanes: [subscriptionId: string, orderingKey: string][], at: 'now' | 'keep' = 'keep'): Promise<void> {
  if (lanes.length === 0) return;
  const sorted = [...lanes].sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) : a[0] < b[0] ? -1 : 1));
  for (let i = 0; i < sorted.length; i += INSERT_CHUNK) {
    const chunk = sorted.slice(i, i + INSERT_CHUNK);
    const params = chunk.flat();
    const tuples = chunk.map((_, j) => `($${2 * j + 1}::uuid, $${2 * j + 2}, now())`);
    await em.query(
      `INSERT INTO webhook_lanes (subscription_id, ordering_key, next_attempt_at) VALUES ${tuples.join(', ')}
       ON CONFLICT (subscription_id, ordering_key) DO UPDATE
         SET next_attempt_at = ${at === 'now' ? 'now()' : 'COALESCE(webhook_lanes.next_attempt_at, EXCLUDED.next_attempt_at)'}`,
      params,
    );
  }
}
