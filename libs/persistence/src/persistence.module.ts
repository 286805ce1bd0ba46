import { Global, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PersistenceConfig } from '@scimflow/config';
import { Readiness } from '@scimflow/observability';
import { dataSourceOptions } from './data-source';
import { TenantDirectory } from './tenants/tenant-directory';
import { TenantAdmin } from './tenants/tenant-admin';
import { SecretTokens } from './tenants/secret-tokens';
import { OAuthClients } from './tenants/oauth-clients';
import { FederatedCredentials } from './tenants/federated-credentials';
import { SigningKeys } from './tenants/signing-keys';
import { TenantProfileStore } from './tenants/tenant-profile-store';
import { UserStore } from './users/user-store';
import { UserAdmin } from './users/user-admin';
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
import { AuditLog } from './audit/audit-log';
import { ParkedRecords } from './outbox/parked-records';
import { RequestLog } from './request-log/request-log';
import { ConsoleInsights, ConsoleSessions, SetupLinks } from './console';
import { SecretBox } from '@scimflow/webhooks';
import { DirectoryState, ProductCredentials, TenantEvents } from './events';
import { DeadLetters, DeliveryLog, DeliveryQueue, EventReplays, WebhookSubscriptions } from './webhooks';

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
    {
      provide: WebhookSubscriptions,
      inject: [DataSource, PersistenceConfig],
      useFactory: (ds: DataSource, config: PersistenceConfig) => new WebhookSubscriptions(ds, SecretBox.fromConfig(config.WEBHOOK_SECRETS_KEY)),
    },
    ...[DeliveryQueue, DeliveryLog, DeadLetters, ParkedRecords, RequestLog, EventReplays, ConsoleSessions, SetupLinks, ConsoleInsights, TenantEvents, ProductCredentials, DirectoryState].map((store) => ({ provide: store, inject: [DataSource], useFactory: (ds: DataSource) => new store(ds) })),
    {
      provide: TenantDirectory,
      inject: [DataSource, WebhookSubscriptions],
      useFactory: (ds: DataSource, subscriptions: WebhookSubscriptions) => new TenantDirectory(ds, subscriptions),
    },
    ...[TenantAdmin, SecretTokens, OAuthClients, FederatedCredentials, SigningKeys, TenantProfileStore, AuditLog, ProcessedCommands, RebuildSchemas].map((store) => ({
      provide: store,
      inject: [DataSource],
      useFactory: (ds: DataSource) => new store(ds),
    })),
    { provide: UserStore, inject: [DataSource], useFactory: (ds: DataSource) => new UserStore(ds) },
    { provide: UserAdmin, inject: [DataSource], useFactory: (ds: DataSource) => new UserAdmin(ds) },
    { provide: TenantSchemaStore, inject: [DataSource], useFactory: (ds: DataSource) => new TenantSchemaStore(ds) },
    {
      provide: TenantResourceTypes,
      inject: [TenantSchemaStore, PersistenceConfig],
      useFactory: (store: TenantSchemaStore, config: PersistenceConfig) => new TenantResourceTypes(store, config.TENANT_SCHEMA_CACHE_TTL_MS),
    },
    { provide: GroupStore, inject: [DataSource], useFactory: (ds: DataSource) => new GroupStore(ds) },
    { provide: GroupAdmin, inject: [DataSource], useFactory: (ds: DataSource) => new GroupAdmin(ds) },
    { provide: MembershipStore, useValue: new MembershipStore() },
    { provide: Outbox, useValue: new Outbox() },
    {
      provide: OutboxRelayStore,
      inject: [DataSource, Outbox, TenantEvents, ParkedRecords],
      useFactory: (ds: DataSource, outbox: Outbox, events: TenantEvents, parked: ParkedRecords) => new OutboxRelayStore(ds, outbox, events, parked),
    },
    { provide: ParkedCommands, inject: [DataSource], useFactory: (ds: DataSource) => new ParkedCommands(ds) },
    { provide: DeprovisioningHolds, inject: [DataSource, ParkedCommands], useFactory: (ds: DataSource, parked: ParkedCommands) => new DeprovisioningHolds(ds, parked) },
    DatabaseReadiness,
  ],
  exports: [WebhookSubscriptions, DeliveryQueue, DeliveryLog, DeadLetters, EventReplays, TenantDirectory, TenantAdmin, SecretTokens, OAuthClients, FederatedCredentials, SigningKeys, TenantProfileStore, AuditLog, ProcessedCommands, RebuildSchemas, OutboxRelayStore, UserStore, UserAdmin, TenantSchemaStore, TenantResourceTypes, GroupStore, GroupAdmin, MembershipStore, Outbox, ParkedCommands, DeprovisioningHolds, ParkedRecords, RequestLog, ConsoleSessions, SetupLinks, ConsoleInsights, TenantEvents, ProductCredentials, DirectoryState],
})
export class PersistenceModule {}
