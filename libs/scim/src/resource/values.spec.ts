import { deepEqual, isPlainObject } from './values';

describe('isPlainObject', () => {
  it('is true for a JSON object, also an empty one or one without a prototype', () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject({ a: [1] })).toBe(true);
    expect(isPlainObject(Object.create(null))).toBe(true);
  });

  it.each([null, undefined, [], [{}], 'x', 0, true])('is false for %p', (value) => {
    expect(isPlainObject(value)).toBe(false);
  });
});

describe('deepEqual', () => {
  it('compares objects by their members, whatever the key order', () => {
    expect(deepEqual({ a: 1, b: { c: [1, 'x'] } }, { b: { c: [1, 'x'] }, a: 1 })).toBe(true);
    expect(deepEqual({ a: 1 }, { a: 2 })).toBe(false);
    expect(deepEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
  });

  it('reads a member whose value is undefined as absent', () => {
    expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(deepEqual({ a: undefined }, {})).toBe(true);
    expect(deepEqual({ a: null }, {})).toBe(false);
  });

  it('compares arrays in order', () => {
    expect(deepEqual([1, 2], [1, 2])).toBe(true);
    expect(deepEqual([1, 2], [2, 1])).toBe(false);
    expect(deepEqual([1], [1, 1])).toBe(false);
  });

  it('tells apart values of different kinds', () => {
    expect(deepEqual([], {})).toBe(false);
    expect(deepEqual(null, {})).toBe(false);
    expect(deepEqual(null, undefined)).toBe(false);
    expect(deepEqual('1', 1)).toBe(false);
    expect(deepEqual(0, false)).toBe(false);
    expect(deepEqual(null, null)).toBe(true);
  });
});
