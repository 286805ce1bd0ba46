import { latencyByWindow, slowdown } from './windows';

describe('latencyByWindow', () => {
  const windows = [
    { name: 'before', from: 0, to: 10 },
    { name: 'during', from: 10, to: 20 },
    { name: 'after', from: 20, to: 30 },
  ];

  it('puts each request in the window it was scheduled in, however late its answer', () => {
    const samples = [
      { at: 1, ms: 5, ok: true },
      { at: 9.99, ms: 400, ok: true }, // answered during the burst, counted before it: it was due before
      { at: 10, ms: 50, ok: false },
      { at: 19, ms: 70, ok: true },
      { at: 25, ms: 6, ok: true },
      { at: 30, ms: 1, ok: true }, // outside every window
    ];
    const w = latencyByWindow(samples, windows);
    expect(w.before).toMatchObject({ requests: 2, errors: 0, latencyMs: { max: 400, p50: 400 } });
    expect(w.during).toMatchObject({ requests: 2, errors: 1, latencyMs: { p50: 70, max: 70, mean: 60 } });
    expect(w.after).toMatchObject({ requests: 1, errors: 0, latencyMs: { p99: 6 } });
  });

  it('reports an empty window as zeros rather than failing', () => {
    expect(latencyByWindow([], windows).during).toEqual({ requests: 0, errors: 0, latencyMs: { p50: 0, p95: 0, p99: 0, max: 0, mean: 0 } });
  });
});

describe('slowdown', () => {
  it('is during ÷ baseline to two decimals', () => {
    expect(slowdown(30, 10)).toBe(3);
    expect(slowdown(10, 3)).toBe(3.33);
    expect(slowdown(5, 10)).toBe(0.5);
  });

  it('is null without a baseline, not infinite', () => {
    expect(slowdown(30, 0)).toBeNull();
  });
});
