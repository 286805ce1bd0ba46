import { Module } from '@nestjs/common';
import { HealthController, ScimflowConfigModule } from '@scimflow/config';
import { MessagingModule } from '@scimflow/messaging';
import { PersistenceModule } from '@scimflow/persistence';
import { EventConsumer } from './event-consumer';
import { DeliverEvent } from './usecases/deliver-event/deliver-event.usecase';
import { WebhookSender } from './usecases/deliver-event/webhook-sender';

@Module({
  imports: [ScimflowConfigModule, PersistenceModule, MessagingModule.forApp('notifier')],
  controllers: [HealthController],
  providers: [WebhookSender, DeliverEvent, EventConsumer],
})
export class NotifierModule {}
