import { UsageError } from '../verb';
import { parseDuration, parseLimit, parseSince } from './time-args';

describe('scimctl time arguments', () => {
  it.each([
    ['0', 0],
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['24h', 86_400_000],
    ['7d', 604_800_000],
  ])('duration %s = %i ms', (v, ms) => expect(parseDuration(v, '--overlap')).toBe(ms));

  it.each(['', '1', '1.5h', '-1h', '1w', 'h'])('duration %j is a usage error', (v) => {
    expect(() => parseDuration(v, '--overlap')).toThrow(UsageError);
  });

  const now = Date.parse('2026-11-22T10:00:00Z');
  it.each([
    ['1h', '2026-11-22T09:00:00.000Z'],
    ['2d', '2026-11-20T10:00:00.000Z'],
    ['2026-11-21T08:30:00Z', '2026-11-21T08:30:00.000Z'],
    ['2026-11-21', '2026-11-21T00:00:00.000Z'],
  ])('--since %s = %s', (v, iso) => expect(parseSince(v, now)!.toISOString()).toBe(iso));

  it.each(['yesterday', '11/21/2026', '5'])('--since %j is a usage error', (v) => expect(() => parseSince(v, now)).toThrow(UsageError));

  it('absent --since and --limit mean no bound', () => {
    expect(parseSince(undefined)).toBeUndefined();
    expect(parseLimit(undefined)).toBeUndefined();
  });

  it.each(['0', '-1', 'ten', '2.5'])('--limit %j is a usage error', (v) => expect(() => parseLimit(v)).toThrow(UsageError));
});
