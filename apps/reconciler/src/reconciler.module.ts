import { Module } from '@nestjs/common';
import { HealthController, ScimflowConfigModule } from '@scimflow/config';
import { MessagingModule } from '@scimflow/messaging';
import { PersistenceModule } from '@scimflow/persistence';
import { CommandConsumer } from './command-consumer';
import { OutboxRelay } from './outbox-relay/outbox-relay';
import { ApplyUserCommand } from './usecases/apply-user-command/apply-user-command.usecase';

@Module({
  imports: [ScimflowConfigModule, PersistenceModule, MessagingModule.forApp('reconciler')],
  controllers: [HealthController],
  providers: [ApplyUserCommand, OutboxRelay, CommandConsumer],
})
export class ReconcilerModule {}
