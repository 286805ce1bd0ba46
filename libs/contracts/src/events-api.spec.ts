import { ScimError } from '@scimflow/scim';
import {
  decodeEventsCursor,
  decodeStateCursor,
  encodeEventsCursor,
  encodeStateCursor,
  parseLimit,
  parseTypes,
  parseWaitSeconds,
  pollEvents,
} from './events-api';

const T1 = '0b6c1d0e-6d1f-4a36-9b71-2f7f3b2b1a01';
const T2 = '7f00a1b2-0000-4c00-8000-000000000002';

function status(f: () => unknown): number | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    return e instanceof ScimError ? e.status : -1;
  }
}

describe('events API cursors', () => {
  it('round-trips a position, including beyond 2^53', () => {
    for (const p of ['0', '1', '42', '9007199254740993']) expect(decodeEventsCursor(T1, encodeEventsCursor(T1, p))).toBe(p);
  });

  it("refuses a changed, truncated, garbage or other tenant's cursor with 400", () => {
    const c = encodeEventsCursor(T1, '1234');
    const flipped = Buffer.from(c, 'base64url');
    flipped[5] ^= 1;
    for (const bad of [flipped.toString('base64url'), c.slice(0, -2), 'garbage', '', '!!!', 'a'.repeat(300)])
      expect(status(() => decodeEventsCursor(T1, bad))).toBe(400);
    expect(status(() => decodeEventsCursor(T2, c))).toBe(400);
  });

  it('keeps events and state cursors apart', () => {
    const state = encodeStateCursor(T1, 'users', '77', '0b6c1d0e-6d1f-4a36-9b71-2f7f3b2b1a01');
    expect(decodeStateCursor(T1, 'users', state)).toEqual({ eventsPosition: '77', lastId: '0b6c1d0e-6d1f-4a36-9b71-2f7f3b2b1a01' });
    expect(status(() => decodeStateCursor(T1, 'groups', state))).toBe(400);
    expect(status(() => decodeEventsCursor(T1, state))).toBe(400);
    expect(status(() => decodeStateCursor(T1, 'users', encodeEventsCursor(T1, '77')))).toBe(400);
  });
});

describe('events API parameters', () => {
  it('reads wait as seconds or milliseconds, capped at 30 s', () => {
    expect(parseWaitSeconds(undefined)).toBe(0);
    expect(parseWaitSeconds('30s')).toBe(30);
    expect(parseWaitSeconds('5')).toBe(5);
    expect(parseWaitSeconds('500ms')).toBe(0.5);
    expect(parseWaitSeconds('120s')).toBe(30);
    for (const bad of ['-1', '1m', 'soon', '1e9', ['1', '2']]) expect(status(() => parseWaitSeconds(bad))).toBe(400);
  });

  it('reads limit within its bounds', () => {
    expect(parseLimit(undefined, 100, 1000)).toBe(100);
    expect(parseLimit('7', 100, 1000)).toBe(7);
    for (const bad of ['0', '1001', '1.5', 'x', ['1']]) expect(status(() => parseLimit(bad, 100, 1000))).toBe(400);
  });

  it('reads types as exact names or prefixes', () => {
    expect(parseTypes(undefined)).toBeUndefined();
    expect(parseTypes('dev.scimflow.user.*, dev.scimflow.group.created.v1')).toEqual(['dev.scimflow.user.*', 'dev.scimflow.group.created.v1']);
    for (const bad of ['a%b', 'dev.*.x', ['a', 'b']]) expect(status(() => parseTypes(bad))).toBe(400);
  });
});

describe('pollEvents', () => {
  const ev = (p: number) => ({ position: String(p) });

  it('continues after a full page at its last event, else at the head', async () => {
    const full = await pollEvents({
      after: '3',
      limit: 2,
      waitMs: 0,
      read: async () => ({ events: [ev(4), ev(5)], head: '9', horizon: '0' }),
      wait: async () => undefined,
    });
    expect(full).toEqual({ expired: false, events: [ev(4), ev(5)], next: '5', more: true });
    const filtered = await pollEvents({
      after: '3',
      limit: 5,
      waitMs: 0,
      read: async () => ({ events: [ev(4)], head: '9', horizon: '0' }),
      wait: async () => undefined,
    });
    expect(filtered).toEqual({ expired: false, events: [ev(4)], next: '9', more: false });
  });

  it('is expired for a cursor before the horizon, and starts at the horizon without one', async () => {
    expect(
      await pollEvents({ after: '3', limit: 5, waitMs: 0, read: async () => ({ events: [], head: '9', horizon: '4' }), wait: async () => undefined }),
    ).toEqual({ expired: true });
    expect(
      await pollEvents({ after: '4', limit: 5, waitMs: 0, read: async () => ({ events: [], head: '4', horizon: '4' }), wait: async () => undefined }),
    ).toMatchObject({ expired: false, next: '4' });
    expect(
      await pollEvents({ after: null, limit: 5, waitMs: 0, read: async () => ({ events: [], head: '4', horizon: '4' }), wait: async () => undefined }),
    ).toMatchObject({ expired: false, next: '4' });
  });

  it('long-polls until events arrive, reading on from where it stood, and gives up at the deadline', async () => {
    let t = 0;
    const reads: (string | null)[] = [];
    const pages = [
      { events: [], head: '7', horizon: '0' },
      { events: [], head: '7', horizon: '0' },
      { events: [ev(8)], head: '8', horizon: '0' },
    ];
    const got = await pollEvents({
      after: '2',
      limit: 5,
      waitMs: 30_000,
      now: () => t,
      read: async (a) => (reads.push(a), pages.shift()!),
      wait: async (ms) => void (t += ms),
    });
    expect(got).toEqual({ expired: false, events: [ev(8)], next: '8', more: false });
    expect(reads).toEqual(['2', '7', '7']);
    expect(t).toBe(2000);
    t = 0;
    const none = await pollEvents({
      after: '2',
      limit: 5,
      waitMs: 2500,
      now: () => t,
      read: async () => ({ events: [], head: '2', horizon: '0' }),
      wait: async (ms) => void (t += ms),
    });
    expect(none).toEqual({ expired: false, events: [], next: '2', more: false });
    expect(t).toBe(2500);
  });

  it('answers at once while closing', async () => {
    const got = await pollEvents({
      after: '2',
      limit: 5,
      waitMs: 30_000,
      closed: () => true,
      read: async () => ({ events: [], head: '2', horizon: '0' }),
      wait: () => new Promise(() => undefined),
    });
    expect(got).toMatchObject({ expired: false, events: [] });
  });
});
