import { hashCredential } from './console-session';
import { isSetupLinkToken, issueSetupLinkToken, setupLinkLifetime, setupLinkUrl } from './setup-link';

describe('setup links', () => {
  it('issues sfsl_ tokens of 256 random bits, stored as their SHA-256', () => {
    const a = issueSetupLinkToken();
    expect(a.token).toMatch(/^sfsl_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a.token.slice(5), 'base64url')).toHaveLength(32);
    expect(a.tokenHash).toBe(hashCredential(a.token));
    expect(issueSetupLinkToken().token).not.toBe(a.token);
    expect(isSetupLinkToken(a.token)).toBe(true);
    expect(isSetupLinkToken(`${a.token}x`)).toBe(false);
    expect(isSetupLinkToken('scimflow_abc')).toBe(false);
    expect(isSetupLinkToken(undefined)).toBe(false);
  });

  it('puts the token in the fragment of the console setup page', () => {
    expect(setupLinkUrl('https://scim.example.com/', 'sfsl_x')).toBe('https://scim.example.com/console/setup#sfsl_x');
  });

  it('lasts 7 days by default, 5 minutes to 30 days when asked', () => {
    expect(setupLinkLifetime(undefined)).toBe(604800);
    expect(setupLinkLifetime(300)).toBe(300);
    expect(setupLinkLifetime(2592000)).toBe(2592000);
    for (const bad of [299, 2592001, 1.5, NaN]) expect(() => setupLinkLifetime(bad)).toThrow(RangeError);
  });
});
