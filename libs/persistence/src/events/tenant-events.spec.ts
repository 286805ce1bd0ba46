import { typePatterns } from './tenant-events';

describe('tenant events', () => {
  it('turns types into LIKE patterns, escaping LIKE wildcards', () => {
    expect(typePatterns(['dev.scimflow.user.*', 'dev.scimflow.group.created.v1', 'a_b'])).toEqual([
      'dev.scimflow.user.%',
      'dev.scimflow.group.created.v1',
      'a\\_b',
    ]);
  });
});
