import { gatherBatches } from './ordered-consumer';

describe('gatherBatches', () => {
  it('hands the batches of one turn to one call, each batch whole, in the order handed over', async () => {
    const calls: number[][] = [];
    const add = gatherBatches<number>(async (records) => void calls.push(records), 100);
    await Promise.all([add([1, 2]), Promise.resolve().then(() => add([3])), add([4, 5, 6])]);
    expect(calls).toEqual([[1, 2, 4, 5, 6, 3]]);
  });

  it('runs the calls of one turn concurrently when the batches exceed the maximum', async () => {
    const release: (() => void)[] = [];
    const calls: number[][] = [];
    const add = gatherBatches<number>((records) => new Promise((r) => (calls.push(records), release.push(r))), 2);
    const all = Promise.all([add([1, 2]), add([3, 4]), add([5])]);
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual([[1, 2], [3, 4], [5]]);
    release.forEach((r) => r());
    await all;
  });

  it('fails every batch of a failed call and no batch of another', async () => {
    const add = gatherBatches<number>(async (records) => {
      if (records.includes(1)) throw new Error('database down');
    }, 2);
    const results = await Promise.allSettled([add([1]), add([2]), add([3])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
  });

  it('settles an empty batch at once without a call', async () => {
    const handle = jest.fn(async () => undefined);
    await gatherBatches<number>(handle, 10)([]);
    await new Promise((r) => setImmediate(r));
    expect(handle).not.toHaveBeenCalled();
  });
});
