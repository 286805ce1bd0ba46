import { Module } from '@nestjs/common';
import { AppConfig, ScimflowConfigModule } from '@scimflow/config';
import { ObservabilityModule } from '@scimflow/observability';
import { MessagingModule } from '@scimflow/messaging';
import { PersistenceModule, TenantResourceTypes } from '@scimflow/persistence';
import { CommandDispatcher } from '@scimflow/reconciliation';
import { DataSource } from 'typeorm';
import { CommandConsumer } from './command-consumer';
import { OutboxRelay } from './outbox-relay/outbox-relay';
import { ParkedCommandRetrier } from './parked/parked-command-retrier';

@Module({
  imports: [ScimflowConfigModule, ObservabilityModule.forApp('reconciler', { httpLogs: false }), PersistenceModule, MessagingModule.forApp('reconciler')],
  controllers: [],
  providers: [
    {
      provide: CommandDispatcher,
      inject: [DataSource, AppConfig, TenantResourceTypes],
      useFactory: (ds: DataSource, config: AppConfig, resourceTypes: TenantResourceTypes) => new CommandDispatcher(ds, config, resourceTypes),
    },
    OutboxRelay,
    CommandConsumer,
    ParkedCommandRetrier,
  ],
})
export class ReconcilerModule {}
