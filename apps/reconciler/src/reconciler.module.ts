import { Module } from '@nestjs/common';
import { ReconcilerConfig, ScimflowConfigModule } from '@scimflow/config';
import { ObservabilityModule } from '@scimflow/platform';
import { MessagingModule } from '@scimflow/messaging';
import { PersistenceModule } from '@scimflow/persistence';
import { TenantProfiles } from './profiles/tenant-profiles';
import { CommandConsumer } from './command-consumer';
import { CommandDispatcher } from './command-dispatcher';
import { OutboxRelay } from './outbox-relay/outbox-relay';
import { ParkedCommandRetrier } from './parked/parked-command-retrier';
import { ApplyGroupCommand } from './usecases/apply-group-command/apply-group-command.usecase';
import { ApplyUserCommand } from './usecases/apply-user-command/apply-user-command.usecase';
import { ApplyUserBatch } from './usecases/apply-user-batch/apply-user-batch.usecase';

@Module({
  imports: [ScimflowConfigModule.forApp(ReconcilerConfig), ObservabilityModule.forApp('reconciler', { httpLogs: false }), PersistenceModule, MessagingModule.forApp('reconciler')],
  controllers: [],
  providers: [TenantProfiles, ApplyUserCommand, ApplyUserBatch, ApplyGroupCommand, CommandDispatcher, OutboxRelay, CommandConsumer, ParkedCommandRetrier],
})
export class ReconcilerModule {}
