import { UsageError } from '../verb';
import { setupLinkSeconds } from './setup-links.verbs';

describe('scimctl tenant setup-link --expires', () => {
  it('reads durations within 5 minutes and 30 days', () => {
    expect(setupLinkSeconds(undefined)).toBeUndefined();
    expect(setupLinkSeconds('7d')).toBe(604800);
    expect(setupLinkSeconds('5m')).toBe(300);
    expect(setupLinkSeconds('30d')).toBe(2592000);
  });
  it('refuses others', () => {
    for (const bad of ['4m', '31d', '0', 'soon', '7']) expect(() => setupLinkSeconds(bad)).toThrow(UsageError);
  });
});
