import { UsageError } from '../verb';

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 };

/** A duration like `90s`, `30m`, `24h`, `7d` (or `0`), in ms. */
export function parseDuration(value: string, option: string): number {
  const m = /^(\d+)([smhd])$/.exec(value.trim());
  if (value.trim() === '0') return 0;
  if (!m) throw new UsageError(`${option} must be a duration like 30m, 24h or 7d: ${value}`);
  return Number(m[1]) * UNITS[m[2]];
}

/** `--since`: an ISO timestamp, or a duration meaning that long ago. */
export function parseSince(value: string | undefined, now = Date.now()): Date | undefined {
  if (value === undefined) return undefined;
  if (/^\d+[smhd]$/.test(value.trim())) return new Date(now - parseDuration(value, '--since'));
  const at = Date.parse(value);
  if (Number.isNaN(at) || !/^\d{4}-\d{2}-\d{2}/.test(value)) throw new UsageError(`--since must be an ISO timestamp or a duration like 1h: ${value}`);
  return new Date(at);
}

export function parseLimit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--limit must be a positive integer: ${value}`);
  return Number(value);
}
