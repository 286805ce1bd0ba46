import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Request } from 'express';
import { bearerTokenOf, CSRF_HEADER, csrfMatches, isSafeMethod } from '@scimflow/access';
import { ScimError } from '@scimflow/scim';
import { refuseBearerOutsideHeader } from '../auth/scim-bearer-authentication';
import { OperatorSessions } from '../console/operator-sessions';

/**
 * The admin API's credential: `Authorization: Bearer <ADMIN_TOKEN>`, or the console's session cookie (then every
 * method but GET and HEAD must carry the session's CSRF token in X-CSRF-Token). Without ADMIN_TOKEN the admin API is
 * off and says so (503), rather than being open or pretending the credential is wrong.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(private readonly sessions: OperatorSessions) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    this.sessions.adminToken();
    const req = context.switchToHttp().getRequest<Request>();
    refuseBearerOutsideHeader(req);
    // an Authorization header wins over a cookie: a script's explicit credential is judged as given
    if (req.headers.authorization !== undefined || !this.sessions.hasCookie(req)) {
      if (!this.sessions.isAdminToken(bearerTokenOf(req.headers.authorization) ?? ''))
        throw new ScimError(401, 'Admin credential required: Authorization: Bearer <ADMIN_TOKEN>');
      return true;
    }
    const session = await this.sessions.current(req);
    if (!session) throw new ScimError(401, 'The console session has expired or was signed out: sign in again');
    if (!isSafeMethod(req.method) && !csrfMatches(req.headers[CSRF_HEADER], session.csrfToken))
      throw new ScimError(403, "A console request that changes something must carry the session's CSRF token in X-CSRF-Token");
    return true;
  }
}
