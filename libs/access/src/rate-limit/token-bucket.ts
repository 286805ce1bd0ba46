import type { RateLimit } from '@scimflow/contracts';

/** Largest per-tenant rate (and burst) that can be set: far above what one instance serves, well inside a Postgres integer. */
export const MAX_RATE_LIMIT = 1_000_000;

export type RateDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
  limit: RateLimit;
}

/**
 * Token buckets by key (a tenant), in memory. Each ingress instance limits on its own, so with N
 * instances behind a balancer a tenant gets up to N times the limit; that is enough to protect one
 * instance and keeps the hot path free of shared state.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number = Date.now) {}

  take(key: string, limit: RateLimit): RateDecision {
    const t = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket || bucket.limit.perSecond !== limit.perSecond || bucket.limit.burst !== limit.burst) {
      // new key, or its limit was changed: start full, so a change never punishes a tenant
      bucket = { tokens: limit.burst, at: t, limit: { ...limit } };
      this.buckets.set(key, bucket);
    } else {
      const elapsed = Math.max(0, t - bucket.at) / 1000;
      bucket.tokens = Math.min(limit.burst, bucket.tokens + elapsed * limit.perSecond);
      bucket.at = t;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, remaining: Math.floor(bucket.tokens) };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / limit.perSecond)) };
  }

  forget(key: string): void {
    this.buckets.delete(key);
  }
}
