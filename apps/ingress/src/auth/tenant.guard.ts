import { CanActivate, ExecutionContext, Injectable, UnauthorizedException, createParamDecorator } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { Request } from 'express';
import { AuthenticatedTenant } from '@scimflow/persistence';
import { SCIM_BEARER } from './scim-bearer.strategy';

/** Bearer authentication, then: the token's tenant must be the tenant in the URL. */
@Injectable()
export class TenantGuard extends AuthGuard(SCIM_BEARER) implements CanActivate {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    await super.canActivate(context);
    const req = context.switchToHttp().getRequest<Request & { user?: AuthenticatedTenant }>();
    // Same answer as a bad token: a credential never reveals whether another tenant exists.
    if (!req.user || req.user.tenantId !== req.params.tenantId) throw new UnauthorizedException();
    return true;
  }
}

export const CurrentTenant = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  return ctx.switchToHttp().getRequest<Request & { user: AuthenticatedTenant }>().user.tenantId;
});
