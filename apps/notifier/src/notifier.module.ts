import { Module } from '@nestjs/common';
import { ScimflowConfigModule } from '@scimflow/config';
import { ObservabilityModule } from '@scimflow/observability';
import { MessagingModule } from '@scimflow/messaging';
import { PersistenceModule } from '@scimflow/persistence';
import { EventConsumer } from './event-consumer';
import { DeliverEvent } from './usecases/deliver-event/deliver-event.usecase';
import { WebhookSender } from './usecases/deliver-event/webhook-sender';

@Module({
  imports: [ScimflowConfigModule, ObservabilityModule.forApp('notifier', { httpLogs: false }), PersistenceModule, MessagingModule.forApp('notifier')],
  controllers: [],
  providers: [WebhookSender, DeliverEvent, EventConsumer],
})
export class NotifierModule {}
