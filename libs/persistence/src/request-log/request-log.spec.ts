import { partitionDay, partitionName, utcDay } from './request-log';

describe('request log partitions', () => {
  it('names the partition of a moment after its UTC day', () => {
    expect(partitionName(new Date('2026-12-02T23:59:59.999Z'))).toBe('scim_request_log_p20261202');
    expect(partitionName(new Date('2026-12-03T00:00:00.000Z'))).toBe('scim_request_log_p20261203');
    // 01:00 in Paris on the 3rd is still the 2nd in UTC
    expect(partitionName(new Date('2026-12-03T01:00:00+02:00'))).toBe('scim_request_log_p20261202');
  });

  it('reads the day back from a name, and nothing from a name it did not make', () => {
    expect(partitionDay('scim_request_log_p20260228')).toEqual(new Date('2026-02-28T00:00:00Z'));
    for (const name of ['scim_request_log', 'scim_request_log_default', 'scim_request_log_p2026022', 'other_p20260228', 'scim_request_log_p20260228x']) expect(partitionDay(name)).toBeUndefined();
  });

  it('round-trips every day of a leap year', () => {
    for (let d = 0; d < 366; d++) {
      const day = new Date(Date.UTC(2028, 0, 1 + d));
      expect(partitionDay(partitionName(day))).toEqual(day);
    }
  });

  it('starts a day at 00:00 UTC', () => {
    expect(utcDay(new Date('2026-12-02T18:38:00.123Z'))).toEqual(new Date('2026-12-02T00:00:00Z'));
  });
});
