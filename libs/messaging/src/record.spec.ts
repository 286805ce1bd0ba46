import { ConsumedRecord, decodeHeaders, forEachConcurrently, groupByKey } from './record';

const rec = (key: string | null, offset: number): ConsumedRecord => ({
  topic: 't',
  partition: 0,
  offset: String(offset),
  key,
  value: null,
  headers: {},
  timestamp: '0',
});

describe('groupByKey', () => {
  it('keeps offset order within a key and first-seen order across keys', () => {
    const groups = groupByKey([rec('a', 1), rec('b', 2), rec('a', 3), rec('c', 4), rec('b', 5)]);
    expect(groups.map((g) => g.map((r) => Number(r.offset)))).toEqual([[1, 3], [2, 5], [4]]);
  });
  it('treats keyless records as independent', () => {
    expect(groupByKey([rec(null, 1), rec(null, 2)])).toHaveLength(2);
  });
});

describe('decodeHeaders', () => {
  it('decodes buffers and arrays, skips undefined', () => {
    expect(decodeHeaders({ a: Buffer.from('x'), b: [Buffer.from('y'), Buffer.from('z')], c: undefined, d: 'w' })).toEqual({
      a: 'x',
      b: 'y',
      d: 'w',
    });
  });
});

describe('forEachConcurrently', () => {
  it('never exceeds the limit and visits every item', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachConcurrently([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      seen.push(n);
      inFlight--;
    });
    expect(peak).toBe(3);
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
  it('finishes the other items before reporting the first failure', async () => {
    const seen: number[] = [];
    await expect(
      forEachConcurrently([1, 2, 3], 2, async (n) => {
        if (n === 1) throw new Error('boom');
        seen.push(n);
      }),
    ).rejects.toThrow('boom');
    expect(seen.sort()).toEqual([2, 3]);
  });
});
