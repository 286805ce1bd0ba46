import { backoffDelay } from '@scimflow/contracts';

/** Retry settings of webhook delivery (WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_MS, WEBHOOK_RETRY_HORIZON_MS). */
export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  /** how long after it was queued (or redriven) an event is retried before it becomes a dead letter */
  horizonMs: number;
}

/** What one HTTP attempt produced. */
export type AttemptResult =
  | { kind: 'response'; status: number; retryAfterMs?: number }
  /** no HTTP answer: connection refused or reset, DNS failure, timeout */
  | { kind: 'error'; message: string };

/** What happens to the event after an attempt. */
export type Verdict =
  | { action: 'delivered' }
  /** 410 Gone: the receiver asks us to stop; the subscription is disabled and the event waits for re-enabling */
  | { action: 'gone' }
  | { action: 'retry'; delayMs: number }
  | { action: 'dead-letter' };

export interface AttemptContext {
  /** attempts made so far, including this one (≥ 1) */
  attempts: number;
  /** time since the event was queued or redriven, at the end of this attempt */
  elapsedMs: number;
  policy: RetryPolicy;
  random?: () => number;
}

export const isSuccess = (status: number) => status >= 200 && status <= 299;

/**
 * The Standard Webhooks status handling: 2xx succeeds; 410 disables; everything else (3xx included: redirects
 * are not followed, 4xx, 5xx, no answer) is retried with exponential backoff and jitter, or after the
 * `Retry-After` the receiver asked for, until the horizon; a failure at or past the horizon is a dead letter.
 * The last retry is scheduled at the horizon itself, so the horizon is the retry window, not a rounding of it.
 */
export function decide(result: AttemptResult, ctx: AttemptContext): Verdict {
  if (result.kind === 'response' && isSuccess(result.status)) return { action: 'delivered' };
  if (result.kind === 'response' && result.status === 410) return { action: 'gone' };
  const left = ctx.policy.horizonMs - ctx.elapsedMs;
  if (left <= 0) return { action: 'dead-letter' };
  const retryAfterMs = result.kind === 'response' ? result.retryAfterMs : undefined;
  const delayMs = retryAfterMs !== undefined ? Math.max(retryAfterMs, ctx.policy.baseMs) : retryDelay(ctx.attempts, ctx.policy, ctx.random);
  return { action: 'retry', delayMs: Math.min(delayMs, left) };
}

/** Backoff after the n-th failed attempt (n ≥ 1): about base, 2·base, 4·base … capped at max, with jitter. */
export function retryDelay(attempts: number, policy: Pick<RetryPolicy, 'baseMs' | 'maxMs'>, random: () => number = Math.random): number {
  return backoffDelay(Math.max(0, attempts - 1), policy.baseMs, policy.maxMs, random);
}

/**
 * `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Undefined when absent or unreadable;
 * a date in the past is 0.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (!/[a-z]/i.test(v)) return undefined; // "1.5", "-3": neither form
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

export interface LaneHead {
  /** the head event's `sequence`, if it has one */
  sequence?: number;
  /** the highest sequence this lane already delivered or dead-lettered; undefined: none known */
  lastSequence?: number;
  /** how long the head has been queued */
  queuedForMs: number;
  attempts: number;
}

/**
 * How long to hold a lane's head back for a predecessor that may still be on its way, in ms (0: send now).
 * A user's events come from two topics sharing one sequence (user-changed and membership-changed), consumed
 * independently, so n+1 can be queued a moment before n. When the head is not the next number, it waits until
 * it has been queued for `windowMs`; n arriving meanwhile sorts before it. Only before the first attempt: a
 * gap that stays (the subscription filters the other topic out, or the predecessor was sent before the
 * subscription existed) costs one window, never a stuck lane.
 */
export function reorderDelay(head: LaneHead, windowMs: number): number {
  if (head.sequence === undefined || head.attempts > 0 || windowMs <= 0) return 0;
  const expected = (head.lastSequence ?? 0) + 1;
  if (head.sequence <= expected) return 0;
  return Math.max(0, windowMs - head.queuedForMs);
}
