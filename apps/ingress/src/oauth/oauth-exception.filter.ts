import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { Response } from 'express';
import { OAuthError } from '@scimflow/access';

/** Token-endpoint errors as OAuth JSON (RFC 6749 §5.2); every other error goes on to the SCIM filter. */
@Catch(OAuthError)
export class OAuthExceptionFilter implements ExceptionFilter {
  catch(error: OAuthError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    res.status(error.status).set(error.headers).type('application/json; charset=utf-8').send(JSON.stringify(error.toBody()));
  }
}
