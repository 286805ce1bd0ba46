import { createHash } from 'node:crypto';
import { ScimError } from '@scimflow/scim';

/**
 * The events API's cursors, opaque to consumers: base64url of a version byte, a kind byte, the position (8 bytes) and,
 * for state pages, the last id of the page (16 bytes), followed by a check of 6 bytes over the tenant and the rest.
 * The check is not a secret: it tells a mangled or another tenant's cursor (400) from a valid one.
 */
const CURSOR_VERSION = 1;
const CHECK_BYTES = 6;
const Kind = { events: 1, users: 2, groups: 3 } as const;
export type StateKind = 'users' | 'groups';

/** Longest long-poll (`wait`) the API holds a request for. */
export const MAX_WAIT_SECONDS = 30;
export const DEFAULT_EVENTS_LIMIT = 100;
export const MAX_EVENTS_LIMIT = 1000;
export const DEFAULT_STATE_LIMIT = 100;
export const MAX_STATE_LIMIT = 1000;

function check(tenantId: string, body: Buffer): Buffer {
  return createHash('sha256').update(tenantId).update(body).digest().subarray(0, CHECK_BYTES);
}

function seal(tenantId: string, body: Buffer): string {
  return Buffer.concat([body, check(tenantId, body)]).toString('base64url');
}

function unseal(tenantId: string, cursor: string, kind: number, what: string): Buffer {
  const bad = () =>
    ScimError.badRequest('invalidValue', `${what} is not a cursor this API issued for this tenant: use a cursor from a previous answer unchanged`);
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) throw bad();
  const raw = Buffer.from(cursor, 'base64url');
  if (raw.length < 2 + 8 + CHECK_BYTES) throw bad();
  const body = raw.subarray(0, raw.length - CHECK_BYTES);
  if (!check(tenantId, body).equals(raw.subarray(raw.length - CHECK_BYTES)) || body[0] !== CURSOR_VERSION || body[1] !== kind) throw bad();
  return body;
}

function positionBytes(position: string): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(position));
  return b;
}

export function encodeEventsCursor(tenantId: string, position: string): string {
  return seal(tenantId, Buffer.concat([Buffer.from([CURSOR_VERSION, Kind.events]), positionBytes(position)]));
}

/** The position an events cursor stands at; 400 invalidValue for anything this API did not issue for this tenant. */
export function decodeEventsCursor(tenantId: string, cursor: string): string {
  const body = unseal(tenantId, cursor, Kind.events, 'after');
  if (body.length !== 10)
    throw ScimError.badRequest('invalidValue', 'after is not a cursor this API issued for this tenant: use a cursor from a previous answer unchanged');
  return body.readBigUInt64BE(2).toString();
}

export function encodeStateCursor(tenantId: string, kind: StateKind, eventsPosition: string, lastId: string): string {
  const id = Buffer.from(lastId.replace(/-/g, ''), 'hex');
  return seal(tenantId, Buffer.concat([Buffer.from([CURSOR_VERSION, Kind[kind]]), positionBytes(eventsPosition), id]));
}

/** The events position and the last id of the previous state page. */
export function decodeStateCursor(tenantId: string, kind: StateKind, cursor: string): { eventsPosition: string; lastId: string } {
  const body = unseal(tenantId, cursor, Kind[kind], 'cursor');
  if (body.length !== 26)
    throw ScimError.badRequest('invalidValue', 'cursor is not a cursor this API issued for this tenant: use a cursor from a previous answer unchanged');
  const hex = body.subarray(10).toString('hex');
  return {
    eventsPosition: body.readBigUInt64BE(2).toString(),
    lastId: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
  };
}

/** `wait`: seconds (`30`, `30s`, `1.5s`) or milliseconds (`500ms`); longer than MAX_WAIT_SECONDS is that; absent is 0 (answer at once). */
export function parseWaitSeconds(value: unknown): number {
  if (value === undefined || value === '') return 0;
  const m = typeof value === 'string' ? /^(\d{1,9}(?:\.\d{1,3})?)(s|ms)?$/.exec(value.trim()) : null;
  if (!m) throw ScimError.badRequest('invalidValue', `wait must be a duration such as 30s or 500ms (at most ${MAX_WAIT_SECONDS}s are used)`);
  const seconds = m[2] === 'ms' ? Number(m[1]) / 1000 : Number(m[1]);
  return Math.min(seconds, MAX_WAIT_SECONDS);
}

/** `limit`: an integer from 1 to `max`; absent is `fallback`. */
export function parseLimit(value: unknown, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > max) throw ScimError.badRequest('invalidValue', `limit must be an integer from 1 to ${max}`);
  return n;
}

/** `types`: comma-separated event types, each exact or a prefix ending in `*` (`dev.scimflow.user.*`); absent is every type. */
export function parseTypes(value: unknown): string[] | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw ScimError.badRequest('invalidValue', 'types must be given once, comma-separated');
  const types = value
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  for (const t of types)
    if (!/^[A-Za-z0-9.\-_]+\*?$/.test(t) || t.length > 200)
      throw ScimError.badRequest('invalidValue', `types: ${JSON.stringify(t)} is not an event type or a prefix ending in * (e.g. dev.scimflow.user.*)`);
  if (types.length > 50) throw ScimError.badRequest('invalidValue', 'types: at most 50 types');
  return types.length ? types : undefined;
}

/** The answer to a cursor older than the tenant's retention: the consumer must resync. */
export function cursorExpired(retentionDays: number | undefined): ScimError {
  return new ScimError(
    410,
    `The cursor is older than this tenant's events retention (${retentionDays ?? '?'} days): events after it were discarded. Resync: load the state (GET /api/v1/users and /api/v1/groups) and follow the events from its eventsCursor`,
  );
}

/** A page of a tenant's log as the store reads it (positions as decimal strings). */
export interface LogPage<E extends { position: string }> {
  events: E[];
  head: string;
  horizon: string;
}

export type PollOutcome<E extends { position: string }> = { expired: true } | { expired: false; events: E[]; next: string; more: boolean };

/** Readers look again at least this often while they long-poll, signalled or not. */
export const LONG_POLL_RECHECK_MS = 1000;

/**
 * One answer of the events API: the events after `after` (null: from the oldest retained), or, when there are none
 * and `waitMs` > 0, the first that arrive within it. `next` is where the consumer continues: after the last event of
 * a full page, else at the tenant's head as read with the page (a `types` filter must not make it read the same
 * non-matching events again). A cursor before the horizon lost events: expired.
 */
export async function pollEvents<E extends { position: string }>(input: {
  after: string | null;
  limit: number;
  waitMs: number;
  read: (after: string | null) => Promise<LogPage<E>>;
  wait: (ms: number) => Promise<void>;
  now?: () => number;
  closed?: () => boolean;
}): Promise<PollOutcome<E>> {
  const now = input.now ?? Date.now;
  const deadline = now() + input.waitMs;
  let after = input.after;
  for (;;) {
    const page = await input.read(after);
    if (after !== null && BigInt(after) < BigInt(page.horizon)) return { expired: true };
    const more = page.events.length >= input.limit;
    const last = page.events.length ? page.events[page.events.length - 1].position : null;
    const floor = [after ?? '0', page.horizon, last ?? '0'].reduce((a, b) => (BigInt(a) >= BigInt(b) ? a : b));
    const next = more ? last! : BigInt(page.head) > BigInt(floor) ? page.head : floor;
    const remaining = deadline - now();
    if (page.events.length || remaining <= 0 || input.closed?.()) return { expired: false, events: page.events, next, more };
    await input.wait(Math.min(LONG_POLL_RECHECK_MS, remaining));
    after = next;
  }
}
