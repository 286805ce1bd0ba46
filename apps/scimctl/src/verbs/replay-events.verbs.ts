import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { ScimctlConfig } from '@scimflow/config';
import { createKafka, parseBrokers } from '@scimflow/messaging';
import { createStores } from '@scimflow/persistence';
import { EventReplayCounts, EventReplayProgress, EventReplayTarget, parseFrom, parseTo, progressLine, replayEvents, ReplayStart } from '@scimflow/replay';
import { replayKeyOf } from '@scimflow/webhooks';
import { Verb, UsageError } from '../verb';
import { withDatabase } from './database';
import { Progress } from '../replay/progress';

export interface EventReplayCliOptions {
  from: ReplayStart;
  fromText: string;
  to?: Date;
  tenantId?: string;
  subscriptionId?: string;
  toTopic?: string;
  replayKey?: string;
}

export function parseReplayEventsArgs(args: string[]): EventReplayCliOptions {
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
  if ((values.subscription === undefined) === (values['to-topic'] === undefined))
    throw new UsageError('replay events needs --subscription S or --to-topic NAME (one of them)');
  if (values['replay-key'] !== undefined && !/^[A-Za-z0-9-]{1,40}$/.test(values['replay-key']))
    throw new UsageError('--replay-key: letters, digits and "-", at most 40');
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

export interface EventReplayResult extends EventReplayCounts {
  replayKey?: string;
}

/** The CLI's replay: resolves the subscription, prints one progress line per topic on stderr. */
export async function replayEventsFromCli(config: ScimctlConfig, ds: DataSource, options: EventReplayCliOptions): Promise<EventReplayResult> {
  const kafka = createKafka({ brokers: parseBrokers(config.KAFKA_BROKERS), clientId: 'scimctl-replay' });
  let target: EventReplayTarget;
  let replayKey: string | undefined;
  const stores = createStores(ds, config);
  if (options.subscriptionId) {
    const subscription = await stores.webhookSubscriptions.get(options.subscriptionId).catch((e: Error) => {
      throw new UsageError(e.message);
    });
    if (options.tenantId && options.tenantId !== subscription.tenantId) throw new UsageError(`subscription ${subscription.id} belongs to another tenant`);
    replayKey = options.replayKey ?? replayKeyOf([subscription.id, options.fromText, options.to?.toISOString(), options.tenantId]);
    target = { kind: 'subscription', subscription, replayKey };
  } else target = { kind: 'topic', topic: options.toTopic! };
  // one progress line per topic, counting that topic's own records against its own plan
  const lines = new Map<string, Progress>();
  const finished = new Set<string>();
  let current: EventReplayProgress['topic'];
  const counts = await replayEvents(
    { kafka, queue: stores.deliveryIntake, topicPrefix: config.KAFKA_TOPIC_PREFIX },
    { from: options.from, to: options.to, tenantId: options.tenantId, target },
    ({ topic }) => {
      if (!topic || topic.planned === 0 || finished.has(topic.name)) return;
      current = topic;
      let line = lines.get(topic.name);
      if (!line)
        lines.set(
          topic.name,
          (line = new Progress((ms) => progressLine(`replay events ${current!.name}`, current!.read, current!.planned, ms, `${current!.matched} matched`))),
        );
      if (topic.read < topic.planned) return line.tick();
      finished.add(topic.name);
      line.done();
    },
  );
  return { ...counts, ...(replayKey ? { replayKey } : {}) };
}

export const replayEventsVerb: Verb = {
  words: ['replay', 'events'],
  usage:
    'scimctl replay events --from ISO [--to ISO] [--tenant T] (--subscription S [--replay-key K] | --to-topic NAME)\n' +
    '                                                         re-deliver past user/group/membership events to one subscription (queued as\n' +
    '                                                         replays: webhook-id "replay_<key>_<event id>", header webhook-replay: true;\n' +
    '                                                         re-running with the same arguments queues nothing twice), or re-publish\n' +
    '                                                         them to a topic (header webhook-replay: true)',
  async run(args, { config, out }) {
    const options = parseReplayEventsArgs(args);
    out(JSON.stringify(await withDatabase(config.DATABASE_URL, (ds) => replayEventsFromCli(config, ds, options))));
  },
};
