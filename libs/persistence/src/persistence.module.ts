import { Global, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PersistenceConfig } from '@scimflow/config';
import { Readiness } from '@scimflow/observability';
import { dataSourceOptions } from './data-source';
import { createStores, Stores } from './stores';
import { AuditLog } from './audit/audit-log';
import { TenantDirectory } from './tenants/tenant-directory';
import { TenantAdmin } from './tenants/tenant-admin';
import { SecretTokens } from './tenants/secret-tokens';
import { OAuthClients } from './tenants/oauth-clients';
import { FederatedCredentials } from './tenants/federated-credentials';
import { SigningKeys } from './tenants/signing-keys';
import { TenantProfileStore } from './tenants/tenant-profile-store';
import { UserStore } from './users/user-store';
import { UserAdmin } from './users/user-admin';
import { UserProfileStore } from './users/user-profile-store';
import { TenantResourceTypes, TenantSchemaStore } from './schemas/tenant-schema-store';
import { GroupStore } from './groups/group-store';
import { GroupAdmin } from './groups/group-admin';
import { MembershipStore } from './groups/membership-store';
import { Outbox } from './outbox/outbox';
import { OutboxRelayStore } from './outbox/outbox-relay-store';
import { ParkedCommands } from './commands/parked-commands';
import { DeprovisioningHolds } from './commands/deprovisioning-holds';
import { ProcessedCommands } from './commands/processed-commands';
import { RebuildSchemas } from './rebuild/rebuild-schemas';
import { ParkedRecords } from './outbox/parked-records';
import { RequestLog } from './request-log/request-log';
import { ConsoleInsights, ConsoleSessions, SetupLinks } from './console';
import { DirectoryState, ProductCredentials, TenantEvents } from './events';
import { DeadLetters, DeliveryIntake, DeliveryLeases, DeliveryLog, DeliveryPurge, DeliverySettlement, EventReplays, WebhookSubscriptions } from './webhooks';

/** The class each store is injected by: every store createStores builds (the type checks that none is missing). */
const STORE_CLASSES: { [K in keyof Stores]: new (...args: never[]) => Stores[K] } = {
  auditLog: AuditLog,
  parkedCommands: ParkedCommands,
  processedCommands: ProcessedCommands,
  deprovisioningHolds: DeprovisioningHolds,
  parkedRecords: ParkedRecords,
  outbox: Outbox,
  outboxRelay: OutboxRelayStore,
  rebuildSchemas: RebuildSchemas,
  tenantProfiles: TenantProfileStore,
  tenantDirectory: TenantDirectory,
  tenantAdmin: TenantAdmin,
  secretTokens: SecretTokens,
  oauthClients: OAuthClients,
  federatedCredentials: FederatedCredentials,
  signingKeys: SigningKeys,
  tenantSchemas: TenantSchemaStore,
  tenantResourceTypes: TenantResourceTypes,
  userStore: UserStore,
  userAdmin: UserAdmin,
  userProfiles: UserProfileStore,
  groupStore: GroupStore,
  groupAdmin: GroupAdmin,
  memberships: MembershipStore,
  webhookSubscriptions: WebhookSubscriptions,
  deliveryIntake: DeliveryIntake,
  deliveryLeases: DeliveryLeases,
  deliverySettlement: DeliverySettlement,
  deliveryPurge: DeliveryPurge,
  deliveryLog: DeliveryLog,
  deadLetters: DeadLetters,
  eventReplays: EventReplays,
  requestLog: RequestLog,
  consoleSessions: ConsoleSessions,
  setupLinks: SetupLinks,
  consoleInsights: ConsoleInsights,
  tenantEvents: TenantEvents,
  productCredentials: ProductCredentials,
  directoryState: DirectoryState,
};

/** Every store at once (createStores), for what is wired from many of them. */
export const STORES = Symbol('stores');

/** Ready only while Postgres answers. */
@Injectable()
export class DatabaseReadiness implements OnModuleInit {
  constructor(
    private readonly ds: DataSource,
    readiness: Readiness,
  ) {
    readiness.register('postgres', async () => (await ds.query('SELECT 1 AS ok'))[0].ok === 1);
  }

  /** Fail fast on a schema older than the code: otherwise every command would fail and be retried forever. */
  async onModuleInit(): Promise<void> {
    if (await this.ds.showMigrations())
      throw new Error('the database schema is behind this version: run `npx scimctl migrate` (npm run up and the deploy job do)');
  }
}

/** Postgres through TypeORM, and the stores built on it. Schema changes only through migrations. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [PersistenceConfig],
      useFactory: (config: PersistenceConfig) =>
        // a statement waiting on a row lock fails after lock_timeout instead of holding its partition: retried, then parked
        dataSourceOptions(config.DATABASE_URL, { extra: { max: 20, application_name: 'scimflow', options: `-c lock_timeout=${config.DB_LOCK_TIMEOUT_MS}` } }),
    }),
  ],
  providers: [
    { provide: STORES, inject: [DataSource, PersistenceConfig], useFactory: (ds: DataSource, config: PersistenceConfig): Stores => createStores(ds, config) },
    ...Object.entries(STORE_CLASSES).map(([name, store]) => ({
      provide: store,
      inject: [STORES],
      useFactory: (stores: Stores) => stores[name as keyof Stores],
    })),
    DatabaseReadiness,
  ],
  exports: [STORES, ...Object.values(STORE_CLASSES)],
})
export class PersistenceModule {}
