import { INestApplication, Logger, LogLevel, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { ConfigClass, LoggingSettings, validateConfig } from '@scimflow/config';
import { startTracing } from '@scimflow/observability';
import { drainOnShutdown, SHUTDOWN_SIGNALS } from './connection-drain';

const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

/**
 * Starts one of the apps: its settings validated before anything connects (fail fast, readable),
 * shutdown hooks on so consumers commit and in-flight requests finish on SIGTERM.
 */
export async function startApp<C extends LoggingSettings>(
  name: string,
  module: Type<unknown>,
  settings: ConfigClass<C>,
  port: (config: C) => number,
  configure?: (app: INestApplication) => void,
): Promise<INestApplication> {
  let config: C;
  try {
    config = validateConfig(settings, process.env);
  } catch (e) {
    console.error(`${name}: ${(e as Error).message}`);
    process.exit(78); // EX_CONFIG
  }
  startTracing(`scimflow-${name}`);
  const level = LEVELS.indexOf(config.LOG_LEVEL as LogLevel);
  const app = await NestFactory.create(module, { logger: LEVELS.slice(0, level + 1), bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(PinoLogger)); // structured JSON logs from here on (nestjs-pino)
  configure?.(app);
  // Longer than the idle timeouts of clients and load balancers (often 60 s), so the server is never the
  // side that closes a reused keep-alive connection under a request in flight.
  const server = app.getHttpServer() as import('node:http').Server;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  drainOnShutdown(name, server);
  // SIGTERM / SIGINT: Nest closes the HTTP server (waiting for requests in flight), then runs the shutdown
  // hooks (consumers commit and leave their group, producers flush, pools close), then exits 0.
  app.enableShutdownHooks(SHUTDOWN_SIGNALS, { useProcessExit: true });
  await app.listen(port(config), '0.0.0.0');
  new Logger(name).log(`listening on ${await app.getUrl()}`);
  return app;
}
