import 'reflect-metadata';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUrl, Matches, Max } from 'class-validator';
import { MAX_COMMAND_BODY_BYTES } from '@scimflow/contracts';
import { IsAdminToken, IsCidrList } from './access-settings';
import { AtLeastSettingPlus, configOf, IntegerSetting, toBool } from './settings';

// Every setting, declared once in the part of the apps that read it. Each app validates the parts it is composed of
// (below), so a bad value stops only the apps that read it.

/** Postgres: every app, scimctl and the migrations. */
export class DatabaseSettings {
  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/scimflow';
}

/** The apps' connection pools (libs/persistence's PersistenceModule). */
export class DatabasePoolSettings {
  /** How long a statement waits for a row lock (Postgres lock_timeout) before it fails as a transient failure; 0: forever. */
  @IntegerSetting(0, 600000)
  DB_LOCK_TIMEOUT_MS = 2000;
}

/** Kafka: every app and scimctl. */
export class KafkaSettings {
  /** comma-separated host:port list */
  @IsString()
  @Matches(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, { message: 'KAFKA_BROKERS must be host:port[,host:port…]' })
  KAFKA_BROKERS = '127.0.0.1:19092';

  @IsString()
  @Matches(/^[a-zA-Z0-9._-]*$/, { message: 'KAFKA_TOPIC_PREFIX may hold only letters, digits, ".", "_" and "-"' })
  KAFKA_TOPIC_PREFIX = '';
}

/** The consumer groups of the reconciler and the notifier. */
export class ConsumerGroupSettings {
  /**
   * Consumer group session timeout: after a crash (kill -9) of a reconciler or notifier, its partitions
   * move to the others after this long. The broker allows 6,000 to 300,000 by default.
   */
  @IntegerSetting(1000, 300000)
  KAFKA_SESSION_TIMEOUT_MS = 10000;
}

/** The apps' log lines (libs/platform). */
export class LoggingSettings {
  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL = 'log';
}

/** Tenants' extension schemas, read wherever resources are validated: every app's PersistenceModule, applying commands. */
export class TenantSchemaSettings {
  /** How long the ingress and the reconciler cache a tenant's extension schemas (a registration takes this long to apply). */
  @IntegerSetting(0, 600000)
  TENANT_SCHEMA_CACHE_TTL_MS = 5000;
}

/** Webhook signing secrets at rest: whatever creates or reads subscriptions (every app's PersistenceModule, scimctl). */
export class WebhookSecretSettings {
  /**
   * 32 bytes, base64 (`openssl rand -base64 32`): encrypts webhook signing secrets at rest (AES-256-GCM).
   * Empty: secrets are stored as they are (see docs/webhooks.md). Every process that creates or uses
   * subscriptions (notifier, scimctl, admin API) needs the same value.
   */
  @IsOptional()
  @IsString()
  @Matches(/^$|^[A-Za-z0-9+/]{43}=$/, { message: 'WEBHOOK_SECRETS_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32)' })
  WEBHOOK_SECRETS_KEY = '';
}

/** Where SCIM clients reach the ingress: the ingress, and scimctl for the URLs it prints. */
export class PublicUrlSettings {
  /** The externally visible origin of the ingress; SCIM base URLs and meta.location are built from it. */
  @IsUrl({ require_tld: false, require_protocol: true })
  PUBLIC_BASE_URL = 'http://localhost:8080';
}

/** OAuth access tokens: the ingress issues them, scimctl rotates the keys that sign them. */
export class AccessTokenSettings {
  /** Lifetime of OAuth access tokens issued by the token endpoints (expires_in). */
  @IntegerSetting(1, 86400)
  ACCESS_TOKEN_TTL_SECONDS = 3600;
}

/** Tenants' profile settings, read when applying commands (the reconciler, scimctl's replay and rebuild). */
export class ProfileCacheSettings {
  /** How long the reconciler caches a tenant's profile settings (a settings change takes this long to apply). */
  @IntegerSetting(0, 600000)
  PROFILE_CACHE_TTL_MS = 5000;
}

/** Read by the ingress only. */
export class IngressSettings {
  @IntegerSetting(0, 65535)
  INGRESS_PORT = 8080;

  /** How long a SCIM write waits for the reconciler before answering 503 + Retry-After. */
  @IntegerSetting(100, 120000)
  COMMAND_TIMEOUT_MS = 15000;

  @IntegerSetting(1, 3600)
  RETRY_AFTER_SECONDS = 5;

  /**
   * Bearer credential of the admin API (/admin). Empty: the admin API answers 503 (disabled).
   * At least 32 characters; `npm run up` generates one if none is set.
   */
  @IsAdminToken()
  ADMIN_TOKEN = '';

  /** Lifetime of a console operator session (signing in exchanges ADMIN_TOKEN for one), in seconds. */
  @IntegerSetting(300, 7 * 86400)
  CONSOLE_SESSION_TTL_SECONDS = 28800;

  /** Where the built console is (index.html, assets/); relative paths are resolved against the working directory. */
  @IsString()
  CONSOLE_DIR = 'dist/console';

  /**
   * CIDR blocks of reverse proxies whose X-Forwarded-For is believed (comma-separated). The client is
   * the right-most address in X-Forwarded-For that is not one of these. Empty: the socket peer is the client.
   */
  @IsCidrList()
  TRUSTED_PROXIES = '';

  /** Default per-tenant rate limit of the SCIM API and token endpoint, per ingress instance (token bucket). */
  @IntegerSetting(1)
  RATE_LIMIT_PER_SECOND = 50;

  @IntegerSetting(1)
  RATE_LIMIT_BURST = 100;

  /** Largest accepted request body; larger ones are answered 413. At most MAX_COMMAND_BODY_BYTES: a body becomes one command record. */
  @IntegerSetting(1024)
  @Max(MAX_COMMAND_BODY_BYTES, {
    message: `MAX_BODY_BYTES must not be above ${MAX_COMMAND_BODY_BYTES} (MAX_COMMAND_BODY_BYTES: a request body becomes one Kafka command record)`,
  })
  MAX_BODY_BYTES = MAX_COMMAND_BODY_BYTES;

  /** Largest bulk import body (admin API, JSON or CSV, at most 10,000 users per request). */
  @IntegerSetting(1024, 512 * 1024 * 1024)
  MAX_IMPORT_BYTES = 16 * 1024 * 1024;

  /** How long the ingress caches a tenant's status, allow-list and rate limit (changes from scimctl take this long). */
  @IntegerSetting(0, 600000)
  TENANT_CACHE_TTL_MS = 5000;

  /** How long a federated issuer's JWKS is cached; an unknown kid refetches sooner. */
  @IntegerSetting(1000)
  JWKS_CACHE_TTL_MS = 600000;

  @IntegerSetting(100, 60000)
  JWKS_FETCH_TIMEOUT_MS = 5000;

  /** Tolerated clock difference when checking exp/nbf/iat of federated assertions. */
  @IntegerSetting(0, 600)
  ASSERTION_CLOCK_SKEW_SECONDS = 60;

  /** Whether the ingress records every SCIM and token request of an existing tenant in the request log (docs/runbook.md). */
  @Transform(toBool)
  @IsBoolean({ message: 'REQUEST_LOG_ENABLED must be true or false' })
  REQUEST_LOG_ENABLED = true;

  /** Request log entries are kept this many days (whole daily partitions are dropped after that). */
  @IntegerSetting(1, 3650)
  REQUEST_LOG_RETENTION_DAYS = 30;

  /** Each request and answer body is kept up to this many bytes (after redaction), then marked truncated. */
  @IntegerSetting(256, 1024 * 1024)
  REQUEST_LOG_MAX_BODY_BYTES = 16384;
}

/** Read by the reconciler only. */
export class ReconcilerSettings {
  @IntegerSetting(0, 65535)
  RECONCILER_PORT = 8081;

  /** Attempts of a command that fails transiently before it is parked: its user waits behind it, every other user goes on. */
  @IntegerSetting(1, 100)
  COMMAND_TRANSIENT_ATTEMPTS = 3;

  /** Parked commands are retried automatically: first after this, doubling up to PARKED_RETRY_MAX_MS. */
  @IntegerSetting(10)
  PARKED_RETRY_BASE_MS = 1000;

  @IntegerSetting(10)
  PARKED_RETRY_MAX_MS = 600000;

  /**
   * Commands whose record is larger than this (bytes: big groups, big documents) are applied off their partition's
   * path, one at a time per tenant, so that other tenants' commands do not wait for them; 0: applied in place.
   */
  @IntegerSetting(0)
  HEAVY_COMMAND_BYTES = 65536;

  /** How many parked or heavy commands the reconciler applies at once (of different tenants). */
  @IntegerSetting(1, 64)
  PARKED_CONCURRENCY = 4;

  /** How often the reconciler looks for parked commands that are due (ms). */
  @IntegerSetting(10, 60000)
  PARKED_POLL_MS = 1000;
}

/** Read by the notifier only. */
export class NotifierSettings {
  @IntegerSetting(0, 65535)
  NOTIFIER_PORT = 8082;

  /**
   * Webhook retry backoff: first delay and cap (ms). Each user's lane retries on its own, so the cap bounds
   * how often a receiver that is down is called per user: minutes, not seconds.
   */
  @IntegerSetting(1)
  WEBHOOK_RETRY_BASE_MS = 1000;

  @IntegerSetting(1)
  WEBHOOK_RETRY_MAX_MS = 600000;

  /** How long an event is retried (from when it was queued or redriven) before it becomes a dead letter. */
  @IntegerSetting(1000)
  WEBHOOK_RETRY_HORIZON_MS = 24 * 3600 * 1000;

  /** Timeout of one webhook request (the spec recommends 15–30 s at most). */
  @IntegerSetting(100)
  WEBHOOK_TIMEOUT_MS = 10000;

  /**
   * How long a notifier instance owns a (subscription, user) lane while delivering; another instance takes the
   * lane over after this if the owner died. It must outlast an attempt, or a slow receiver would get the same event
   * from two instances.
   */
  @IntegerSetting(1000)
  @AtLeastSettingPlus('WEBHOOK_TIMEOUT_MS', 5000)
  WEBHOOK_LEASE_MS = 60000;

  /**
   * How long a user's event is held back, before its first attempt, when the event numbered just before it has
   * not been seen yet (it may still be on its way through the other change-event topic). 0: no waiting.
   */
  @IntegerSetting(0, 60000)
  WEBHOOK_REORDER_WINDOW_MS = 2000;

  /**
   * Lanes one notifier instance delivers at the same time. Each lane sends its events one after another, so an
   * instance delivers about WEBHOOK_CONCURRENCY / receiver latency events per second (64 at 100 ms: ~640/s).
   */
  @IntegerSetting(1, 1000)
  WEBHOOK_CONCURRENCY = 64;

  /** How often an idle delivery worker looks for due deliveries queued by other instances (ms). */
  @IntegerSetting(10)
  WEBHOOK_POLL_MS = 500;

  /** Delivered events and delivery attempts are kept this long (longer than the event topics, so re-reading them never re-delivers). */
  @IntegerSetting(1)
  WEBHOOK_RETENTION_DAYS = 8;

  @IsOptional()
  @IsString()
  INSTANCE_ID?: string;
}

/** What libs/persistence's PersistenceModule reads. */
export class PersistenceConfig extends configOf(DatabaseSettings, DatabasePoolSettings, TenantSchemaSettings, WebhookSecretSettings) {}

/** What applying a command reads: the reconciler, and scimctl's replay and rebuild (the same use cases). */
export class CommandApplyConfig extends configOf(KafkaSettings, TenantSchemaSettings, ProfileCacheSettings) {}

export class IngressConfig extends configOf(LoggingSettings, PersistenceConfig, KafkaSettings, PublicUrlSettings, AccessTokenSettings, IngressSettings) {}

export class ReconcilerConfig extends configOf(
  LoggingSettings,
  PersistenceConfig,
  KafkaSettings,
  ConsumerGroupSettings,
  CommandApplyConfig,
  ReconcilerSettings,
) {}

export class NotifierConfig extends configOf(LoggingSettings, PersistenceConfig, KafkaSettings, ConsumerGroupSettings, NotifierSettings) {}

export class ScimctlConfig extends configOf(
  DatabaseSettings,
  KafkaSettings,
  WebhookSecretSettings,
  PublicUrlSettings,
  AccessTokenSettings,
  CommandApplyConfig,
) {}
