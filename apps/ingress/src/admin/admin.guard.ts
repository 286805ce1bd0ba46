import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { bearerTokenOf } from '@scimflow/access';
import { AppConfig } from '@scimflow/config';
import { ScimError } from '@scimflow/scim';
import { refuseBearerOutsideHeader } from '../auth/scim-bearer-authentication';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * The admin API's credential: `Authorization: Bearer <ADMIN_TOKEN>`. Without ADMIN_TOKEN the admin
 * API is off and says so (503), rather than being open or pretending the credential is wrong.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.config.ADMIN_TOKEN;
    if (!expected) throw new ScimError(503, 'The admin API is disabled: set ADMIN_TOKEN (at least 32 characters) on the ingress to enable it');
    const req = context.switchToHttp().getRequest<Request>();
    refuseBearerOutsideHeader(req);
    const presented = bearerTokenOf(req.headers.authorization) ?? '';
    // compare digests: equal length, constant time, and the token's length is not revealed
    if (!timingSafeEqual(digest(presented), digest(expected))) throw new ScimError(401, 'Admin credential required: Authorization: Bearer <ADMIN_TOKEN>');
    return true;
  }
}
