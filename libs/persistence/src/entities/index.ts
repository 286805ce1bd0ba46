import { OutboxEvent } from './outbox-event.entity';
import { ProcessedCommand } from './processed-command.entity';
import { ScimUser } from './scim-user.entity';
import { TenantToken } from './tenant-token.entity';
import { Tenant } from './tenant.entity';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';

export { OutboxEvent, ProcessedCommand, ScimUser, Tenant, TenantToken, WebhookDelivery, WebhookEndpoint };
export type { TenantStatus } from './tenant.entity';

export const ENTITIES = [Tenant, TenantToken, WebhookEndpoint, ScimUser, ProcessedCommand, OutboxEvent, WebhookDelivery];
