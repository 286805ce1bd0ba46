import {
  CommandApplyConfig,
  DatabaseSettings,
  IngressConfig,
  KafkaSettings,
  NotifierConfig,
  PersistenceConfig,
  ReconcilerConfig,
  ScimctlConfig,
} from './config';
import { configOf, validateConfig } from './settings';

describe('validateConfig', () => {
  it('applies defaults for an empty environment', () => {
    const c = validateConfig(IngressConfig, {});
    expect(c.INGRESS_PORT).toBe(8080);
    expect(c.KAFKA_BROKERS).toBe('127.0.0.1:19092');
    expect(c.COMMAND_TIMEOUT_MS).toBe(15000);
  });

  it('refuses MAX_BODY_BYTES above MAX_COMMAND_BODY_BYTES, naming the bound', () => {
    expect(validateConfig(IngressConfig, { MAX_BODY_BYTES: String(1024 * 1024) }).MAX_BODY_BYTES).toBe(1024 * 1024);
    expect(() => validateConfig(IngressConfig, { MAX_BODY_BYTES: String(1024 * 1024 + 1) })).toThrow(
      /MAX_BODY_BYTES=.*must not be above 1048576 \(MAX_COMMAND_BODY_BYTES/,
    );
  });

  it('reads numbers from strings', () => {
    expect(validateConfig(IngressConfig, { INGRESS_PORT: '9090' }).INGRESS_PORT).toBe(9090);
  });

  it('lists every invalid setting in one readable message', () => {
    let message = '';
    try {
      validateConfig(IngressConfig, { INGRESS_PORT: 'x', DATABASE_URL: 'mysql://x', KAFKA_BROKERS: 'nohost' });
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
    const c = validateConfig(IngressConfig, {});
    expect([c.REQUEST_LOG_ENABLED, c.REQUEST_LOG_RETENTION_DAYS, c.REQUEST_LOG_MAX_BODY_BYTES]).toEqual([true, 30, 16384]);
    expect(validateConfig(IngressConfig, { REQUEST_LOG_ENABLED: 'false' }).REQUEST_LOG_ENABLED).toBe(false);
    expect(validateConfig(IngressConfig, { REQUEST_LOG_ENABLED: 'TRUE' }).REQUEST_LOG_ENABLED).toBe(true);
    expect(validateConfig(IngressConfig, { REQUEST_LOG_ENABLED: '0' }).REQUEST_LOG_ENABLED).toBe(false);
    expect(() => validateConfig(IngressConfig, { REQUEST_LOG_ENABLED: 'yes please' })).toThrow(
      /REQUEST_LOG_ENABLED="yes please": REQUEST_LOG_ENABLED must be true or false/,
    );
    expect(() => validateConfig(IngressConfig, { REQUEST_LOG_RETENTION_DAYS: '0' })).toThrow(/REQUEST_LOG_RETENTION_DAYS/);
  });

  it('ignores unrelated variables', () => {
    expect(() => validateConfig(IngressConfig, { PATH: '/bin', HOME: '/root' })).not.toThrow();
  });
});

const messageOf = (schema: Parameters<typeof validateConfig>[0], env: Record<string, unknown>) => {
  try {
    validateConfig(schema, env);
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
};

describe('per-app settings', () => {
  it('each app validates only the settings it reads', () => {
    const ingressOnly = { TRUSTED_PROXIES: 'proxy.local', MAX_BODY_BYTES: 'lots', ADMIN_TOKEN: 'short' };
    expect(
      messageOf(IngressConfig, ingressOnly)
        ?.split('\n')
        .slice(1)
        .map((line) => line.match(/- (\w+)=/)?.[1])
        .sort(),
    ).toEqual(['ADMIN_TOKEN', 'MAX_BODY_BYTES', 'TRUSTED_PROXIES']);
    for (const other of [ReconcilerConfig, NotifierConfig, ScimctlConfig]) expect(messageOf(other, ingressOnly)).toBeUndefined();

    const notifierOnly = { WEBHOOK_CONCURRENCY: '0', WEBHOOK_TIMEOUT_MS: 'slow' };
    expect(messageOf(NotifierConfig, notifierOnly)).toMatch(/WEBHOOK_TIMEOUT_MS="slow"/);
    for (const other of [IngressConfig, ReconcilerConfig, ScimctlConfig]) expect(messageOf(other, notifierOnly)).toBeUndefined();

    const reconcilerOnly = { PARKED_CONCURRENCY: '1000', KAFKA_SESSION_TIMEOUT_MS: '1' };
    expect(messageOf(ReconcilerConfig, reconcilerOnly)).toMatch(/PARKED_CONCURRENCY="1000"/);
    expect(messageOf(NotifierConfig, reconcilerOnly)).toMatch(/KAFKA_SESSION_TIMEOUT_MS="1"/); // both consume
    for (const other of [IngressConfig, ScimctlConfig]) expect(messageOf(other, reconcilerOnly)).toBeUndefined();

    // the shared ones stop every app that reads them
    for (const schema of [IngressConfig, ReconcilerConfig, NotifierConfig, ScimctlConfig])
      expect(messageOf(schema, { DATABASE_URL: 'mysql://x', KAFKA_BROKERS: 'nohost' })).toMatch(/DATABASE_URL.*\n.*KAFKA_BROKERS/);
    expect(messageOf(ScimctlConfig, { LOG_LEVEL: 'chatty', DB_LOCK_TIMEOUT_MS: '-1' })).toBeUndefined();
    expect(messageOf(IngressConfig, { LOG_LEVEL: 'chatty', DB_LOCK_TIMEOUT_MS: '-1' })).toMatch(/LOG_LEVEL="chatty".*\n.*DB_LOCK_TIMEOUT_MS="-1"/);
  });

  it('gives an app only its settings, with their defaults', () => {
    const notifier = validateConfig(NotifierConfig, { WEBHOOK_CONCURRENCY: '8', INGRESS_PORT: '9090' });
    expect(notifier).toBeInstanceOf(NotifierConfig);
    expect(notifier).toMatchObject({ WEBHOOK_CONCURRENCY: 8, WEBHOOK_LEASE_MS: 60000, DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/scimflow' });
    expect(notifier).not.toHaveProperty('INGRESS_PORT');
    expect(new NotifierConfig()).toEqual(validateConfig(NotifierConfig, {}));
  });

  it('includes the parts and composed parts an app is made of, each part once', () => {
    expect(ReconcilerConfig.views).toEqual(expect.arrayContaining([PersistenceConfig, CommandApplyConfig]));
    expect(ReconcilerConfig.parts).toEqual(expect.arrayContaining([...PersistenceConfig.parts, ...CommandApplyConfig.parts]));
    expect(new Set(ReconcilerConfig.parts).size).toBe(ReconcilerConfig.parts.length);
    expect(ScimctlConfig.views).toEqual([CommandApplyConfig]);
  });

  it('refuses a composition in which two parts declare the same setting', () => {
    class OtherKafkaSettings {
      KAFKA_BROKERS = 'elsewhere:9092';
    }
    expect(() => configOf(DatabaseSettings, KafkaSettings, OtherKafkaSettings)).toThrow(
      'KAFKA_BROKERS is declared by both KafkaSettings and OtherKafkaSettings',
    );
  });
});

describe('rules between settings', () => {
  it('WEBHOOK_LEASE_MS must be at least WEBHOOK_TIMEOUT_MS + 5000, naming both', () => {
    expect(validateConfig(NotifierConfig, { WEBHOOK_TIMEOUT_MS: '55000' }).WEBHOOK_LEASE_MS).toBe(60000);
    expect(messageOf(NotifierConfig, { WEBHOOK_TIMEOUT_MS: '55001' })).toBe(
      'Invalid configuration:\n  - WEBHOOK_LEASE_MS=null: WEBHOOK_LEASE_MS (60000) must be at least WEBHOOK_TIMEOUT_MS + 5000 (60001)',
    );
    expect(messageOf(NotifierConfig, { WEBHOOK_LEASE_MS: '14999', WEBHOOK_TIMEOUT_MS: '10000' })).toMatch(
      /- WEBHOOK_LEASE_MS="14999": WEBHOOK_LEASE_MS \(14999\) must be at least WEBHOOK_TIMEOUT_MS \+ 5000 \(15000\)$/,
    );
    // a timeout that is not a number gets its own message, not one about the lease
    expect(messageOf(NotifierConfig, { WEBHOOK_TIMEOUT_MS: 'slow' })?.split('\n')).toEqual([
      'Invalid configuration:',
      expect.stringMatching(/^ {2}- WEBHOOK_TIMEOUT_MS="slow": /),
    ]);
  });
});
