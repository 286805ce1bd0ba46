import { Module } from '@nestjs/common';
import { AccessTokens } from './access-tokens';
import { ScimBearerAuthentication } from './scim-bearer-authentication';
import { TenantAccess } from './tenant-access';

/** Who may call a tenant's endpoints: bearer credentials, access tokens, the tenant's access rules. */
@Module({
  providers: [ScimBearerAuthentication, AccessTokens, TenantAccess],
  exports: [ScimBearerAuthentication, AccessTokens, TenantAccess],
})
export class AuthModule {}
