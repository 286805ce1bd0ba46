import { eventPartitionName, typePatterns } from './tenant-events';

describe('tenant events', () => {
  it('turns types into LIKE patterns, escaping LIKE wildcards', () => {
    expect(typePatterns(['dev.scimflow.user.*', 'dev.scimflow.group.created.v1', 'a_b'])).toEqual(['dev.scimflow.user.%', 'dev.scimflow.group.created.v1', 'a\\_b']);
  });

  it('names a day partition by its UTC day', () => {
    expect(eventPartitionName(new Date('2026-12-06T23:59:59Z'))).toBe('tenant_events_p20261206');
  });
});
