import { CanActivate, ExecutionContext, createParamDecorator, Injectable } from '@nestjs/common';
import { Request } from 'express';
import { bearerTokenOf, hashCredential, isSetupLinkToken } from '@scimflow/access';
import { ActiveSetupLink, SetupLinks } from '@scimflow/persistence';
import { ScimError } from '@scimflow/scim';

export const INVALID_SETUP_LINK = 'This setup link is not valid (expired or revoked): ask your provider for a new one';

type WithLink = Request & { setupLink?: ActiveSetupLink };

/**
 * The setup API's credential: `Authorization: Bearer sfsl_…`, the token from the link's fragment. Unknown, expired,
 * revoked, or of a disabled or deleted tenant: one answer, so a link reveals nothing about why or about other tenants.
 */
@Injectable()
export class SetupLinkGuard implements CanActivate {
  constructor(private readonly links: SetupLinks) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<WithLink>();
    const token = bearerTokenOf(req.headers.authorization);
    const link = isSetupLinkToken(token) ? await this.links.use(hashCredential(token), new Date()) : undefined;
    if (!link) throw new ScimError(401, INVALID_SETUP_LINK, undefined, { 'WWW-Authenticate': 'Bearer realm="scimflow-setup"' });
    req.setupLink = link;
    return true;
  }
}

export const CurrentSetupLink = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): ActiveSetupLink => ctx.switchToHttp().getRequest<WithLink>().setupLink!,
);
