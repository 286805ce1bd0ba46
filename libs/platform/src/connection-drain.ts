import { Logger } from '@nestjs/common';

export const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'];
/** Below Kubernetes' terminationGracePeriodSeconds (45 s, deploy/k8s): a stuck shutdown exits 1 itself, with a log line. */
const SHUTDOWN_DEADLINE_MS = 40_000;

/**
 * On SIGTERM the listening socket closes (Nest's server.close(): new connections are refused), but Node keeps
 * keep-alive connections open after their last response, so server.close() would wait up to keepAliveTimeout
 * (65 s) for clients to hang up. While draining, every response says `Connection: close` and connections that
 * fall idle are closed, so the server closes as soon as the requests in flight are answered.
 */
export function drainOnShutdown(name: string, server: import('node:http').Server): void {
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
