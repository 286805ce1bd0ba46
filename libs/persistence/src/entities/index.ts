import { OutboxEvent } from './outbox-event.entity';
import { ProcessedCommand } from './processed-command.entity';
import { ScimUser } from './scim-user.entity';
import { ScimGroup, ScimGroupMember } from './scim-group.entity';
import { TenantToken } from './tenant-token.entity';
import { OAuthClient } from './oauth-client.entity';
import { FederatedCredential } from './federated-credential.entity';
import { SigningKey } from './signing-key.entity';
import { Tenant } from './tenant.entity';
import { WebhookSubscription } from './webhook-subscription.entity';

export { OutboxEvent, ProcessedCommand, ScimUser, Tenant, TenantToken, WebhookSubscription };
export { ScimGroup, ScimGroupMember };
export { OAuthClient, FederatedCredential, SigningKey };
export type { StoredWebhookSecret } from './webhook-subscription.entity';

export const ENTITIES = [Tenant, TenantToken, OAuthClient, FederatedCredential, SigningKey, WebhookSubscription, ScimUser, ProcessedCommand, OutboxEvent, ScimGroup, ScimGroupMember];
