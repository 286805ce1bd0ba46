import { randomUUID } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { partitionRanges, PartitionRange, rangeSize, ReplayStart } from './replay-args';

export interface LogRecord {
  partition: number;
  offset: string;
  timestamp: number;
  key: string | undefined;
  value: Buffer | null;
  headers: Record<string, string>;
}

/** The ranges to read: from the start point to the high watermarks captured now (records produced later are not read). */
export async function planRanges(kafka: Kafka, topic: string, start: ReplayStart): Promise<PartitionRange[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const watermarks = await admin.fetchTopicOffsets(topic);
    let byTime: Map<number, string> | undefined;
    if (start.kind === 'time') {
      // the broker answers, per partition, the first offset whose timestamp is ≥ at (or the end when there is none)
      byTime = new Map((await admin.fetchTopicOffsetsByTimestamp(topic, start.at.getTime())).map((p) => [p.partition, p.offset]));
    }
    return partitionRanges(watermarks, start, byTime);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Reads the ranges partition by partition (in offset order within each) with a throwaway consumer group that is
 * deleted afterwards; commits nothing that matters. `handle` runs one record at a time.
 */
export async function readRanges(
  kafka: Kafka,
  topic: string,
  ranges: PartitionRange[],
  handle: (record: LogRecord) => Promise<void>,
): Promise<void> {
  const pending = ranges.filter((r) => BigInt(r.start) < BigInt(r.end));
  if (rangeSize(pending) === 0) return;
  const groupId = `scimctl-replay-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, sessionTimeout: 30_000, allowAutoTopicCreation: false });
  const remaining = new Map(pending.map((r) => [r.partition, r]));
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let failed: unknown;
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          autoCommit: false,
          partitionsConsumedConcurrently: 1,
          eachBatchAutoResolve: false,
          eachBatch: async ({ batch, resolveOffset, heartbeat, pause }) => {
            const range = remaining.get(batch.partition);
            if (!range) {
              pause(); // nothing to read there (or done)
              return;
            }
            for (const m of batch.messages) {
              if (BigInt(m.offset) < BigInt(range.start)) continue;
              if (BigInt(m.offset) >= BigInt(range.end)) break;
              const headers: Record<string, string> = {};
              for (const [k, v] of Object.entries(m.headers ?? {})) if (v !== undefined) headers[k] = Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
              try {
                await handle({ partition: batch.partition, offset: m.offset, timestamp: Number(m.timestamp), key: m.key?.toString('utf8'), value: m.value, headers });
              } catch (e) {
                failed = e;
                remaining.clear();
                reject(e);
                pause();
                return;
              }
              resolveOffset(m.offset);
              await heartbeat();
              if (BigInt(m.offset) + 1n >= BigInt(range.end)) {
                remaining.delete(batch.partition);
                break;
              }
            }
            if (!remaining.has(batch.partition)) pause();
            if (remaining.size === 0 && !failed) resolve();
          },
        })
        .catch(reject);
      for (const r of pending) consumer.seek({ topic, partition: r.partition, offset: r.start });
    });
  } finally {
    await consumer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    // an empty throwaway group expires on its own (offsets.retention): a failed delete is reported, not fatal
    await admin.deleteGroups([groupId]).catch((e: Error) => process.stderr.write(`scimctl: could not delete consumer group ${groupId}: ${e.message}\n`));
    await admin.disconnect();
  }
}

/** True while the group has members (a running reconciler). */
export async function groupHasMembers(kafka: Kafka, groupId: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([groupId]);
    return groups[0]?.members.length ?? 0;
  } finally {
    await admin.disconnect();
  }
}
