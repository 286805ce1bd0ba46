import { groupsThatFit } from './directory-state';

describe('groupsThatFit', () => {
  it('takes up to the limit while the members fit, and at least one group', () => {
    expect(groupsThatFit([1, 1, 1, 1], 3, 100)).toBe(3);
    expect(groupsThatFit([50, 40, 20], 10, 100)).toBe(2);
    expect(groupsThatFit([50, 50], 10, 100)).toBe(2);
    expect(groupsThatFit([500, 1], 10, 100)).toBe(1);
    expect(groupsThatFit([], 10, 100)).toBe(0);
  });
});
