import { Injectable, Logger } from '@nestjs/common';
import { ConsumedRecord } from '@scimflow/messaging';
import { DeliveryQueue, QueuedEvent, WebhookSubscriptions } from '@scimflow/persistence';
import { matchesEventTypes, orderingKeyOf, readDeliverableEvent } from '@scimflow/webhooks';
import { DeliveryWorker } from '../../delivery/delivery-worker';

/**
 * Queues consumed events for every enabled subscription of their tenant whose event types match, once per
 * (subscription, event). A throw (Postgres unavailable) makes the consumer retry the same records; a record
 * that is not a deliverable event is logged and left out: retrying cannot make it readable.
 */
@Injectable()
export class QueueEvents {
  private readonly logger = new Logger(QueueEvents.name);

  constructor(
    private readonly subscriptions: WebhookSubscriptions,
    private readonly queue: DeliveryQueue,
    private readonly worker: DeliveryWorker,
  ) {}

  async execute(records: ConsumedRecord[]): Promise<void> {
    const subscriptionsOf = new Map<string, Promise<{ id: string; eventTypes: string[] }[]>>();
    const queued: QueuedEvent[] = [];
    for (const record of records) {
      const body = record.value?.toString('utf8') ?? '';
      const read = readDeliverableEvent(body);
      if ('problem' in read) {
        this.logger.error(`not deliverable, skipped: ${record.topic}[${record.partition}]@${record.offset}: ${read.problem}`);
        continue;
      }
      const { event } = read;
      if (!subscriptionsOf.has(event.tenantid)) subscriptionsOf.set(event.tenantid, this.subscriptions.enabledFor(event.tenantid));
      for (const subscription of await subscriptionsOf.get(event.tenantid)!) {
        if (!matchesEventTypes(subscription.eventTypes, event.type)) continue;
        queued.push({
          subscriptionId: subscription.id,
          tenantId: event.tenantid,
          eventId: event.id,
          eventType: event.type,
          orderingKey: orderingKeyOf(record.key, event),
          sequence: event.sequence,
          body,
        });
      }
    }
    if ((await this.queue.enqueue(queued)) > 0) this.worker.nudge();
  }
}
