import { Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { looksLikeJwt } from '@scimflow/access';
import { AuthenticatedTenant, TenantDirectory } from '@scimflow/persistence';
import { AccessTokens } from './access-tokens';

export const SCIM_BEARER = 'scim-bearer';

/**
 * `Authorization: Bearer <token>`, tied to exactly one tenant: either a long-lived secret token
 * (Entra's "Secret Token") or an access token from the tenant's token endpoint (Entra's OAuth 2.0
 * client credentials grant). Expired, revoked, unknown: one answer, 401.
 */
@Injectable()
export class ScimBearerStrategy extends PassportStrategy(Strategy, SCIM_BEARER) {
  constructor(
    private readonly tenants: TenantDirectory,
    private readonly accessTokens: AccessTokens,
  ) {
    super();
  }

  async validate(token: string): Promise<AuthenticatedTenant> {
    if (looksLikeJwt(token)) {
      const verified = await this.accessTokens.verify(token);
      if (!verified) throw new UnauthorizedException();
      return { tenantId: verified.tenantId, tokenId: verified.jti };
    }
    const auth = await this.tenants.authenticate(token);
    if (!auth) throw new UnauthorizedException();
    return auth;
  }
}
