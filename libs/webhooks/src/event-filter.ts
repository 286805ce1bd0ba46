/**
 * A subscription's event types: exact CloudEvents types (`dev.scimflow.user.created.v1`) or prefixes ending
 * in `*` (`dev.scimflow.user.*`). An empty list receives every event.
 */
export function matchesEventTypes(filter: readonly string[], type: string): boolean {
  if (filter.length === 0) return true;
  return filter.some((entry) => (entry.endsWith('*') ? type.startsWith(entry.slice(0, -1)) : type === entry));
}

const ENTRY = /^([A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*(\.\*)?|\*)$/;

/** Why an event-type entry is not acceptable, or undefined when it is. */
export function eventTypeProblem(entry: string): string | undefined {
  if (ENTRY.test(entry)) return undefined;
  return `"${entry}" is not an event type (dot-separated letters, digits, "_" and "-", optionally ending in ".*")`;
}
