import { validateConfig } from './config';

describe('validateConfig', () => {
  it('applies defaults for an empty environment', () => {
    const c = validateConfig({});
    expect(c.INGRESS_PORT).toBe(8080);
    expect(c.KAFKA_BROKERS).toBe('127.0.0.1:19092');
    expect(c.COMMAND_TIMEOUT_MS).toBe(15000);
  });

  it('refuses MAX_BODY_BYTES above MAX_COMMAND_BODY_BYTES, naming the bound', () => {
    expect(validateConfig({ MAX_BODY_BYTES: String(1024 * 1024) }).MAX_BODY_BYTES).toBe(1024 * 1024);
    expect(() => validateConfig({ MAX_BODY_BYTES: String(1024 * 1024 + 1) })).toThrow(/MAX_BODY_BYTES=.*must not be above 1048576 \(MAX_COMMAND_BODY_BYTES/);
  });

  it('reads numbers from strings', () => {
    expect(validateConfig({ INGRESS_PORT: '9090' }).INGRESS_PORT).toBe(9090);
  });

  it('lists every invalid setting in one readable message', () => {
    let message = '';
    try {
      validateConfig({ INGRESS_PORT: 'x', DATABASE_URL: 'mysql://x', KAFKA_BROKERS: 'nohost' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^Invalid configuration:\n/);
    expect(message).toMatch(/- INGRESS_PORT="x": .*integer/);
    expect(message).toMatch(/- DATABASE_URL="mysql:\/\/x": DATABASE_URL must be a postgres:\/\/ URL/);
    expect(message).toMatch(/- KAFKA_BROKERS="nohost": /);
    expect(message.split('\n')).toHaveLength(4);
  });

  it('reads the request log settings: enabled by default, 30 days, 16 KiB bodies', () => {
    const c = validateConfig({});
    expect([c.REQUEST_LOG_ENABLED, c.REQUEST_LOG_RETENTION_DAYS, c.REQUEST_LOG_MAX_BODY_BYTES]).toEqual([true, 30, 16384]);
    expect(validateConfig({ REQUEST_LOG_ENABLED: 'false' }).REQUEST_LOG_ENABLED).toBe(false);
    expect(validateConfig({ REQUEST_LOG_ENABLED: 'TRUE' }).REQUEST_LOG_ENABLED).toBe(true);
    expect(validateConfig({ REQUEST_LOG_ENABLED: '0' }).REQUEST_LOG_ENABLED).toBe(false);
    expect(() => validateConfig({ REQUEST_LOG_ENABLED: 'yes please' })).toThrow(/REQUEST_LOG_ENABLED="yes please": REQUEST_LOG_ENABLED must be true or false/);
    expect(() => validateConfig({ REQUEST_LOG_RETENTION_DAYS: '0' })).toThrow(/REQUEST_LOG_RETENTION_DAYS/);
  });

  it('ignores unrelated variables', () => {
    expect(() => validateConfig({ PATH: '/bin', HOME: '/root' })).not.toThrow();
  });
});
