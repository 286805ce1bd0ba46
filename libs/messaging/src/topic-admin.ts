import { Kafka } from 'kafkajs';
import { TopicSpec } from '@scimflow/contracts';

/**
 * Creates the topics that do not exist yet, with their explicit partition counts.
 * Safe to run from every process at start-up and from the CLI: existing topics are left alone,
 * but one with fewer partitions than specified is reported, since per-key ordering depends on the count.
 */
export async function ensureTopics(kafka: Kafka, specs: TopicSpec[]): Promise<{ created: string[]; warnings: string[] }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((s) => ({
          topic: s.name,
          numPartitions: s.partitions,
          replicationFactor: -1, // the broker's default.replication.factor
          configEntries: Object.entries(s.config ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
    }
    const warnings: string[] = [];
    const present = specs.filter((s) => existing.has(s.name));
    if (present.length > 0) {
      const meta = await admin.fetchTopicMetadata({ topics: present.map((s) => s.name) });
      for (const t of meta.topics) {
        const spec = present.find((s) => s.name === t.name)!;
        if (t.partitions.length < spec.partitions)
          warnings.push(`topic ${t.name} has ${t.partitions.length} partitions, ${spec.partitions} expected`);
      }
    }
    return { created: missing.map((s) => s.name), warnings };
  } finally {
    await admin.disconnect();
  }
}
