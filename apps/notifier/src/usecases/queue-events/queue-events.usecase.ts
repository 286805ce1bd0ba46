import { Injectable, Logger } from '@nestjs/common';
import { classifyFailure, ConsumedRecord, GroupCommit, Submission } from '@scimflow/messaging';
import { Metrics } from '@scimflow/observability';
import { changeEventTrace, DeliveryIntake, ParkedRecords, registerParkedRecordsGauge, QueuedEvent, WebhookSubscriptions } from '@scimflow/persistence';
import { DeliverableEvent, matchesEventTypes, orderingKeyOf, readDeliverableEvent } from '@scimflow/webhooks';

/** Most records queued in one transaction. */
const MAX_RECORDS = 5000;

/**
 * Queues consumed events for every enabled subscription of their tenant whose event types match, once per
 * (subscription, event). The consumer hands in one key's records at a time, many keys at once: the calls of one
 * fetch, and those that arrive while a batch is being queued, are queued together (one subscriptions query and one
 * transaction for all of them, a group commit), each call answered when its batch is committed. A transient failure
 * (Postgres unavailable) makes the consumer retry the same records. A record that cannot be queued is parked (stage
 * `intake`, `scimctl records parked`) and the others flow: one that is not a deliverable event, or one Postgres
 * refuses deterministically (found by queuing the batch's calls, then that call's records, one at a time).
 */
@Injectable()
export class QueueEvents {
  private readonly logger = new Logger(QueueEvents.name);
  private readonly batches = new GroupCommit<ConsumedRecord[], boolean>({
    maxSize: MAX_RECORDS,
    weigh: (records) => records.length,
    commit: (batch) => this.queueBatch(batch),
  });

  constructor(
    private readonly subscriptions: WebhookSubscriptions,
    private readonly queue: DeliveryIntake,
    private readonly parked: ParkedRecords,
    metrics: Metrics,
  ) {
    registerParkedRecordsGauge(metrics, this.parked);
  }

  /** Resolves once the records are queued (or parked): true when deliveries were queued with them, due at once. */
  execute(records: ConsumedRecord[]): Promise<boolean> {
    return this.batches.submit(records);
  }

  private async queueBatch(batch: Submission<ConsumedRecord[], boolean>[]): Promise<void> {
    try {
      const queued = await this.queueAll(batch.flatMap((b) => b.item));
      batch.forEach((b) => b.resolve(queued > 0));
    } catch (e) {
      if (classifyFailure(e) === 'transient' || batch.length === 1) throw e;
      for (const b of batch) await this.queueIsolating(b.item).then((queued) => b.resolve(queued > 0), b.reject);
    }
  }

  /** Queues records; on a deterministic failure, each alone, parking the ones that fail alone. Returns deliveries queued. */
  private async queueIsolating(records: ConsumedRecord[]): Promise<number> {
    try {
      return await this.queueAll(records);
    } catch (e) {
      if (classifyFailure(e) === 'transient') throw e;
      if (records.length === 1) {
        await this.park(records[0], `not queued: ${(e as Error).message}`);
        return 0;
      }
      let queued = 0;
      for (const record of records) queued += await this.queueIsolating([record]);
      return queued;
    }
  }

  private async park(record: ConsumedRecord, error: string): Promise<void> {
    const source = `${record.topic}[${record.partition}]@${record.offset}`;
    this.logger.error(`parked ${source} key=${record.key}: ${error}`);
    await this.parked.parkIntake({ topic: record.topic, key: record.key ?? '', value: record.value, headers: record.headers, source }, error);
  }

  /** Returns how many deliveries were queued. */
  private async queueAll(records: ConsumedRecord[]): Promise<number> {
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
    if (events.length === 0) return 0;
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
          ...changeEventTrace(record.headers),
        });
      }
    }
    return this.queue.enqueue(queued);
  }
}
