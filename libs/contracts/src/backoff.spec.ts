import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  it('grows exponentially from the base', () => {
    expect(backoffDelay(0, 100, 10_000, () => 1)).toBe(100);
    expect(backoffDelay(1, 100, 10_000, () => 1)).toBe(200);
    expect(backoffDelay(4, 100, 10_000, () => 1)).toBe(1600);
  });
  it('is capped', () => {
    expect(backoffDelay(50, 100, 10_000, () => 1)).toBe(10_000);
  });
  it('keeps at least half the ceiling so retries never stampede at zero delay', () => {
    expect(backoffDelay(3, 100, 10_000, () => 0)).toBe(400);
  });
});
