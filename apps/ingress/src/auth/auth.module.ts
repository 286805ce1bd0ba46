import { Module } from '@nestjs/common';
import { SecretTokenVerifier } from '@scimflow/access';
import { SecretTokens } from '@scimflow/persistence';
import { AccessTokens } from './access-tokens';
import { ScimBearerAuthentication } from './scim-bearer-authentication';
import { TenantAccess } from './tenant-access';

/** Who may call a tenant's endpoints: bearer credentials, access tokens, the tenant's access rules. */
@Module({
  providers: [
    ScimBearerAuthentication,
    AccessTokens,
    TenantAccess,
    { provide: SecretTokenVerifier, inject: [SecretTokens], useFactory: (tokens: SecretTokens) => new SecretTokenVerifier(tokens) },
  ],
  exports: [ScimBearerAuthentication, AccessTokens, TenantAccess, SecretTokenVerifier],
})
export class AuthModule {}
