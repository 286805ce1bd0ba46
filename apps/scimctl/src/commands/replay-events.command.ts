import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { AppConfig } from '@scimflow/config';
import { TopicKey, topicName } from '@scimflow/contracts';
import { createKafka, parseBrokers } from '@scimflow/messaging';
import { DeliveryQueue, QueuedEvent } from '@scimflow/persistence';
import { matchesEventTypes, orderingKeyOf, readDeliverableEvent, replayDeliveryId, replayKeyOf, REPLAY_HEADER } from '@scimflow/webhooks';
import { CliCommand, UsageError } from '../command';
import { withDatabase } from './database';
import { parseFrom, parseTo, progressLine, rangeSize, ReplayStart } from '../replay/replay-args';
import { planRanges, readRanges } from '../replay/topic-reader';
import { Progress } from '../replay/progress';

const EVENT_TOPICS: TopicKey[] = ['userChanged', 'groupChanged', 'membershipChanged'];
const ENQUEUE_BATCH = 500;

export interface EventReplayOptions {
  from: ReplayStart;
  fromText: string;
  to?: Date;
  tenantId?: string;
  subscriptionId?: string;
  toTopic?: string;
  replayKey?: string;
}

export function parseReplayEventsArgs(args: string[]): EventReplayOptions {
  const { values, positionals } = parseArgs({
    args,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      tenant: { type: 'string' },
      subscription: { type: 'string' },
      'to-topic': { type: 'string' },
      'replay-key': { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
  if ((values.subscription === undefined) === (values['to-topic'] === undefined)) throw new UsageError('replay events needs --subscription S or --to-topic NAME (one of them)');
  if (values['replay-key'] !== undefined && !/^[A-Za-z0-9-]{1,40}$/.test(values['replay-key'])) throw new UsageError('--replay-key: letters, digits and "-", at most 40');
  // offsets name partitions of one topic; events span three topics
  const from = parseFrom(values.from);
  if (from.kind !== 'time') throw new UsageError('replay events --from takes an ISO timestamp (the events span three topics)');
  return {
    from,
    fromText: values.from!,
    to: parseTo(values.to, from),
    tenantId: values.tenant,
    subscriptionId: values.subscription,
    toTopic: values['to-topic'],
    replayKey: values['replay-key'],
  };
}

export interface EventReplayResult {
  read: number;
  matched: number;
  queued: number;
  alreadyQueued: number;
  republished: number;
  replayKey?: string;
}

/**
 * Re-delivers past change events: into one subscription's delivery queue as replays (their own delivery ids, see
 * replayDeliveryId; ordered in their lanes by sequence like a redrive), or re-published to another topic.
 */
export async function replayEvents(config: AppConfig, ds: DataSource, options: EventReplayOptions): Promise<EventReplayResult> {
  const kafka = createKafka({ brokers: parseBrokers(config.KAFKA_BROKERS), clientId: 'scimctl-replay' });
  const result: EventReplayResult = { read: 0, matched: 0, queued: 0, alreadyQueued: 0, republished: 0 };
  let subscription: { id: string; tenantId: string; eventTypes: string[] } | undefined;
  if (options.subscriptionId) {
    const rows: { id: string; tenant_id: string; event_types: string[] }[] = await ds.query(
      `SELECT id, tenant_id, event_types FROM webhook_subscriptions WHERE id::text = $1`,
      [options.subscriptionId],
    );
    if (!rows[0]) throw new UsageError(`no subscription ${options.subscriptionId}`);
    subscription = { id: rows[0].id, tenantId: rows[0].tenant_id, eventTypes: rows[0].event_types };
    if (options.tenantId && options.tenantId !== subscription.tenantId) throw new UsageError(`subscription ${subscription.id} belongs to another tenant`);
    result.replayKey = options.replayKey ?? replayKeyOf([subscription.id, options.fromText, options.to?.toISOString(), options.tenantId]);
  }
  const tenantId = options.tenantId ?? subscription?.tenantId;
  const queue = new DeliveryQueue(ds);
  const producer = options.toTopic ? kafka.producer({ idempotent: true, maxInFlightRequests: 1 }) : undefined;
  await producer?.connect();
  let batch: QueuedEvent[] = [];
  const flush = async () => {
    const inserted = await queue.enqueue(batch);
    result.queued += inserted;
    result.alreadyQueued += batch.length - inserted;
    batch = [];
  };
  try {
    for (const key of EVENT_TOPICS) {
      const topic = topicName(key, config.KAFKA_TOPIC_PREFIX);
      const ranges = await planRanges(kafka, topic, options.from);
      const planned = rangeSize(ranges);
      // counts of this topic: `result` adds up all three
      const readBefore = result.read;
      const matchedBefore = result.matched;
      const progress = new Progress((ms) => progressLine(`replay events ${topic}`, result.read - readBefore, planned, ms, `${result.matched - matchedBefore} matched`));
      await readRanges(kafka, topic, ranges, async (record) => {
        result.read++;
        progress.tick();
        if (options.to && record.timestamp > options.to.getTime()) return;
        const read = readDeliverableEvent(record.value?.toString('utf8') ?? '');
        if ('problem' in read) return;
        const { event } = read;
        if (tenantId && event.tenantid !== tenantId) return;
        if (subscription && !matchesEventTypes(subscription.eventTypes, event.type)) return;
        result.matched++;
        if (producer) {
          await producer.send({
            topic: options.toTopic!,
            messages: [{ key: record.key ?? null, value: record.value, headers: { ...record.headers, [REPLAY_HEADER]: 'true' } }],
          });
          result.republished++;
          return;
        }
        batch.push({
          subscriptionId: subscription!.id,
          tenantId: event.tenantid,
          eventId: replayDeliveryId(result.replayKey!, event.id),
          eventType: event.type,
          orderingKey: orderingKeyOf(record.key ?? null, event),
          sequence: event.sequence,
          body: record.value!.toString('utf8'),
        });
        if (batch.length >= ENQUEUE_BATCH) await flush();
      });
      if (result.read > readBefore) progress.done();
    }
    await flush();
  } finally {
    await producer?.disconnect();
  }
  return result;
}

export const replayEventsCommand: CliCommand = {
  words: ['replay', 'events'],
  usage:
    'scimctl replay events --from ISO [--to ISO] [--tenant T] (--subscription S [--replay-key K] | --to-topic NAME)\n' +
    '                                                         re-deliver past user/group/membership events to one subscription (queued as\n' +
    '                                                         replays: webhook-id "replay_<key>_<event id>", header webhook-replay: true;\n' +
    '                                                         re-running with the same arguments queues nothing twice), or re-publish\n' +
    '                                                         them to a topic (header webhook-replay: true)',
  async run(args, { config, out }) {
    const options = parseReplayEventsArgs(args);
    out(JSON.stringify(await withDatabase(config.DATABASE_URL, (ds) => replayEvents(config, ds, options))));
  },
};
