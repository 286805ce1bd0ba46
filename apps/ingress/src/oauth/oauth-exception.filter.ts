import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { Request, Response } from 'express';
import { OAuthError } from '@scimflow/access';
import { toScimError } from '../scim/scim-exception.filter';

/** The token endpoint's path: whatever fails there (body parsing, a path parameter, our code) is answered as OAuth. */
const TOKEN_ENDPOINT = /^\/oauth\/[^/]*\/token\/?$/;
export const isTokenEndpoint = (req: Request) => TOKEN_ENDPOINT.test(req.path);

const logger = new Logger('OAuthExceptionFilter');

/** Any failure as an OAuth error (RFC 6749 §5.2): the client's 4xx keep their meaning, ours are server_error. */
export function toOAuthError(exception: unknown): OAuthError {
  if (exception instanceof OAuthError) return exception;
  // an HTTP error about the request (body-parser: bad charset, too many parameters, …; an undecodable path): the client's fault
  const http = exception as { status?: unknown; expose?: unknown; message?: unknown };
  if (
    (http?.expose === true || exception instanceof URIError) &&
    typeof http.status === 'number' &&
    http.status >= 400 &&
    http.status < 500 &&
    ![401, 403, 429].includes(http.status)
  )
    // a body over the size limit keeps its 413 (RFC 9110 §15.5.14): the client should send less, not something else
    return new OAuthError('invalid_request', typeof http.message === 'string' ? http.message : 'The request is malformed', {
      status: (exception as { type?: unknown }).type === 'entity.too.large' ? 413 : 400,
    });
  const e = toScimError(exception);
  if (e.status >= 500 && e.status !== 503) logger.error(exception instanceof Error ? exception.stack : String(exception));
  if (e.status === 401) return new OAuthError('invalid_client', e.detail);
  if (e.status === 403) return new OAuthError('unauthorized_client', e.detail, { status: 403 });
  if (e.status === 429 || e.status === 503) return new OAuthError('temporarily_unavailable', e.detail, { status: e.status, headers: e.headers });
  if (e.status >= 500) return new OAuthError('server_error', 'Internal server error');
  return new OAuthError('invalid_request', e.detail);
}

export function sendOAuthError(res: Response, error: OAuthError): void {
  res.status(error.status).set(error.headers).type('application/json; charset=utf-8').send(JSON.stringify(error.toBody()));
}

/** Token-endpoint errors as OAuth JSON, never SCIM errors: Entra and OAuth clients read `error`. */
@Catch()
export class OAuthExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    sendOAuthError(host.switchToHttp().getResponse<Response>(), toOAuthError(exception));
  }
}
