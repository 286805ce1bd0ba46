import { TokenBuckets } from './token-bucket';

describe('TokenBuckets', () => {
  let now: number;
  let buckets: TokenBuckets;
  beforeEach(() => {
    now = 1_000_000;
    buckets = new TokenBuckets(() => now);
  });

  it('allows a burst, then refuses with the seconds until the next token', () => {
    const limit = { perSecond: 2, burst: 3 };
    expect([1, 2, 3].map(() => buckets.take('a', limit).allowed)).toEqual([true, true, true]);
    expect(buckets.take('a', limit)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('refills at the sustained rate, never above the burst', () => {
    const limit = { perSecond: 10, burst: 5 };
    for (let i = 0; i < 5; i++) buckets.take('a', limit);
    expect(buckets.take('a', limit).allowed).toBe(false);
    now += 100; // one token
    expect(buckets.take('a', limit).allowed).toBe(true);
    expect(buckets.take('a', limit).allowed).toBe(false);
    now += 60_000; // long quiet: back to the burst, not 600
    const allowed = Array.from({ length: 10 }, () => buckets.take('a', limit).allowed).filter(Boolean).length;
    expect(allowed).toBe(5);
  });

  it('Retry-After rounds up and is at least 1', () => {
    const slow = { perSecond: 0.25, burst: 1 };
    buckets.take('a', slow);
    expect(buckets.take('a', slow)).toEqual({ allowed: false, retryAfterSeconds: 4 });
    now += 1000;
    expect(buckets.take('a', slow)).toEqual({ allowed: false, retryAfterSeconds: 3 });
    const fast = { perSecond: 1000, burst: 1 };
    buckets.take('b', fast);
    expect(buckets.take('b', fast)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('keeps tenants apart', () => {
    const limit = { perSecond: 1, burst: 1 };
    expect(buckets.take('a', limit).allowed).toBe(true);
    expect(buckets.take('a', limit).allowed).toBe(false);
    expect(buckets.take('b', limit).allowed).toBe(true);
  });

  it('starts full when the limit of a key changes, and after forget', () => {
    buckets.take('a', { perSecond: 1, burst: 1 });
    expect(buckets.take('a', { perSecond: 1, burst: 1 }).allowed).toBe(false);
    expect(buckets.take('a', { perSecond: 1, burst: 2 }).allowed).toBe(true);
    buckets.take('a', { perSecond: 1, burst: 2 });
    expect(buckets.take('a', { perSecond: 1, burst: 2 }).allowed).toBe(false);
    buckets.forget('a');
    expect(buckets.take('a', { perSecond: 1, burst: 2 }).allowed).toBe(true);
  });

  it('a clock going backwards adds nothing', () => {
    const limit = { perSecond: 1, burst: 1 };
    buckets.take('a', limit);
    now -= 10_000;
    expect(buckets.take('a', limit).allowed).toBe(false);
  });

  it('reports the remaining whole tokens', () => {
    expect(buckets.take('a', { perSecond: 1, burst: 3 })).toEqual({ allowed: true, remaining: 2 });
  });
});
