import { TenantToken } from './tenant-token.entity';
import { OAuthClient } from './oauth-client.entity';
import { FederatedCredential } from './federated-credential.entity';
import { Tenant } from './tenant.entity';
import { WebhookSubscription } from './webhook-subscription.entity';

export { Tenant, TenantToken, WebhookSubscription };
export { OAuthClient, FederatedCredential };

/** The tables stores read and write through TypeORM repositories; the other stores use SQL. */
export const ENTITIES = [Tenant, TenantToken, OAuthClient, FederatedCredential, WebhookSubscription];
