import { Kafka } from 'kafkajs';
import type { PartitionLag } from '@scimflow/contracts';

/** Lag from one partition's end offset and a group's committed offset ("-1": none committed). */
export function partitionLag(high: string, low: string, committed: string): number {
  const end = Number(high);
  const from = Number(committed) < 0 ? Number(low) : Number(committed);
  return Math.max(0, end - from);
}

/**
 * Each group's lag per partition of every topic it has committed offsets on: the groups' committed offsets against
 * the topics' end offsets, read with the Kafka admin API.
 */
export async function consumerLag(kafka: Kafka, groups: readonly string[]): Promise<PartitionLag[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const lags: PartitionLag[] = [];
    for (const group of groups) {
      const committed = await admin.fetchOffsets({ groupId: group });
      for (const { topic, partitions } of committed) {
        const ends = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, o]));
        for (const p of partitions) {
          const end = ends.get(p.partition);
          if (end) lags.push({ group, topic, partition: p.partition, lag: partitionLag(end.high, end.low, p.offset) });
        }
      }
    }
    return lags.sort((a, b) => a.group.localeCompare(b.group) || a.topic.localeCompare(b.topic) || a.partition - b.partition);
  } finally {
    await admin.disconnect();
  }
}
