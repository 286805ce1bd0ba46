import { BatchWriter, BatchWriterOptions } from './batch-writer';

function writer(overrides: Partial<BatchWriterOptions<number>> = {}) {
  const batches: number[][] = [];
  const dropped: number[] = [];
  const errors: { error: unknown; lost: number }[] = [];
  const w = new BatchWriter<number>({
    write: async (b) => void batches.push(b),
    intervalMs: 500,
    maxBatch: 3,
    maxQueued: 10,
    onDropped: (n) => dropped.push(n),
    onError: (error, lost) => errors.push({ error, lost }),
    ...overrides,
  });
  return { w, batches, dropped, errors };
}

describe('BatchWriter', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('writes a partial batch after the interval, not before', async () => {
    const { w, batches } = writer();
    w.add(1);
    w.add(2);
    await jest.advanceTimersByTimeAsync(499);
    expect(batches).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(batches).toEqual([[1, 2]]);
  });

  it('writes a full batch at once, and the rest in batches of at most maxBatch', async () => {
    const { w, batches } = writer();
    for (let i = 1; i <= 7; i++) w.add(i);
    await jest.advanceTimersByTimeAsync(0);
    expect(batches[0]).toEqual([1, 2, 3]);
    await jest.advanceTimersByTimeAsync(0);
    expect(batches.slice(0, 2)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    await jest.advanceTimersByTimeAsync(500);
    expect(batches).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  it('writes one batch at a time', async () => {
    let release!: () => void;
    let concurrent = 0;
    let most = 0;
    const { w } = writer({
      write: () => {
        most = Math.max(most, ++concurrent);
        return new Promise<void>((r) => (release = () => (concurrent--, r())));
      },
    });
    for (let i = 0; i < 6; i++) w.add(i);
    await jest.advanceTimersByTimeAsync(0);
    expect(w.pending).toBe(6);
    release();
    await jest.advanceTimersByTimeAsync(0);
    release();
    await jest.advanceTimersByTimeAsync(0);
    expect(most).toBe(1);
    expect(w.pending).toBe(0);
  });

  it('drops and counts entries beyond maxQueued while a write is slow, and never throws', async () => {
    let release!: () => void;
    const { w, dropped } = writer({ write: () => new Promise<void>((r) => (release = r)), maxQueued: 4 });
    for (let i = 0; i < 6; i++) expect(() => w.add(i)).not.toThrow();
    expect(dropped).toEqual([1, 1]);
    expect(w.pending).toBe(4);
    release();
    await jest.advanceTimersByTimeAsync(0);
    w.add(9); // room again once the batch is written
    expect(dropped).toEqual([1, 1]);
  });

  it('drops entries that would take the queued weight over maxQueuedWeight', async () => {
    let release!: () => void;
    const { w, dropped } = writer({ write: () => new Promise<void>((r) => (release = r)), weigh: (n) => n, maxQueuedWeight: 100, maxBatch: 2 });
    w.add(60);
    w.add(30);
    await jest.advanceTimersByTimeAsync(0); // both in flight
    w.add(20); // 110 > 100
    expect(dropped).toEqual([1]);
    w.add(10);
    expect(w.pendingWeight).toBe(100);
    release();
    await jest.advanceTimersByTimeAsync(0);
    expect(w.pendingWeight).toBe(10);
    w.add(90);
    expect(dropped).toEqual([1]);
  });

  it('reports a failed write with the entries it lost, and goes on with the next batch', async () => {
    let calls = 0;
    const { w, errors, batches } = writer({
      write: async (b) => {
        if (calls++ === 0) throw new Error('database down');
        batches.push(b);
      },
    });
    for (let i = 1; i <= 4; i++) w.add(i);
    await w.flush();
    expect(errors).toEqual([{ error: new Error('database down'), lost: 3 }]);
    expect(batches).toEqual([[4]]);
  });

  it('flush writes everything queued, without waiting for the interval', async () => {
    const { w, batches } = writer();
    for (let i = 1; i <= 5; i++) w.add(i);
    await w.flush();
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    await w.flush(); // nothing left: resolves at once
    expect(batches).toHaveLength(2);
  });
});
