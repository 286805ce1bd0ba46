import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { Request, Response } from 'express';
import { classifyFailure } from '@scimflow/messaging';
import { DomainError, scimErrorOf } from '@scimflow/provisioning';
import { ScimError, ScimErrorType } from '@scimflow/scim';
import { isTokenEndpoint, sendOAuthError, toOAuthError } from '../oauth/oauth-exception.filter';

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

/** The one place where errors become HTTP answers: always a SCIM error body (RFC 7644 §3.12). */
@Catch()
export class ScimExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ScimExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    // failures before the token controller (a path parameter that does not decode) are still the token endpoint's
    if (isTokenEndpoint(host.switchToHttp().getRequest<Request>())) return sendOAuthError(res, toOAuthError(exception));
    const error = toScimError(exception);
    if (error.status >= 500 && error.status !== 503) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    if (error.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="scimflow"');
    for (const [k, v] of Object.entries(error.headers)) res.setHeader(k, v);
    res.status(error.status).type(SCIM_CONTENT_TYPE).send(JSON.stringify(error.toBody()));
  }
}

const RETRY_AFTER_UNAVAILABLE_S = 5;

const BY_STATUS: Record<number, ScimErrorType | undefined> = { 400: 'invalidSyntax' };

export function toScimError(exception: unknown): ScimError {
  if (exception instanceof ScimError) return exception;
  if (exception instanceof DomainError) return scimErrorOf(exception);
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const message =
      typeof response === 'object' && response && 'message' in response
        ? ([] as unknown[]).concat((response as { message: unknown }).message).join('; ')
        : exception.message;
    return new ScimError(status, status === 401 ? 'Authentication required: a valid bearer token for this tenant' : message, BY_STATUS[status]);
  }
  // Postgres or Kafka unreachable, a lock not granted in time: the client did nothing wrong and should retry
  if (classifyFailure(exception) === 'transient')
    return ScimError.unavailable('A backing service (database or broker) is unavailable. Retry later.', RETRY_AFTER_UNAVAILABLE_S);
  // body-parser errors carry `status` and `type`
  const e = exception as { status?: number; type?: string; message?: string };
  if (e?.type === 'entity.parse.failed') return ScimError.badRequest('invalidSyntax', `Request body is not valid JSON: ${e.message}`);
  if (e?.type === 'entity.too.large') return new ScimError(413, 'Request body too large');
  if (e?.type === 'charset.unsupported' || e?.type === 'encoding.unsupported') return new ScimError(415, e.message ?? 'Unsupported encoding');
  if (e?.type === 'parameters.too.many') return new ScimError(413, 'Too many form parameters in the request body');
  // any other client error about the request: body-parser's (a gzip body that is not gzip, an aborted body), http-errors,
  // or the router's URIError for a path that does not percent-decode: its own 4xx
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && ((e as { expose?: boolean }).expose === true || exception instanceof URIError))
    return new ScimError(e.status, e.message ?? 'Bad request', BY_STATUS[e.status]);
  return new ScimError(500, 'Internal server error');
}
