import fc from 'fast-check';
import { BatchGatherer } from './batch-gatherer';

const nextTurn = () => new Promise((r) => setImmediate(r));

describe('BatchGatherer', () => {
  it('hands batches added in the same turn to one call, each batch whole and in the order added', async () => {
    const calls: number[][] = [];
    const g = new BatchGatherer<number>(async (records) => void calls.push(records), 100);
    await Promise.all([g.add([1, 2]), Promise.resolve().then(() => g.add([3])), g.add([4, 5, 6])]);
    expect(calls).toEqual([[1, 2, 4, 5, 6, 3]]);
  });

  it('starts a new call for batches added after the last one was handed over', async () => {
    const calls: number[][] = [];
    const g = new BatchGatherer<number>(async (records) => void calls.push(records), 100);
    const first = g.add([1]);
    await nextTurn();
    const second = g.add([2]);
    await Promise.all([first, second]);
    expect(calls).toEqual([[1], [2]]);
  });

  it('never puts more than maxRecords in one call unless a single batch is larger, and never splits a batch', async () => {
    const calls: number[][] = [];
    const g = new BatchGatherer<number>(async (records) => void calls.push(records), 4);
    await Promise.all([g.add([1, 2, 3]), g.add([4, 5]), g.add([6]), g.add([7, 8, 9, 10, 11]), g.add([12])]);
    // [4,5] would make 5 → a new call, which [6] joins; [7..11] is over the maximum alone, so [12] starts another
    expect(calls).toEqual([[1, 2, 3], [4, 5, 6], [7, 8, 9, 10, 11], [12]]);
  });

  it('runs the calls of one turn concurrently', async () => {
    let inFlight = 0;
    let peak = 0;
    const g = new BatchGatherer<number>(async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
    }, 2);
    await Promise.all([g.add([1, 2]), g.add([3, 4]), g.add([5, 6])]);
    expect(peak).toBe(3);
  });

  it('rejects every batch of a failed call and no batch of another', async () => {
    const g = new BatchGatherer<number>(async (records) => {
      if (records.includes(1)) throw new Error('database down');
    }, 2);
    const results = await Promise.allSettled([g.add([1]), g.add([2]), g.add([3])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect((results[0] as PromiseRejectedResult).reason.message).toBe('database down');
  });

  it('settles an empty batch at once without a call', async () => {
    const handle = jest.fn(async () => undefined);
    const g = new BatchGatherer<number>(handle, 10);
    await g.add([]);
    await nextTurn();
    expect(handle).not.toHaveBeenCalled();
  });

  it('refuses a maximum below one', () => {
    expect(() => new BatchGatherer<number>(async () => undefined, 0)).toThrow(RangeError);
  });

  it('hands over every record exactly once, batches whole and in the order added, within the maximum', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 20 }), fc.integer({ min: 1, max: 8 }), async (sizes, max) => {
        const calls: number[][] = [];
        const g = new BatchGatherer<number>(async (records) => void calls.push(records), max);
        let n = 0;
        const batches = sizes.map((size) => Array.from({ length: size }, () => n++));
        await Promise.all(batches.map((b) => g.add(b)));
        // every record once and in the order added (a call is open until the next one opens)
        expect(calls.flat()).toEqual(batches.flat());
        for (const b of batches.filter((b) => b.length)) expect(calls.some((c) => b.every((r) => c.includes(r)))).toBe(true);
        for (const c of calls) expect(c.length <= max || batches.some((b) => b.length === c.length && b[0] === c[0])).toBe(true);
      }),
    );
  });
});
