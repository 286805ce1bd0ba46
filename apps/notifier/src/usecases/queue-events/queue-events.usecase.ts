import { Injectable, Logger } from '@nestjs/common';
import { classifyFailure, ConsumedRecord } from '@scimflow/messaging';
import { Metrics } from '@scimflow/observability';
import { DeliveryQueue, ParkedRecords, registerParkedRecordsGauge, QueuedEvent, WebhookSubscriptions } from '@scimflow/persistence';
import { DeliverableEvent, matchesEventTypes, orderingKeyOf, readDeliverableEvent } from '@scimflow/webhooks';
import { DeliveryWorker } from '../../delivery/delivery-worker';

/** Most records queued in one transaction. */
const MAX_RECORDS = 5000;

/**
 * Queues consumed events for every enabled subscription of their tenant whose event types match, once per
 * (subscription, event). The consumer hands in one key's records at a time, many keys at once: the calls that
 * arrive while a batch is being queued are queued together in the next one (one subscriptions query and one
 * transaction for all of them), each call answered when its batch is committed. A transient failure (Postgres
 * unavailable) makes the consumer retry the same records. A record that cannot be queued is parked (stage `intake`,
 * `scimctl records parked`) and the others flow: one that is not a deliverable event, or one Postgres refuses
 * deterministically (found by queuing the batch's calls, then that call's records, one at a time).
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
    private readonly parked: ParkedRecords,
    metrics: Metrics,
  ) {
    registerParkedRecordsGauge(metrics, this.parked);
  }

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
          if (classifyFailure(e) === 'transient' || batch.length === 1) batch.forEach((b) => b.reject(e as Error));
          else for (const b of batch) await this.queueIsolating(b.records).then(b.resolve, b.reject);
        }
      }
    } finally {
      this.flushing = undefined;
    }
  }

  /** Queues records; on a deterministic failure, each alone, parking the ones that fail alone. */
  private async queueIsolating(records: ConsumedRecord[]): Promise<void> {
    try {
      await this.queueAll(records);
    } catch (e) {
      if (classifyFailure(e) === 'transient') throw e;
      if (records.length > 1) for (const record of records) await this.queueIsolating([record]);
      else await this.park(records[0], `not queued: ${(e as Error).message}`);
    }
  }

  private async park(record: ConsumedRecord, error: string): Promise<void> {
    const source = `${record.topic}[${record.partition}]@${record.offset}`;
    this.logger.error(`parked ${source} key=${record.key}: ${error}`);
    await this.parked.parkIntake({ topic: record.topic, key: record.key ?? '', value: record.value, headers: record.headers, source }, error);
  }

  private async queueAll(records: ConsumedRecord[]): Promise<void> {
    const events: { record: ConsumedRecord; body: string; event: DeliverableEvent }[] = [];
    for (const record of records) {
      const body = record.value?.toString('utf8') ?? '';
      const read = readDeliverableEvent(body);
      if ('problem' in read) {
        await this.park(record, `not deliverable: ${read.problem}`);
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
