import { DataSource } from 'typeorm';
import type { PersistenceConfig } from '@scimflow/config';
import { SecretBox } from '@scimflow/webhooks';
import { AuditLog } from './audit/audit-log';
import { DeprovisioningHolds } from './commands/deprovisioning-holds';
import { ParkedCommands } from './commands/parked-commands';
import { ProcessedCommands } from './commands/processed-commands';
import { ConsoleInsights, ConsoleSessions, SetupLinks } from './console';
import { DirectoryState, ProductCredentials, TenantEvents } from './events';
import { GroupAdmin } from './groups/group-admin';
import { GroupStore } from './groups/group-store';
import { MembershipStore } from './groups/membership-store';
import { Outbox } from './outbox/outbox';
import { OutboxRelayStore } from './outbox/outbox-relay-store';
import { ParkedRecords } from './outbox/parked-records';
import { RebuildSchemas } from './rebuild/rebuild-schemas';
import { RequestLog } from './request-log/request-log';
import { TenantResourceTypes, TenantSchemaStore } from './schemas/tenant-schema-store';
import { FederatedCredentials } from './tenants/federated-credentials';
import { OAuthClients } from './tenants/oauth-clients';
import { SecretTokens } from './tenants/secret-tokens';
import { SigningKeys } from './tenants/signing-keys';
import { TenantAdmin } from './tenants/tenant-admin';
import { TenantDirectory } from './tenants/tenant-directory';
import { TenantProfileStore } from './tenants/tenant-profile-store';
import { UserAdmin } from './users/user-admin';
import { UserProfileStore } from './users/user-profile-store';
import { UserStore } from './users/user-store';
import { DeadLetters, DeliveryIntake, DeliveryLeases, DeliveryLog, DeliveryPurge, DeliverySettlement, EventReplays, WebhookSubscriptions } from './webhooks';

/** The settings stores are built with. */
export type StoreConfig = Pick<PersistenceConfig, 'WEBHOOK_SECRETS_KEY' | 'TENANT_SCHEMA_CACHE_TTL_MS'>;

/** Every store on one DataSource, each given its collaborators here: the one wiring, for Nest (PersistenceModule) and scimctl. */
export function createStores(ds: DataSource, config: StoreConfig) {
  const auditLog = new AuditLog(ds);
  const parkedCommands = new ParkedCommands(ds, auditLog);
  const tenantEvents = new TenantEvents(ds);
  const tenantSchemas = new TenantSchemaStore(ds);
  const webhookSubscriptions = new WebhookSubscriptions(ds, SecretBox.fromConfig(config.WEBHOOK_SECRETS_KEY));
  const outbox = new Outbox();
  const parkedRecords = new ParkedRecords(ds);
  return {
    auditLog,
    parkedCommands,
    processedCommands: new ProcessedCommands(ds),
    deprovisioningHolds: new DeprovisioningHolds(ds, parkedCommands, auditLog),
    parkedRecords,
    outbox,
    outboxRelay: new OutboxRelayStore(ds, outbox, tenantEvents, parkedRecords),
    rebuildSchemas: new RebuildSchemas(ds),
    tenantProfiles: new TenantProfileStore(ds),
    tenantDirectory: new TenantDirectory(ds, webhookSubscriptions, tenantSchemas),
    tenantAdmin: new TenantAdmin(ds),
    secretTokens: new SecretTokens(ds),
    oauthClients: new OAuthClients(ds),
    federatedCredentials: new FederatedCredentials(ds),
    signingKeys: new SigningKeys(ds),
    tenantSchemas,
    tenantResourceTypes: new TenantResourceTypes(tenantSchemas, config.TENANT_SCHEMA_CACHE_TTL_MS),
    userStore: new UserStore(ds),
    userAdmin: new UserAdmin(ds),
    userProfiles: new UserProfileStore(),
    groupStore: new GroupStore(ds),
    groupAdmin: new GroupAdmin(ds),
    memberships: new MembershipStore(),
    webhookSubscriptions,
    deliveryIntake: new DeliveryIntake(ds),
    deliveryLeases: new DeliveryLeases(ds),
    deliverySettlement: new DeliverySettlement(ds),
    deliveryPurge: new DeliveryPurge(ds),
    deliveryLog: new DeliveryLog(ds),
    deadLetters: new DeadLetters(ds),
    eventReplays: new EventReplays(ds),
    requestLog: new RequestLog(ds),
    consoleSessions: new ConsoleSessions(ds),
    setupLinks: new SetupLinks(ds, auditLog),
    consoleInsights: new ConsoleInsights(ds),
    tenantEvents,
    productCredentials: new ProductCredentials(ds),
    directoryState: new DirectoryState(ds, tenantEvents),
  };
}

export type Stores = ReturnType<typeof createStores>;
