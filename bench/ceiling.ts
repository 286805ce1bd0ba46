/**
 * What the machine's cores allow, from CPU time measured per unit of work. A throughput target above this ceiling
 * cannot be met on the machine by tuning the waits between stages: only by making the work itself cheaper, or by
 * more cores.
 */
export interface CpuCeiling {
  /** the most units per second the cores could do if they did nothing but this work */
  perSecond: number;
  /** CPU time per unit summed over the processes measured, ms */
  cpuMs: number;
  cores: number;
}

/**
 * cores × 1000 / (CPU ms per unit summed over the processes on the path). An upper bound: processes left out (the
 * load generator, a webhook receiver), stages waiting on each other and everything else on the machine only lower
 * it. Undefined when nothing was measured (process times are read in 10 ms ticks, so a tiny run may show none).
 */
export function cpuCeiling(cpuMsPerUnit: Record<string, number>, cores: number): CpuCeiling | undefined {
  const cpuMs = Object.values(cpuMsPerUnit).reduce((sum, ms) => sum + ms, 0);
  if (!(cpuMs > 0) || !(cores > 0)) return undefined;
  return { perSecond: Math.floor((cores * 1000) / cpuMs), cpuMs: Math.round(cpuMs * 1000) / 1000, cores };
}

/** A throughput verdict's line: value, target, and the ceiling beside them when one was measured. */
export function throughputLine(target: string, value: number, limit: number, unit: string, ceiling?: CpuCeiling): string {
  const head = `${value >= limit ? 'PASS' : 'FAIL'}  ${target}: ${value} (target ${limit}`;
  if (!ceiling) return `${head})`;
  const above = ceiling.perSecond < limit ? '; the target is above what these cores allow at this cost' : '';
  return `${head}; CPU ceiling ${ceiling.perSecond}/s = ${ceiling.cores} cores ÷ ${ceiling.cpuMs} ms per ${unit}${above})`;
}
