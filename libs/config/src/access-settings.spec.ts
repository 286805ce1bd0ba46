import { IngressConfig } from './config';
import { validateConfig } from './settings';

function messageOf(env: Record<string, unknown>): string {
  try {
    validateConfig(IngressConfig, env);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected invalid configuration');
}

describe('access settings', () => {
  it('defaults: admin API off, 1 h access tokens, no trusted proxies, 50/s burst 100, 1 MiB bodies', () => {
    const c = validateConfig(IngressConfig, {});
    expect(c).toMatchObject({
      ADMIN_TOKEN: '',
      ACCESS_TOKEN_TTL_SECONDS: 3600,
      TRUSTED_PROXIES: '',
      RATE_LIMIT_PER_SECOND: 50,
      RATE_LIMIT_BURST: 100,
      MAX_BODY_BYTES: 1048576,
    });
  });

  it('accepts trusted proxies as a CIDR list', () => {
    expect(validateConfig(IngressConfig, { TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1,::1' }).TRUSTED_PROXIES).toBe('10.0.0.0/8, 127.0.0.1,::1');
  });

  it('names a bad trusted proxy entry', () => {
    expect(messageOf({ TRUSTED_PROXIES: '10.0.0.1/8,proxy.local' })).toMatch(
      /TRUSTED_PROXIES="10.0.0.1\/8,proxy.local": TRUSTED_PROXIES "10.0.0.1\/8" has host bits set.*"proxy.local"/,
    );
  });

  it('refuses a short admin token without echoing it', () => {
    const message = messageOf({ ADMIN_TOKEN: 'hunter2-is-my-password' });
    expect(message).toMatch(/ADMIN_TOKEN="<redacted>": ADMIN_TOKEN must be empty .* at least 32 characters/);
    expect(message).not.toContain('hunter2');
    expect(validateConfig(IngressConfig, { ADMIN_TOKEN: 'x'.repeat(32) }).ADMIN_TOKEN).toBe('x'.repeat(32));
  });

  it.each([
    ['ACCESS_TOKEN_TTL_SECONDS', '0'],
    ['RATE_LIMIT_PER_SECOND', '0'],
    ['RATE_LIMIT_BURST', 'many'],
    ['MAX_BODY_BYTES', '10'],
  ])('refuses %s=%s', (key, value) => {
    expect(messageOf({ [key]: value })).toContain(`${key}=`);
  });
});
