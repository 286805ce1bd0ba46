import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { AccessTokens } from './access-tokens';
import { ScimBearerStrategy } from './scim-bearer.strategy';
import { TenantAccess } from './tenant-access';

/** Who may call a tenant's endpoints: bearer credentials, access tokens, the tenant's access rules. */
@Module({
  imports: [PassportModule],
  providers: [ScimBearerStrategy, AccessTokens, TenantAccess],
  exports: [AccessTokens, TenantAccess],
})
export class AuthModule {}
