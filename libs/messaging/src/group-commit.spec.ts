import fc from 'fast-check';
import { GroupCommit, Submission } from './group-commit';

const nextTurn = () => new Promise((r) => setImmediate(r));

/** A commit whose calls are recorded and finished by the test. */
function controlled<T>() {
  const calls: { items: T[]; group: Submission<T, string>[]; finish: (e?: Error) => void }[] = [];
  const commit = (group: Submission<T, string>[]) =>
    new Promise<void>((resolve, reject) => {
      calls.push({
        items: group.map((s) => s.item),
        group,
        finish: (e) => {
          if (e) return reject(e);
          group.forEach((s) => s.resolve(`done ${String(s.item)}`));
          resolve();
        },
      });
    });
  return { calls, commit };
}

/** A commit that answers at once, recording its groups. */
function recording<T>() {
  const groups: T[][] = [];
  return { groups, commit: async (group: Submission<T, void>[]) => void (groups.push(group.map((s) => s.item)), group.forEach((s) => s.resolve())) };
}

describe('GroupCommit', () => {
  it('commits the items submitted in one turn as one group, in the order submitted, each answered with its own result', async () => {
    const g = new GroupCommit<number, string>({ maxSize: 100, commit: async (group) => group.forEach((s) => s.resolve(`r${s.item}`)) });
    const results = await Promise.all([g.submit(1), Promise.resolve().then(() => g.submit(2)), g.submit(3)]);
    expect(results).toEqual(['r1', 'r2', 'r3']);
  });

  it('gathers what is submitted during a commit into the next one, committed after it (concurrency 1)', async () => {
    const { calls, commit } = controlled<number>();
    const g = new GroupCommit<number, string>({ maxSize: 100, commit });
    const first = g.submit(1);
    await nextTurn();
    expect(calls.map((c) => c.items)).toEqual([[1]]);
    const later = [g.submit(2), g.submit(3)];
    await nextTurn();
    await nextTurn();
    expect(calls).toHaveLength(1); // nothing overlaps the commit in flight
    calls[0].finish();
    expect(await first).toBe('done 1');
    await nextTurn();
    expect(calls.map((c) => c.items)).toEqual([[1], [2, 3]]);
    calls[1].finish();
    expect(await Promise.all(later)).toEqual(['done 2', 'done 3']);
  });

  it('starts a new group for items submitted after the last group was committed', async () => {
    const { groups, commit } = recording<number>();
    const g = new GroupCommit<number>({ maxSize: 100, commit });
    await g.submit(1);
    await g.submit(2);
    expect(groups).toEqual([[1], [2]]);
  });

  it('never puts more than maxSize of weight in a group unless one item is heavier, and never splits an item', async () => {
    const { groups, commit } = recording<number[]>();
    const g = new GroupCommit<number[]>({ maxSize: 4, weigh: (b) => b.length, commit });
    await Promise.all([[1, 2, 3], [4, 5], [6], [7, 8, 9, 10, 11], [12]].map((b) => g.submit(b)));
    // [4,5] would make 5: a new group, which [6] joins; [7..11] is over the maximum alone, so [12] starts another
    expect(groups).toEqual([[[1, 2, 3]], [[4, 5], [6]], [[7, 8, 9, 10, 11]], [[12]]]);
  });

  it('commits the groups of one turn one after another with concurrency 1', async () => {
    const { calls, commit } = controlled<number>();
    const g = new GroupCommit<number, string>({ maxSize: 2, commit });
    const all = Promise.all([1, 2, 3, 4, 5].map((n) => g.submit(n)));
    await nextTurn();
    expect(calls.map((c) => c.items)).toEqual([[1, 2]]);
    calls[0].finish();
    await nextTurn();
    expect(calls.map((c) => c.items)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    calls[1].finish();
    await nextTurn();
    calls[2].finish();
    expect(await all).toEqual(['done 1', 'done 2', 'done 3', 'done 4', 'done 5']);
    expect(calls.map((c) => c.items)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('commits up to `concurrency` groups at once', async () => {
    const { calls, commit } = controlled<number>();
    const g = new GroupCommit<number, string>({ maxSize: 1, concurrency: 2, commit });
    const all = Promise.all([1, 2, 3].map((n) => g.submit(n)));
    await nextTurn();
    expect(calls.map((c) => c.items)).toEqual([[1], [2]]);
    calls[1].finish();
    await nextTurn();
    expect(calls.map((c) => c.items)).toEqual([[1], [2], [3]]);
    calls[0].finish();
    calls[2].finish();
    await all;
  });

  it('with unbounded concurrency, commits every group of a turn at once and opens a group for each later turn', async () => {
    const { calls, commit } = controlled<number>();
    const g = new GroupCommit<number, string>({ maxSize: 2, concurrency: Infinity, commit });
    const first = Promise.all([1, 2, 3, 4, 5].map((n) => g.submit(n)));
    await nextTurn();
    expect(calls.map((c) => c.items)).toEqual([[1, 2], [3, 4], [5]]);
    const later = g.submit(6);
    await nextTurn();
    expect(calls.map((c) => c.items)).toEqual([[1, 2], [3, 4], [5], [6]]);
    calls.forEach((c) => c.finish());
    await Promise.all([first, later]);
  });

  it('fails every item of a failed group that the commit did not settle, and no item of another group', async () => {
    const g = new GroupCommit<number, string>({
      maxSize: 3,
      commit: async (group) => {
        group[0].resolve('settled before the failure');
        if (group.some((s) => s.item === 2)) throw new Error('database down');
        group.forEach((s) => s.resolve('ok'));
      },
    });
    const results = await Promise.allSettled([1, 2, 3, 4].map((n) => g.submit(n)));
    expect(results).toEqual([
      { status: 'fulfilled', value: 'settled before the failure' },
      { status: 'rejected', reason: new Error('database down') },
      { status: 'rejected', reason: new Error('database down') },
      { status: 'fulfilled', value: 'settled before the failure' },
    ]);
  });

  it('lets the commit fail items one by one and answer the others', async () => {
    const g = new GroupCommit<number, number>({
      maxSize: 10,
      commit: async (group) => group.forEach((s) => (s.item % 2 ? s.reject(new Error(`odd ${s.item}`)) : s.resolve(s.item * 10))),
    });
    const results = await Promise.allSettled([1, 2, 3, 4].map((n) => g.submit(n)));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual(['odd 1', 20, 'odd 3', 40]);
  });

  it('fails an item the commit left without a result', async () => {
    const g = new GroupCommit<number, string>({ maxSize: 10, commit: async (group) => group[0].resolve('only the first') });
    const results = await Promise.allSettled([g.submit(1), g.submit(2)]);
    expect(results[0]).toEqual({ status: 'fulfilled', value: 'only the first' });
    expect(results[1].status).toBe('rejected');
  });

  it('keeps the first settlement of an item', async () => {
    const g = new GroupCommit<number, string>({
      maxSize: 10,
      commit: async (group) => {
        group[0].resolve('first');
        group[0].reject(new Error('second'));
        group[0].resolve('third');
      },
    });
    await expect(g.submit(1)).resolves.toBe('first');
  });

  it('drains: resolves once everything submitted, and anything submitted meanwhile, is committed', async () => {
    const { calls, commit } = controlled<number>();
    const g = new GroupCommit<number, string>({ maxSize: 1, commit });
    void g.submit(1);
    void g.submit(2);
    let drained = false;
    const drain = g.drain().then(() => (drained = true));
    await nextTurn();
    void g.submit(3);
    for (let i = 0; i < 3; i++) {
      await nextTurn();
      expect(drained).toBe(false);
      calls[i].finish();
    }
    await drain;
    expect(calls.map((c) => c.items)).toEqual([[1], [2], [3]]);
  });

  it('drains at once when nothing was submitted', async () => {
    await new GroupCommit<number>({ maxSize: 1, commit: async () => undefined }).drain();
  });

  it('refuses a maximum or a concurrency below one', () => {
    expect(() => new GroupCommit<number>({ maxSize: 0, commit: async () => undefined })).toThrow(RangeError);
    expect(() => new GroupCommit<number>({ maxSize: 1, concurrency: 0, commit: async () => undefined })).toThrow(RangeError);
  });

  it('commits every item exactly once, in the order submitted, groups within the maximum', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 20 }),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom(1, 2, Infinity),
        async (sizes, max, concurrency) => {
          const { groups, commit } = recording<number[]>();
          const g = new GroupCommit<number[]>({ maxSize: max, weigh: (b) => b.length, concurrency, commit });
          let n = 0;
          const batches = sizes.map((size) => Array.from({ length: size }, () => n++));
          await Promise.all(batches.map((b) => g.submit(b)));
          expect(groups.flat()).toEqual(batches);
          for (const group of groups) expect(group.length === 1 || group.reduce((w, b) => w + b.length, 0) <= max).toBe(true);
        },
      ),
    );
  });
});
