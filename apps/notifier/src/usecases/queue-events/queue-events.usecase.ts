import { Injectable, Logger } from '@nestjs/common';
import { ConsumedRecord } from '@scimflow/messaging';
import { DeliveryQueue, QueuedEvent, WebhookSubscriptions } from '@scimflow/persistence';
import { DeliverableEvent, matchesEventTypes, orderingKeyOf, readDeliverableEvent } from '@scimflow/webhooks';
import { DeliveryWorker } from '../../delivery/delivery-worker';

/** Most records queued in one transaction. */
const MAX_RECORDS = 5000;

/**
 * Queues consumed events for every enabled subscription of their tenant whose event types match, once per
 * (subscription, event). The consumer hands in one key's records at a time, many keys at once: the calls that
 * arrive while a batch is being queued are queued together in the next one (one subscriptions query and one
 * transaction for all of them), each call answered when its batch is committed. A throw (Postgres unavailable)
 * makes the consumer retry the same records; a record that is not a deliverable event is logged and left out:
 * retrying cannot make it readable.
 */
@Injectable()
export class QueueEvents {
  private readonly logger = new Logger(QueueEvents.name);
  private waiting: { records: ConsumedRecord[]; resolve: () => void; reject: (e: Error) => void }[] = [];
  private flushing?: Promise<void>;

  constructor(
    private readonly subscriptions: WebhookSubscriptions,
    private readonly queue: DeliveryQueue,
    private readonly worker: DeliveryWorker,
  ) {}

  execute(records: ConsumedRecord[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ records, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    try {
      // the calls of one fetch (every partition's keys) arrive in the same turn of the event loop
      await new Promise((r) => setImmediate(r));
      while (this.waiting.length > 0) {
        let count = 0;
        let take = 0;
        while (take < this.waiting.length && (take === 0 || count + this.waiting[take].records.length <= MAX_RECORDS)) count += this.waiting[take++].records.length;
        const batch = this.waiting.splice(0, take);
        try {
          await this.queueAll(batch.flatMap((b) => b.records));
          batch.forEach((b) => b.resolve());
        } catch (e) {
          batch.forEach((b) => b.reject(e as Error));
        }
      }
    } finally {
      this.flushing = undefined;
    }
  }

  private async queueAll(records: ConsumedRecord[]): Promise<void> {
    const events: { record: ConsumedRecord; body: string; event: DeliverableEvent }[] = [];
    for (const record of records) {
      const body = record.value?.toString('utf8') ?? '';
      const read = readDeliverableEvent(body);
      if ('problem' in read) {
        this.logger.error(`not deliverable, skipped: ${record.topic}[${record.partition}]@${record.offset}: ${read.problem}`);
        continue;
      }
      events.push({ record, body, event: read.event });
    }
    if (events.length === 0) return;
    const subscriptionsOf = await this.subscriptions.enabledForTenants(events.map((e) => e.event.tenantid));
    const queued: QueuedEvent[] = [];
    for (const { record, body, event } of events) {
      for (const subscription of subscriptionsOf.get(event.tenantid.toLowerCase()) ?? []) {
        if (!matchesEventTypes(subscription.eventTypes, event.type)) continue;
        queued.push({
          subscriptionId: subscription.id,
          tenantId: event.tenantid,
          eventId: event.id,
          eventType: event.type,
          orderingKey: orderingKeyOf(record.key, event),
          sequence: event.sequence,
          body,
          // the trace the event belongs to (the SCIM request that caused it): its delivery continues it
          traceparent: record.headers.traceparent,
          tracestate: record.headers.tracestate,
        });
      }
    }
    if ((await this.queue.enqueue(queued)) > 0) this.worker.nudge();
  }
}
