import { LoadResult, percentiles } from './load';

/** One request of an open-loop stream: when it was scheduled (performance.now() clock), how long it took, whether it succeeded. */
export interface Sample {
  at: number;
  ms: number;
  ok: boolean;
}

/** A span of scheduled send times, [from, to). */
export interface Window {
  name: string;
  from: number;
  to: number;
}

export interface WindowLatency {
  requests: number;
  errors: number;
  latencyMs: LoadResult['latencyMs'];
}

/**
 * The stream's latency in each window, by scheduled send time: a request belongs to the window it was due in,
 * however late it was answered, so queueing that a burst causes counts against the burst's window.
 */
export function latencyByWindow(samples: Sample[], windows: Window[]): Record<string, WindowLatency> {
  return Object.fromEntries(
    windows.map((w) => {
      const inside = samples.filter((s) => s.at >= w.from && s.at < w.to);
      return [w.name, { requests: inside.length, errors: inside.filter((s) => !s.ok).length, latencyMs: percentiles(inside.map((s) => s.ms)) }];
    }),
  );
}

/** during ÷ baseline, to two decimals; null when there is no baseline to compare with. */
export function slowdown(during: number, baseline: number): number | null {
  return baseline > 0 ? Math.round((during / baseline) * 100) / 100 : null;
}
