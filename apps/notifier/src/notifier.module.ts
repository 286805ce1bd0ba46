import { Module } from '@nestjs/common';
import { NotifierConfig, ScimflowConfigModule } from '@scimflow/config';
import { ObservabilityModule } from '@scimflow/platform';
import { MessagingModule } from '@scimflow/messaging';
import { PersistenceModule } from '@scimflow/persistence';
import { DeliveryMetrics } from './delivery-metrics';
import { DeliverLane } from './usecases/deliver-lane/deliver-lane.usecase';
import { WebhookSender } from './usecases/deliver-lane/webhook-sender';
import { PublishDeadLetters } from './usecases/publish-dead-letters/publish-dead-letters.usecase';
import { QueueEvents } from './usecases/queue-events/queue-events.usecase';
import { DeadLetterPublisher } from './workers/dead-letter-publisher';
import { DeliveryWorker } from './workers/delivery-worker';
import { EventConsumer } from './workers/event-consumer';

/** Use cases (usecases/) do the work; workers (workers/) are the loops that call them: imports go workers → use cases. */
@Module({
  imports: [
    ScimflowConfigModule.forApp(NotifierConfig),
    ObservabilityModule.forApp('notifier', { httpLogs: false }),
    PersistenceModule,
    MessagingModule.forApp('notifier'),
  ],
  controllers: [],
  providers: [WebhookSender, DeliverLane, QueueEvents, PublishDeadLetters, DeliveryMetrics, DeadLetterPublisher, DeliveryWorker, EventConsumer],
})
export class NotifierModule {}
