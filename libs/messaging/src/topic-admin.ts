import { Admin, ConfigResourceTypes, Kafka } from 'kafkajs';
import { TopicSpec } from '@scimflow/contracts';
import { classifyFailure } from './failure';

/** How long a topic just created may take to show a leader for every partition (a busy KRaft broker can take seconds). */
const LEADERS_TIMEOUT_MS = 30_000;

/**
 * Creates the topics that do not exist yet, with their explicit partition counts.
 * Safe to run from every process at start-up and from the CLI: existing topics are otherwise left alone,
 * but one with fewer partitions than specified is reported, since per-key ordering depends on the count.
 * An existing topic whose `max.message.bytes` is below its spec's is raised to it (and reported): a record the
 * producer accepted must fit every topic, or it could never be published.
 */
export async function ensureTopics(kafka: Kafka, specs: TopicSpec[]): Promise<{ created: string[]; warnings: string[] }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((s) => ({
          topic: s.name,
          numPartitions: s.partitions,
          replicationFactor: -1, // the broker's default.replication.factor
          configEntries: Object.entries(s.config ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
      await awaitLeaders(
        admin,
        missing.map((s) => s.name),
      );
    }
    const warnings: string[] = [];
    const present = specs.filter((s) => existing.has(s.name));
    if (present.length > 0) {
      const meta = await admin.fetchTopicMetadata({ topics: present.map((s) => s.name) });
      for (const t of meta.topics) {
        const spec = present.find((s) => s.name === t.name)!;
        if (t.partitions.length < spec.partitions) warnings.push(`topic ${t.name} has ${t.partitions.length} partitions, ${spec.partitions} expected`);
      }
      warnings.push(...(await raiseRecordLimits(admin, present)));
    }
    return { created: missing.map((s) => s.name), warnings };
  } finally {
    await admin.disconnect();
  }
}

/**
 * Waits until every partition of the topics has a leader that hosts it. kafkajs's own `waitForLeaders` gives up on
 * the first "does not host this topic-partition", which a KRaft broker answers while a new topic's metadata
 * propagates; and a send in that window fails, after kafkajs resent the partitions that had taken it (duplicates).
 */
async function awaitLeaders(admin: Admin, topics: string[]): Promise<void> {
  const deadline = Date.now() + LEADERS_TIMEOUT_MS;
  for (;;) {
    let lastProblem: string;
    try {
      const meta = await admin.fetchTopicMetadata({ topics });
      const leaderless = meta.topics.filter((t) => t.partitions.length === 0 || t.partitions.some((p) => p.leader < 0));
      if (leaderless.length === 0) {
        // a leader in the metadata is not yet a partition its broker hosts: listing every partition's offsets asks
        // each leader itself, and fails (retriably) until it does, where a produce would have failed instead
        for (const topic of topics) await admin.fetchTopicOffsets(topic);
        return;
      }
      lastProblem = `no leader yet for ${leaderless.map((t) => t.name).join(', ')}`;
    } catch (e) {
      if (classifyFailure(e) !== 'transient') throw e;
      lastProblem = (e as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`topics created but not ready after ${LEADERS_TIMEOUT_MS} ms: ${lastProblem}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Raises `max.message.bytes` of existing topics that have less than their spec; returns what it changed or could not. */
async function raiseRecordLimits(admin: Admin, specs: TopicSpec[]): Promise<string[]> {
  const wanted = specs.filter((s) => s.config?.['max.message.bytes'] !== undefined);
  if (wanted.length === 0) return [];
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: wanted.map((s) => ({ type: ConfigResourceTypes.TOPIC, name: s.name })),
  });
  const low: { spec: TopicSpec; current: number; overrides: { name: string; value: string }[] }[] = [];
  for (const resource of described.resources) {
    const spec = wanted.find((s) => s.name === resource.resourceName);
    const entry = resource.configEntries.find((c) => c.configName === 'max.message.bytes');
    if (!spec || !entry || Number(entry.configValue) >= Number(spec.config!['max.message.bytes'])) continue;
    // the topic's own settings (source TOPIC_CONFIG = 1; not defaults, not read-only, not secret)
    const overrides = resource.configEntries
      .filter((c) => (c as { configSource?: number }).configSource === 1 && !c.readOnly && !c.isSensitive && c.configName !== 'max.message.bytes')
      .map((c) => ({ name: c.configName, value: c.configValue }));
    low.push({ spec, current: Number(entry.configValue), overrides });
  }
  const warnings: string[] = [];
  for (const { spec, current, overrides } of low) {
    const value = spec.config!['max.message.bytes'];
    try {
      // kafkajs has only the non-incremental AlterConfigs, which replaces all of a topic's settings: keep the others
      await admin.alterConfigs({
        validateOnly: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: spec.name, configEntries: [...overrides, { name: 'max.message.bytes', value }] }],
      });
      warnings.push(`topic ${spec.name} had max.message.bytes ${current}, raised to ${value}`);
    } catch (e) {
      warnings.push(`topic ${spec.name} has max.message.bytes ${current}, ${value} expected (could not raise it: ${(e as Error).message})`);
    }
  }
  return warnings;
}
