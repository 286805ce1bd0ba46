import { REQUEST_LOG_PARTITIONS } from '../request-log/request-log';
import { TENANT_EVENT_PARTITIONS } from '../events/tenant-events';
import { DailyPartitions, utcDay } from './daily-partitions';

describe('daily partitions', () => {
  const log = REQUEST_LOG_PARTITIONS;

  it('names the partition of a moment after its UTC day', () => {
    expect(log.nameOf(new Date('2026-12-02T23:59:59.999Z'))).toBe('scim_request_log_p20261202');
    expect(log.nameOf(new Date('2026-12-03T00:00:00.000Z'))).toBe('scim_request_log_p20261203');
    // 01:00 in Paris on the 3rd is still the 2nd in UTC
    expect(log.nameOf(new Date('2026-12-03T01:00:00+02:00'))).toBe('scim_request_log_p20261202');
    expect(TENANT_EVENT_PARTITIONS.nameOf(new Date('2026-12-06T23:59:59Z'))).toBe('tenant_events_p20261206');
  });

  it('reads the day back from a name, and nothing from a name it did not make', () => {
    expect(log.dayOf('scim_request_log_p20260228')).toEqual(new Date('2026-02-28T00:00:00Z'));
    for (const name of [
      'scim_request_log',
      'scim_request_log_default',
      'scim_request_log_p2026022',
      'other_p20260228',
      'scim_request_log_p20260228x',
      'tenant_events_p20260228',
    ])
      expect(log.dayOf(name)).toBeUndefined();
  });

  it('round-trips every day of a leap year', () => {
    for (let d = 0; d < 366; d++) {
      const day = new Date(Date.UTC(2028, 0, 1 + d));
      expect(log.dayOf(log.nameOf(day))).toEqual(day);
    }
  });

  it('starts a day at 00:00 UTC', () => {
    expect(utcDay(new Date('2026-12-02T18:38:00.123Z'))).toEqual(new Date('2026-12-02T00:00:00Z'));
  });

  it('plans the day before through daysAhead days after, less the partitions that exist', () => {
    const now = new Date('2026-12-02T18:38:00Z');
    expect(log.missing([], now, 1)).toEqual([
      { name: 'scim_request_log_p20261201', from: new Date('2026-12-01T00:00:00Z'), to: new Date('2026-12-02T00:00:00Z') },
      { name: 'scim_request_log_p20261202', from: new Date('2026-12-02T00:00:00Z'), to: new Date('2026-12-03T00:00:00Z') },
      { name: 'scim_request_log_p20261203', from: new Date('2026-12-03T00:00:00Z'), to: new Date('2026-12-04T00:00:00Z') },
    ]);
    expect(log.missing(['scim_request_log_p20261201', 'scim_request_log_p20261203'], now, 1).map((p) => p.name)).toEqual(['scim_request_log_p20261202']);
    expect(log.missing([], now, 0).map((p) => p.name)).toEqual(['scim_request_log_p20261201', 'scim_request_log_p20261202']);
  });

  it('expires a partition once its whole day ended retentionDays before now, and no name it did not make', () => {
    const names = [
      'scim_request_log_p20261029',
      'scim_request_log_p20261030',
      'scim_request_log_p20261031',
      'scim_request_log_default',
      'tenant_events_p20200101',
    ];
    // 30 days before 2026-12-01T00:00Z is 2026-11-01T00:00Z, when the 31st of October ends
    expect(log.expired(names, new Date('2026-12-01T00:00:00Z'), 30)).toEqual([
      'scim_request_log_p20261029',
      'scim_request_log_p20261030',
      'scim_request_log_p20261031',
    ]);
    expect(log.expired(names, new Date('2026-11-30T23:59:59.999Z'), 30)).toEqual(['scim_request_log_p20261029', 'scim_request_log_p20261030']);
  });

  it('takes only a plain table name', () => {
    expect(() => new DailyPartitions('x; DROP TABLE tenants', 1)).toThrow(RangeError);
  });
});
