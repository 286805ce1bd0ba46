import { TenantToken } from './tenant-token.entity';
import { OAuthClient } from './oauth-client.entity';
import { FederatedCredential } from './federated-credential.entity';
import { Tenant } from './tenant.entity';
import { WebhookSubscription } from './webhook-subscription.entity';

export { Tenant, TenantToken, WebhookSubscription };
export type { TenantStatus } from './tenant.entity';
export { OAuthClient, FederatedCredential };
export { TENANT_PROFILES } from './tenant.entity';
export type { TenantProfile } from './tenant.entity';

/** The tables stores read and write through TypeORM repositories; the other stores use SQL. */
export const ENTITIES = [Tenant, TenantToken, OAuthClient, FederatedCredential, WebhookSubscription];
