import { AttemptResult, decide, parseRetryAfter, reorderDelay, retryDelay, RetryPolicy } from './delivery-policy';

const policy: RetryPolicy = { baseMs: 1000, maxMs: 60_000, horizonMs: 24 * 3600_000 };
const status = (s: number, retryAfterMs?: number): AttemptResult => ({ kind: 'response', status: s, retryAfterMs });
const timeout: AttemptResult = { kind: 'error', message: 'The operation was aborted due to timeout' };
const mid = () => 0.5;

describe('decide: what happens after an attempt', () => {
  it.each([
    [status(200), 'delivered'],
    [status(204), 'delivered'],
    [status(299), 'delivered'],
    [status(410), 'gone'],
    [status(301), 'retry'], // redirects are not followed
    [status(400), 'retry'],
    [status(404), 'retry'],
    [status(429), 'retry'],
    [status(500), 'retry'],
    [status(503), 'retry'],
    [timeout, 'retry'],
  ])('%j → %s', (result, action) => {
    expect(decide(result, { attempts: 1, elapsedMs: 0, policy, random: mid }).action).toBe(action);
  });

  it('410 disables even past the horizon; 2xx delivers even past the horizon', () => {
    const late = { attempts: 9, elapsedMs: policy.horizonMs + 1, policy };
    expect(decide(status(410), late)).toEqual({ action: 'gone' });
    expect(decide(status(200), late)).toEqual({ action: 'delivered' });
  });

  it('a failure at or after the horizon is a dead letter', () => {
    expect(decide(status(500), { attempts: 30, elapsedMs: policy.horizonMs, policy })).toEqual({ action: 'dead-letter' });
    expect(decide(timeout, { attempts: 30, elapsedMs: policy.horizonMs + 5, policy })).toEqual({ action: 'dead-letter' });
  });

  it('never schedules a retry beyond the horizon: the last one is at the horizon', () => {
    expect(decide(status(500), { attempts: 20, elapsedMs: policy.horizonMs - 250, policy, random: mid })).toEqual({ action: 'retry', delayMs: 250 });
  });

  it('honours Retry-After instead of the backoff, however long or short the backoff would be', () => {
    expect(decide(status(503, 30_000), { attempts: 1, elapsedMs: 0, policy, random: mid })).toEqual({ action: 'retry', delayMs: 30_000 });
    expect(decide(status(429, 5_000), { attempts: 12, elapsedMs: 0, policy, random: mid })).toEqual({ action: 'retry', delayMs: 5_000 });
  });

  it('waits at least the base delay when Retry-After is 0, so a receiver cannot make us spin', () => {
    expect(decide(status(503, 0), { attempts: 1, elapsedMs: 0, policy })).toEqual({ action: 'retry', delayMs: 1000 });
  });

  it('Retry-After is capped by the horizon too', () => {
    expect(decide(status(503, 3600_000), { attempts: 1, elapsedMs: policy.horizonMs - 1000, policy })).toEqual({ action: 'retry', delayMs: 1000 });
  });
});

describe('retryDelay: exponential backoff with jitter', () => {
  it.each([
    [1, 500, 1000],
    [2, 1000, 2000],
    [3, 2000, 4000],
    [6, 16000, 32000],
    [7, 30000, 60000], // capped
    [50, 30000, 60000],
  ])('after attempt %i it lies in [%i, %i]', (attempts, low, high) => {
    expect(retryDelay(attempts, policy, () => 0)).toBe(low);
    expect(retryDelay(attempts, policy, () => 1)).toBe(high);
    const d = retryDelay(attempts, policy);
    expect(d).toBeGreaterThanOrEqual(low);
    expect(d).toBeLessThanOrEqual(high);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-22T10:00:00Z');
  it.each([
    ['120', 120_000],
    [' 3 ', 3000],
    ['0', 0],
    ['Sun, 22 Nov 2026 10:00:30 GMT', 30_000],
    ['Sun, 22 Nov 2026 09:59:00 GMT', 0], // in the past
    ['1.5', undefined],
    ['-3', undefined],
    ['soon', undefined],
    ['', undefined],
    [null, undefined],
  ])('%j → %j ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });
});

describe('reorderDelay: waiting briefly for a predecessor from the other topic', () => {
  const head = { sequence: 5, lastSequence: 4, queuedForMs: 0, attempts: 0 };
  it.each([
    ['the next number goes at once', head, 0],
    ['a lower number (a redrive, a replay) goes at once', { ...head, sequence: 3 }, 0],
    ['a gap waits out the window', { ...head, sequence: 6 }, 2000],
    ['a gap waits only what is left of the window', { ...head, sequence: 6, queuedForMs: 1500 }, 500],
    ['a gap older than the window goes', { ...head, sequence: 6, queuedForMs: 2500 }, 0],
    ['a retried head never waits again', { ...head, sequence: 6, attempts: 1 }, 0],
    ['a lane without history expects 1', { sequence: 1, queuedForMs: 0, attempts: 0 }, 0],
    ['a lane without history holds a later number', { sequence: 3, queuedForMs: 0, attempts: 0 }, 2000],
    ['an event without sequence goes at once', { queuedForMs: 0, attempts: 0 }, 0],
  ])('%s', (_name, h, ms) => {
    expect(reorderDelay(h, 2000)).toBe(ms);
  });
  it('a window of 0 turns it off', () => expect(reorderDelay({ ...head, sequence: 9 }, 0)).toBe(0));
});
