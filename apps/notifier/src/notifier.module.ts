import { Module } from '@nestjs/common';
import { NotifierConfig, ScimflowConfigModule } from '@scimflow/config';
import { ObservabilityModule } from '@scimflow/platform';
import { MessagingModule } from '@scimflow/messaging';
import { PersistenceModule } from '@scimflow/persistence';
import { EventConsumer } from './event-consumer';
import { DeadLetterPublisher } from './delivery/dead-letter-publisher';
import { DeliveryMetrics } from './delivery/delivery-metrics';
import { DeliveryWorker } from './delivery/delivery-worker';
import { LaneSettler } from './delivery/lane-settler';
import { DeliverLane } from './usecases/deliver-lane/deliver-lane.usecase';
import { WebhookSender } from './usecases/deliver-lane/webhook-sender';
import { QueueEvents } from './usecases/queue-events/queue-events.usecase';

@Module({
  imports: [ScimflowConfigModule.forApp(NotifierConfig), ObservabilityModule.forApp('notifier', { httpLogs: false }), PersistenceModule, MessagingModule.forApp('notifier')],
  controllers: [],
  providers: [WebhookSender, DeadLetterPublisher, DeliveryMetrics, LaneSettler, DeliverLane, DeliveryWorker, QueueEvents, EventConsumer],
})
export class NotifierModule {}
