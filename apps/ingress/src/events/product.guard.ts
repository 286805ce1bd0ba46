import { CanActivate, ExecutionContext, createParamDecorator, Injectable } from '@nestjs/common';
import { Request } from 'express';
import { AuthenticatedProduct, bearerTokenOf, ProductCredentialVerifier } from '@scimflow/access';
import { ScimError } from '@scimflow/scim';
import { refuseBearerOutsideHeader } from '../auth/scim-bearer-authentication';

const UNAUTHENTICATED = 'Authentication required: a valid product credential (sfp_…) for this tenant';

/**
 * The events API and the state pull accept only a tenant's product credentials (`sfp_…`): Entra's secret tokens and
 * access tokens are refused here, as product credentials are on the SCIM API. A disabled tenant is 403.
 */
@Injectable()
export class ProductGuard implements CanActivate {
  constructor(private readonly credentials: ProductCredentialVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request & { product?: AuthenticatedProduct }>();
    refuseBearerOutsideHeader(req);
    const token = bearerTokenOf(req.headers.authorization);
    const product = token === undefined ? undefined : await this.credentials.authenticate(token);
    if (!product) throw new ScimError(401, UNAUTHENTICATED, undefined, { 'WWW-Authenticate': 'Bearer realm="scimflow-events"' });
    if (!product.tenantActive) throw new ScimError(403, 'This tenant is disabled; ask the provider to enable it');
    req.product = product;
    return true;
  }
}

export const CurrentProduct = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthenticatedProduct => {
  return ctx.switchToHttp().getRequest<Request & { product: AuthenticatedProduct }>().product;
});
