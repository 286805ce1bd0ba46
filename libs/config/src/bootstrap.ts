import { INestApplication, Logger, LogLevel, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { startTracing } from '@scimflow/observability';
import { validateConfig } from './config';

const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];
const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'];
/** Below Kubernetes' terminationGracePeriodSeconds (45 s, deploy/k8s): a stuck shutdown exits 1 itself, with a log line. */
const SHUTDOWN_DEADLINE_MS = 40_000;

/**
 * Starts one of the apps: config validated before anything connects (fail fast, readable),
 * shutdown hooks on so consumers commit and in-flight requests finish on SIGTERM.
 */
export async function startApp(
  name: string,
  module: Type<unknown>,
  port: (config: ReturnType<typeof validateConfig>) => number,
  configure?: (app: INestApplication) => void,
): Promise<INestApplication> {
  let config;
  try {
    config = validateConfig(process.env);
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

/**
 * On SIGTERM the listening socket closes (Nest's server.close(): new connections are refused), but Node keeps
 * keep-alive connections open after their last response, so server.close() would wait up to keepAliveTimeout
 * (65 s) for clients to hang up. While draining, every response says `Connection: close` and connections that
 * fall idle are closed, so the server closes as soon as the requests in flight are answered.
 */
function drainOnShutdown(name: string, server: import('node:http').Server): void {
  const drain = connectionDrain(server);
  const begin = (signal: NodeJS.Signals) => {
    const inFlight = drain();
    if (inFlight === undefined) return;
    new Logger(name).log(`${signal}: draining ${inFlight} request(s) in flight, then shutting down`);
    setTimeout(() => {
      new Logger(name).error(`shutdown did not finish within ${SHUTDOWN_DEADLINE_MS} ms; exiting`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
  };
  // registered before Nest's listeners, so the drain is set up before Nest starts closing
  for (const signal of SHUTDOWN_SIGNALS) process.once(signal, begin);
}

/**
 * Tracks the server's responses; the function returned starts draining (see drainOnShutdown) and returns how many
 * requests were in flight, or undefined when it was draining already. Tests that close apps in-process call it too.
 */
export function connectionDrain(server: import('node:http').Server): () => number | undefined {
  const inFlight = new Set<import('node:http').ServerResponse>();
  let draining = false;
  server.on('request', (_req, res: import('node:http').ServerResponse) => {
    if (draining) res.setHeader('Connection', 'close');
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      if (draining) setImmediate(() => server.closeIdleConnections());
    });
  });
  return () => {
    if (draining) return undefined;
    draining = true;
    for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
    server.closeIdleConnections();
    return inFlight.size;
  };
}
