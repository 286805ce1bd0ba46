import { isUuid } from './ids';

describe('isUuid', () => {
  it('accepts a UUID of any version, in either case', () => {
    expect(isUuid('4f0e0000-0000-4000-8000-000000000001')).toBe(true);
    expect(isUuid('00000000-0000-0000-0000-000000000000')).toBe(true);
    expect(isUuid('9A1B0000-0000-1000-C000-0000000000AA')).toBe(true);
  });

  it.each([
    ['not a string', 42],
    ['undefined', undefined],
    ['empty', ''],
    ['without dashes', '4f0e0000000040008000000000000001'],
    ['dashes misplaced (36 characters still)', '4f0e000-00000-4000-8000-000000000001'],
    ['in braces', '{4f0e0000-0000-4000-8000-000000000001}'],
    ['with a newline after it', '4f0e0000-0000-4000-8000-000000000001\n'],
    ['a non-hex letter', '4f0e0000-0000-4000-8000-00000000000g'],
  ])('refuses %s', (_, value) => {
    expect(isUuid(value)).toBe(false);
  });
});
