import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Params } from 'nestjs-pino';
import pino from 'pino';

/** Never written to logs: credentials in headers and bodies. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-admin-token"]',
  'req.body.client_secret',
  'req.body.client_assertion',
  'req.body.password',
  '*.token',
  '*.secret',
  '*.clientSecret',
  '*.password',
];

/** Query parameters that look like credentials: their values never reach a log line (RFC 6750 §5.3, RFC 6749 §10.3-10.5). */
const CREDENTIAL_PARAMETER = /token|secret|passw|assertion|credential|api[-_]?key|signature|^(code|sig|key|auth|authorization)$/i;

/**
 * The URL with the value of every credential-looking query parameter (`access_token`, `client_secret`, `code`,
 * `token`, …) replaced by `[redacted]`; everything else stays as sent, malformed escapes included.
 */
export function redactUrlCredentials(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const hash = url.indexOf('#', q);
  const query = url.slice(q + 1, hash < 0 ? undefined : hash);
  const redacted = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq < 0 ? pair : pair.slice(0, eq);
      if (!CREDENTIAL_PARAMETER.test(parameterName(rawName))) return pair;
      return `${rawName}=[redacted]`;
    })
    .join('&');
  return url.slice(0, q + 1) + redacted;
}

/** A query parameter's name as a server reads it: `+` and percent escapes decoded, `[...]` suffixes dropped. */
function parameterName(raw: string): string {
  let name = raw.replace(/\+/g, ' ');
  try {
    name = decodeURIComponent(name);
  } catch {
    // a malformed escape: judged as sent
  }
  return name.replace(/\[.*$/, '').trim();
}

const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Structured JSON logs (pino): one line per request with its request id (from X-Request-Id or new)
 * and tenant id, and one per application log call.
 */
export function loggingParams(app: string, level: string, httpLogs: boolean): Params {
  const pinoLevel = ({ log: 'info', verbose: 'trace' } as Record<string, string>)[level] ?? level;
  return {
    pinoHttp: {
      level: pinoLevel,
      base: { app },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req: IncomingMessage) => !httpLogs || QUIET_PATHS.has((req.url ?? '').split('?')[0]) },
      customProps: (req: IncomingMessage) => {
        const r = req as IncomingMessage & { user?: { tenantId?: string }; params?: { tenantId?: string } };
        const tenantId = r.user?.tenantId ?? r.params?.tenantId;
        return tenantId ? { tenantId } : {};
      },
      // Our serializers pick three fields of the request and one of the response, so they read them straight off the
      // Node objects: pino-http's wrappers would first copy each request with all its headers, for every request
      // (its child logger's bindings), only for the copy to be redacted and dropped.
      wrapSerializers: false,
      serializers: {
        req: (req: { id: string; method: string; url: string; originalUrl?: string }) => ({
          id: req.id,
          method: req.method,
          url: redactUrlCredentials(req.originalUrl ?? req.url),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    },
  };
}

let destination: pino.DestinationStream | undefined;

/**
 * Where the apps' log lines go: stdout, written in chunks of up to 4 KiB at least every second and at exit,
 * instead of one write per line (with a line per request, those writes cost ~25-30 % of a request's latency
 * at low load, see BENCHMARKS.md). A process killed with SIGKILL loses at most its last second of lines.
 * One per process, shared by every app created in it.
 */
export function logDestination(): pino.DestinationStream {
  if (destination) return destination;
  const stream = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => stream.flush(), 1000).unref();
  process.once('exit', () => stream.flushSync());
  return (destination = stream);
}
