import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, validateSync } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

/**
 * Every setting of every app, read from the environment once at start-up.
 * Invalid settings stop the process with one readable message listing each problem.
 */
export class AppConfig {
  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/scimflow';

  /** comma-separated host:port list */
  @IsString()
  @Matches(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, { message: 'KAFKA_BROKERS must be host:port[,host:port…]' })
  KAFKA_BROKERS = '127.0.0.1:19092';

  @IsString()
  @Matches(/^[a-zA-Z0-9._-]*$/, { message: 'KAFKA_TOPIC_PREFIX may hold only letters, digits, ".", "_" and "-"' })
  KAFKA_TOPIC_PREFIX = '';

  @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  INGRESS_PORT = 8080;

  @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  RECONCILER_PORT = 8081;

  @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  NOTIFIER_PORT = 8082;

  /** The externally visible origin of the ingress; SCIM base URLs and meta.location are built from it. */
  @IsUrl({ require_tld: false, require_protocol: true })
  PUBLIC_BASE_URL = 'http://localhost:8080';

  /** How long a SCIM write waits for the reconciler before answering 503 + Retry-After. */
  @Transform(toInt) @IsInt() @Min(100) @Max(120000)
  COMMAND_TIMEOUT_MS = 15000;

  @Transform(toInt) @IsInt() @Min(1) @Max(3600)
  RETRY_AFTER_SECONDS = 5;

  /** Webhook retry backoff: first delay and cap (ms). */
  @Transform(toInt) @IsInt() @Min(1)
  WEBHOOK_RETRY_BASE_MS = 500;

  @Transform(toInt) @IsInt() @Min(1)
  WEBHOOK_RETRY_MAX_MS = 60000;

  @Transform(toInt) @IsInt() @Min(100)
  WEBHOOK_TIMEOUT_MS = 10000;

  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL = 'log';

  @IsOptional() @IsString()
  INSTANCE_ID?: string;
}

export function validateConfig(env: Record<string, unknown>): AppConfig {
  const relevant: Record<string, unknown> = {};
  for (const key of Object.keys(new AppConfig())) if (env[key] !== undefined && env[key] !== '') relevant[key] = env[key];
  if (env.KAFKA_TOPIC_PREFIX !== undefined) relevant.KAFKA_TOPIC_PREFIX = env.KAFKA_TOPIC_PREFIX;
  const config = plainToInstance(AppConfig, relevant, { exposeDefaultValues: true });
  const errors = validateSync(config, { skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => `  - ${e.property}=${JSON.stringify(env[e.property] ?? null)}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return config;
}
