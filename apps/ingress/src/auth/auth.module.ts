import { Module } from '@nestjs/common';
import { ProductCredentialVerifier, SecretTokenVerifier } from '@scimflow/access';
import { ProductCredentials, SecretTokens } from '@scimflow/persistence';
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
    {
      provide: ProductCredentialVerifier,
      inject: [ProductCredentials],
      useFactory: (credentials: ProductCredentials) => new ProductCredentialVerifier(credentials),
    },
  ],
  exports: [ScimBearerAuthentication, AccessTokens, TenantAccess, SecretTokenVerifier, ProductCredentialVerifier],
})
export class AuthModule {}
