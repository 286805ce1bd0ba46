import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Params } from 'nestjs-pino';

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
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    },
  };
}
