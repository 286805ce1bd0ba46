import { CanActivate, ExecutionContext, Injectable, UnauthorizedException, createParamDecorator } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { Request } from 'express';
import { AuthenticatedTenant } from '@scimflow/persistence';
import { SCIM_BEARER } from './scim-bearer.strategy';
import { TenantAccess } from './tenant-access';

/**
 * Bearer authentication, then: the credential's tenant must be the tenant in the URL, and that
 * tenant's access rules (enabled, allowed source networks, rate limit) must let the request through.
 */
@Injectable()
export class TenantGuard extends AuthGuard(SCIM_BEARER) implements CanActivate {
  constructor(private readonly access: TenantAccess) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    await super.canActivate(context);
    const req = context.switchToHttp().getRequest<Request & { user?: AuthenticatedTenant }>();
    // Same answer as a bad token: a credential never reveals whether another tenant exists.
    if (!req.user || req.user.tenantId !== req.params.tenantId) throw new UnauthorizedException();
    await this.access.enforce(req.user.tenantId, req);
    return true;
  }
}

export const CurrentTenant = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  return ctx.switchToHttp().getRequest<Request & { user: AuthenticatedTenant }>().user.tenantId;
});
