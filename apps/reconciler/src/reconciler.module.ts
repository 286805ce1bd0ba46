import { Module } from '@nestjs/common';
import { ReconcilerConfig, ScimflowConfigModule } from '@scimflow/config';
import { ObservabilityModule } from '@scimflow/platform';
import { MessagingModule } from '@scimflow/messaging';
import { PersistenceModule, Stores, STORES } from '@scimflow/persistence';
import { CommandDispatcher } from '@scimflow/reconciliation';
import { DataSource } from 'typeorm';
import { CommandConsumer } from './command-consumer';
import { OutboxRelay } from './outbox-relay/outbox-relay';
import { ParkedCommandRetrier } from './parked/parked-command-retrier';

@Module({
  imports: [
    ScimflowConfigModule.forApp(ReconcilerConfig),
    ObservabilityModule.forApp('reconciler', { httpLogs: false }),
    PersistenceModule,
    MessagingModule.forApp('reconciler'),
  ],
  controllers: [],
  providers: [
    {
      provide: CommandDispatcher,
      inject: [DataSource, ReconcilerConfig, STORES],
      useFactory: (ds: DataSource, config: ReconcilerConfig, stores: Stores) => new CommandDispatcher(ds, config, stores),
    },
    OutboxRelay,
    CommandConsumer,
    ParkedCommandRetrier,
  ],
})
export class ReconcilerModule {}
