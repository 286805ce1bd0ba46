import { MAX_RECORD_BYTES } from './limits';

/**
 * Kafka topics of scimflow. Names are prefixed with KAFKA_TOPIC_PREFIX (empty in production) so that
 * test runs and several environments can share one cluster without seeing each other's records.
 */
export const TopicName = {
  /** ProvisioningCommand, keyed `tenantId:resourceId` so one resource's commands stay in order. */
  commands: 'scim.commands',
  /** CommandOutcome replies for request–reply, keyed by correlation id. */
  commandOutcomes: 'scim.command-outcomes',
  /** UserChanged events (CloudEvents 1.0), keyed `tenantId:userId`. */
  userChanged: 'scim.user-changed',
  /** GroupChanged events (CloudEvents 1.0), keyed `tenantId:groupId`. */
  groupChanged: 'scim.group-changed',
  /** MembershipChanged events (CloudEvents 1.0), one per affected user, keyed `tenantId:userId`. */
  membershipChanged: 'scim.membership-changed',
  /** WebhookDeadLetter records: events a webhook subscription did not accept within the retry horizon, keyed like the event. */
  deadLetters: 'scim.dead-letters',
} as const;

export type TopicKey = keyof typeof TopicName;

export interface TopicSpec {
  name: string;
  partitions: number;
  /** topic-level configs, e.g. retention */
  config?: Record<string, string>;
}

/** Every topic accepts records up to MAX_RECORD_BYTES, the bound the producers check (the broker's default is 1 MiB). */
const RECORD_LIMIT = { 'max.message.bytes': String(MAX_RECORD_BYTES) };

/** Partition counts are explicit: the commands topic bounds reconciler parallelism (≥ 12). */
export function topicSpecs(prefix = ''): TopicSpec[] {
  return withRecordLimit([
    // The command log is the source of truth for `scimctl replay commands` and `scimctl rebuild`: never truncated
    // (docs/runbook.md, "Replay and rebuild", for the disk cost and how to change an existing topic).
    { name: prefix + TopicName.commands, partitions: 12, config: { 'retention.ms': '-1' } },
    // Outcomes matter only for seconds (the waiting HTTP request); keep them an hour.
    { name: prefix + TopicName.commandOutcomes, partitions: 12, config: { 'retention.ms': String(3600 * 1000) } },
    { name: prefix + TopicName.userChanged, partitions: 12, config: { 'retention.ms': String(7 * 24 * 3600 * 1000) } },
    { name: prefix + TopicName.groupChanged, partitions: 12, config: { 'retention.ms': String(7 * 24 * 3600 * 1000) } },
    { name: prefix + TopicName.membershipChanged, partitions: 12, config: { 'retention.ms': String(7 * 24 * 3600 * 1000) } },
    // Dead letters wait for a person: kept longer than the events themselves.
    { name: prefix + TopicName.deadLetters, partitions: 12, config: { 'retention.ms': String(30 * 24 * 3600 * 1000) } },
  ]);
}

function withRecordLimit(specs: TopicSpec[]): TopicSpec[] {
  return specs.map((s) => ({ ...s, config: { ...s.config, ...RECORD_LIMIT } }));
}

export function topicName(key: TopicKey, prefix = ''): string {
  return prefix + TopicName[key];
}

/** The record key that orders everything about one resource of one tenant. */
export function resourceKey(tenantId: string, resourceId: string): string {
  return `${tenantId}:${resourceId}`;
}

/** Consumer groups of scimflow's apps (prefixed with KAFKA_TOPIC_PREFIX like the topics). */
export const ConsumerGroupName = {
  /** the reconciler, on the commands topic */
  reconciler: 'scimflow-reconciler',
  /** the notifier, on the change-event topics */
  notifier: 'scimflow-notifier',
} as const;
