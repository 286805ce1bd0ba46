import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { nextPartition, partitionRanges, PartitionRange, rangeSize, ReplayStart } from './replay-args';

const logger = new Logger('TopicReader');

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

/** Records buffered per partition before that partition is paused (bounds memory on a long log). */
const HIGH_WATER = 2000;
const LOW_WATER = 500;

/**
 * Reads the ranges with a throwaway consumer group that is deleted afterwards (commits nothing that matters) and hands
 * the records to `handle` one at a time, in one global order: always the buffered partition head with the lowest
 * timestamp (ties: lower partition), so each partition stays in offset order and records of different partitions come
 * in the order they were produced. Commands of different resources depend on each other (a group's members must
 * exist): reading partition after partition would apply a group before its users.
 */
export async function readRanges(kafka: Kafka, topic: string, ranges: PartitionRange[], handle: (record: LogRecord) => Promise<void>): Promise<void> {
  const pending = ranges.filter((r) => BigInt(r.start) < BigInt(r.end));
  if (rangeSize(pending) === 0) return;
  const groupId = `scimflow-replay-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, sessionTimeout: 30_000, allowAutoTopicCreation: false });
  const byPartition = new Map(pending.map((r) => [r.partition, r]));
  const queues = new Map<number, LogRecord[]>(pending.map((r) => [r.partition, []]));
  const fetchedAll = new Set<number>();
  const paused = new Set<number>();
  let wake: () => void = () => undefined;
  let failure: Error | undefined;
  const woken = () => new Promise<void>((r) => (wake = r));

  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let signal = woken();
    consumer
      .run({
        autoCommit: false,
        eachBatch: async ({ batch, pause }) => {
          const range = byPartition.get(batch.partition);
          if (!range || fetchedAll.has(batch.partition)) {
            pause();
            return;
          }
          const queue = queues.get(batch.partition)!;
          for (const m of batch.messages) {
            if (BigInt(m.offset) < BigInt(range.start)) continue;
            if (BigInt(m.offset) >= BigInt(range.end)) break;
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(m.headers ?? {})) if (v !== undefined) headers[k] = Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
            queue.push({ partition: batch.partition, offset: m.offset, timestamp: Number(m.timestamp), key: m.key?.toString('utf8'), value: m.value, headers });
            if (BigInt(m.offset) + 1n >= BigInt(range.end)) fetchedAll.add(batch.partition);
          }
          if (fetchedAll.has(batch.partition)) pause();
          else if (queue.length >= HIGH_WATER) {
            paused.add(batch.partition);
            pause();
          }
          wake();
        },
      })
      .catch((e: Error) => {
        failure = e;
        wake();
      });
    for (const r of pending) consumer.seek({ topic, partition: r.partition, offset: r.start });

    for (;;) {
      if (failure) throw failure;
      const next = nextPartition(queues, fetchedAll);
      if (next === 'done') break;
      // the next record can only be chosen when every partition that may still have records has one buffered
      if (next === 'wait') {
        await signal;
        signal = woken();
        continue;
      }
      const partition = next;
      const queue = queues.get(partition)!;
      await handle(queue.shift()!);
      if (paused.has(partition) && queue.length <= LOW_WATER) {
        paused.delete(partition);
        consumer.resume([{ topic, partitions: [partition] }]);
      }
    }
  } finally {
    await consumer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    // an empty throwaway group expires on its own (offsets.retention): a failed delete is reported, not fatal
    await admin.deleteGroups([groupId]).catch((e: Error) => logger.warn(`could not delete consumer group ${groupId}: ${e.message}`));
    await admin.disconnect();
  }
}
