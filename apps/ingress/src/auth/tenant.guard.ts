import { CanActivate, ExecutionContext, Injectable, createParamDecorator } from '@nestjs/common';
import { Request } from 'express';
import { AuthenticatedTenant } from '@scimflow/access';
import { ScimError } from '@scimflow/scim';
import { ScimBearerAuthentication } from './scim-bearer-authentication';
import { TenantAccess } from './tenant-access';

/**
 * Bearer authentication, then: the credential's tenant must be the tenant in the URL, and that
 * tenant's access rules (enabled, allowed source networks, rate limit) must let the request through.
 */
@Injectable()
export class TenantGuard implements CanActivate {
  constructor(
    private readonly bearer: ScimBearerAuthentication,
    private readonly access: TenantAccess,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request & { user?: AuthenticatedTenant }>();
    const user = await this.bearer.authenticate(req);
    // Same answer as a bad token: a credential never reveals whether another tenant exists.
    if (user.tenantId !== req.params.tenantId) throw new ScimError(401, 'Authentication required: a valid bearer token for this tenant');
    req.user = user;
    await this.access.enforce(user.tenantId, req);
    return true;
  }
}

export const CurrentTenant = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  return ctx.switchToHttp().getRequest<Request & { user: AuthenticatedTenant }>().user.tenantId;
});
