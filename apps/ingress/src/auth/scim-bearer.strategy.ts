import { Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { AuthenticatedTenant, TenantDirectory } from '@scimflow/persistence';

export const SCIM_BEARER = 'scim-bearer';

/** Entra's "Secret Token": `Authorization: Bearer <token>`, tied to exactly one tenant. */
@Injectable()
export class ScimBearerStrategy extends PassportStrategy(Strategy, SCIM_BEARER) {
  constructor(private readonly tenants: TenantDirectory) {
    super();
  }

  async validate(token: string): Promise<AuthenticatedTenant> {
    const auth = await this.tenants.authenticate(token);
    if (!auth) throw new UnauthorizedException();
    return auth;
  }
}
