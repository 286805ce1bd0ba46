import { Kafka } from 'kafkajs';
import { TopicKey, topicName } from '@scimflow/contracts';
import { DeliveryIntake, QueuedEvent } from '@scimflow/persistence';
import { matchesEventTypes, orderingKeyOf, readDeliverableEvent, replayDeliveryId, REPLAY_HEADER } from '@scimflow/webhooks';
import { rangeSize, ReplayStart } from './replay-args';
import { planRanges, readRanges } from './topic-reader';

const EVENT_TOPICS: TopicKey[] = ['userChanged', 'groupChanged', 'membershipChanged'];
const ENQUEUE_BATCH = 500;

/** Where replayed events go: one subscription's delivery queue (as replays), or another topic. */
export type EventReplayTarget =
  { kind: 'subscription'; subscription: { id: string; tenantId: string; eventTypes: string[] }; replayKey: string } | { kind: 'topic'; topic: string };

export interface EventReplayOptions {
  from: ReplayStart;
  to?: Date;
  tenantId?: string;
  target: EventReplayTarget;
  /** count what would be replayed, queue and publish nothing */
  dryRun?: boolean;
}

export interface EventReplayCounts {
  /** records in the three event topics from the start point to their ends when the replay began */
  planned: number;
  read: number;
  matched: number;
  queued: number;
  alreadyQueued: number;
  republished: number;
}

export interface EventReplayProgress extends EventReplayCounts {
  /** the topic being read and its own counts; undefined once all are read */
  topic?: { name: string; planned: number; read: number; matched: number };
}

/**
 * Re-delivers past change events: into one subscription's delivery queue as replays (their own delivery ids, see
 * replayDeliveryId, so the same replay key queues nothing twice; ordered in their lanes by sequence like a redrive),
 * or re-published to another topic with the replay header. `onProgress` is called as records are read (its caller
 * throttles what it does with it) and once per topic at its end.
 */
export async function replayEvents(
  deps: { kafka: Kafka; queue: DeliveryIntake; topicPrefix: string },
  options: EventReplayOptions,
  onProgress: (progress: EventReplayProgress) => void | Promise<void> = () => undefined,
): Promise<EventReplayCounts> {
  const { kafka, queue } = deps;
  const { target } = options;
  const counts: EventReplayCounts = { planned: 0, read: 0, matched: 0, queued: 0, alreadyQueued: 0, republished: 0 };
  const tenantId = options.tenantId ?? (target.kind === 'subscription' ? target.subscription.tenantId : undefined);
  const plans = [];
  for (const key of EVENT_TOPICS) {
    const topic = topicName(key, deps.topicPrefix);
    const ranges = await planRanges(kafka, topic, options.from);
    counts.planned += rangeSize(ranges);
    plans.push({ topic, ranges, planned: rangeSize(ranges) });
  }
  const producer = target.kind === 'topic' && !options.dryRun ? kafka.producer({ idempotent: true, maxInFlightRequests: 1 }) : undefined;
  await producer?.connect();
  let batch: QueuedEvent[] = [];
  const flush = async () => {
    const inserted = await queue.enqueue(batch);
    counts.queued += inserted;
    counts.alreadyQueued += batch.length - inserted;
    batch = [];
  };
  try {
    for (const { topic, ranges, planned } of plans) {
      const readBefore = counts.read;
      const matchedBefore = counts.matched;
      const progress = () => ({ ...counts, topic: { name: topic, planned, read: counts.read - readBefore, matched: counts.matched - matchedBefore } });
      await readRanges(kafka, topic, ranges, async (record) => {
        counts.read++;
        if (counts.read % 200 === 0) await onProgress(progress());
        if (options.to && record.timestamp > options.to.getTime()) return;
        const read = readDeliverableEvent(record.value?.toString('utf8') ?? '');
        if ('problem' in read) return;
        const { event } = read;
        if (tenantId && event.tenantid !== tenantId) return;
        if (target.kind === 'subscription' && !matchesEventTypes(target.subscription.eventTypes, event.type)) return;
        counts.matched++;
        if (options.dryRun) return;
        if (target.kind === 'topic') {
          await producer!.send({
            topic: target.topic,
            messages: [{ key: record.key ?? null, value: record.value, headers: { ...record.headers, [REPLAY_HEADER]: 'true' } }],
          });
          counts.republished++;
          return;
        }
        batch.push({
          subscriptionId: target.subscription.id,
          tenantId: event.tenantid,
          eventId: replayDeliveryId(target.replayKey, event.id),
          eventType: event.type,
          orderingKey: orderingKeyOf(record.key ?? null, event),
          sequence: event.sequence,
          body: record.value!.toString('utf8'),
        });
        if (batch.length >= ENQUEUE_BATCH) await flush();
      });
      await flush();
      await onProgress(progress());
    }
  } finally {
    await producer?.disconnect();
  }
  await onProgress({ ...counts });
  return counts;
}
