import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { Response } from 'express';
import { ScimError, ScimErrorType } from '@scimflow/scim';

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

/** The one place where errors become HTTP answers: always a SCIM error body (RFC 7644 §3.12). */
@Catch()
export class ScimExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ScimExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const error = toScimError(exception);
    if (error.status >= 500 && error.status !== 503) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    for (const [k, v] of Object.entries(error.headers)) res.setHeader(k, v);
    if (error.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="scimflow"');
    res.status(error.status).type(SCIM_CONTENT_TYPE).send(JSON.stringify(error.toBody()));
  }
}

const RETRY_AFTER_UNAVAILABLE_S = 5;

/** Connection-level failures of Postgres (or the network): the client should retry, it did nothing wrong. */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006', '53300']);
function isUnavailable(e: unknown): boolean {
  const err = e as { code?: string; driverError?: { code?: string }; message?: string } | undefined;
  const code = err?.code ?? err?.driverError?.code;
  if (code && UNAVAILABLE_CODES.has(code)) return true;
  return /Connection terminated|terminating connection|the database system is (starting up|shutting down)|timeout exceeded when trying to connect/i.test(err?.message ?? '');
}

const BY_STATUS: Record<number, ScimErrorType | undefined> = { 400: 'invalidSyntax' };

export function toScimError(exception: unknown): ScimError {
  if (exception instanceof ScimError) return exception;
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const message =
      typeof response === 'object' && response && 'message' in response
        ? ([] as unknown[]).concat((response as { message: unknown }).message).join('; ')
        : exception.message;
    return new ScimError(status, status === 401 ? 'Authentication required: a valid bearer token for this tenant' : message, BY_STATUS[status]);
  }
  if (isUnavailable(exception)) return ScimError.unavailable('A backing service (database or broker) is unavailable. Retry later.', RETRY_AFTER_UNAVAILABLE_S);
  // body-parser errors carry `status` and `type`
  const e = exception as { status?: number; type?: string; message?: string };
  if (e?.type === 'entity.parse.failed') return ScimError.badRequest('invalidSyntax', `Request body is not valid JSON: ${e.message}`);
  if (e?.type === 'entity.too.large') return new ScimError(413, 'Request body too large');
  if (e?.type === 'charset.unsupported' || e?.type === 'encoding.unsupported') return new ScimError(415, e.message ?? 'Unsupported encoding');
  if (e?.type === 'parameters.too.many') return new ScimError(413, 'Too many form parameters in the request body');
  // any other client error of body-parser (a gzip body that is not gzip, an aborted or short body): its own 4xx
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return new ScimError(e.status, `Request body could not be read: ${e.message ?? e.type}`, e.status === 400 ? 'invalidSyntax' : undefined);
  return new ScimError(500, 'Internal server error');
}
