import { Logger } from '@nestjs/common';
import { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { backoffDelay } from '@scimflow/contracts';
import { sleep } from './sleep';
import { GroupCommit } from './group-commit';
import { ConsumedRecord, forEachConcurrently, groupByKey, toRecord } from './record';

export interface OrderedConsumerOptions {
  groupId: string;
  topics: string[];
  fromBeginning?: boolean;
  /** how many keys of one batch are handled at once (records of one key are always sequential) */
  keyConcurrency?: number;
  /** how many partitions are handled at once */
  partitionConcurrency?: number;
  /**
   * Handles the records of ONE key, in offset order. Throwing means a transient failure
   * (database down, broker gone): the same records are retried with backoff, never skipped,
   * so nothing acknowledged is lost. Business failures must be handled inside, not thrown.
   */
  handle: (records: ConsumedRecord[]) => Promise<void>;
  /**
   * Handles a whole partition batch at once instead (records in offset order, keys mixed), for consumers that
   * batch their own work (the reconciler applies many commands per transaction). Same retry contract as `handle`.
   */
  handleBatch?: (records: ConsumedRecord[]) => Promise<void>;
  /**
   * With `handleBatch`: the partition batches handed over together (one fetch) reach it as one call of up to this
   * many records, each partition's records together and in offset order (see gatherBatches). Unset: one call per
   * partition batch.
   */
  gatherBatchesUpTo?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** how long the group waits for a silent member (kill -9) before giving its partitions to others */
  sessionTimeoutMs?: number;
  /** most bytes fetched per partition at once (kafkajs default 1 MiB): bounds the batch held in memory */
  maxBytesPerPartition?: number;
  /**
   * called after each handled batch: how far behind this partition is, for metrics; also when a batch arrives, with
   * `records: 0` (nothing advanced yet), so that a partition whose first batch never completes is seen waiting
   */
  observe?: (batch: { topic: string; partition: number; records: number; lag: number; durationMs: number }) => void;
}

/**
 * Batch consumption with per-key ordering: what Nest's Kafka transport does not give us
 * (it handles one message at a time and retries a failing handler without backoff).
 * Offsets are committed only after every record of the batch was handled.
 */
export class OrderedConsumer {
  private readonly logger: Logger;
  private consumer?: Consumer;
  private assigned = false;
  private readonly handleBatchOf?: (records: ConsumedRecord[]) => Promise<void>;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: OrderedConsumerOptions,
  ) {
    this.logger = new Logger(`OrderedConsumer:${options.groupId}`);
    const { handleBatch, gatherBatchesUpTo } = options;
    this.handleBatchOf = handleBatch && gatherBatchesUpTo ? gatherBatches(handleBatch, gatherBatchesUpTo) : handleBatch;
  }

  /** true once the group has assigned partitions to this member */
  get isAssigned(): boolean {
    return this.assigned;
  }

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? 10000,
      rebalanceTimeout: this.options.sessionTimeoutMs ?? 10000,
      heartbeatInterval: Math.max(500, Math.floor((this.options.sessionTimeoutMs ?? 10000) / 10)),
      // The broker answers a waiting fetch as soon as a record is appended, so a long wait costs no latency; a
      // short one only made idle consumers poll (each poll a syscall round trip in this process and the broker).
      maxWaitTimeInMs: 500,
      ...(this.options.maxBytesPerPartition
        ? { maxBytesPerPartition: this.options.maxBytesPerPartition, maxBytes: this.options.maxBytesPerPartition * 12 }
        : {}),
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => (this.assigned = true));
    consumer.on(consumer.events.CRASH, (e) => {
      this.assigned = false;
      this.logger.error(`consumer crashed: ${e.payload.error?.message}; restart=${e.payload.restart}`);
    });
    consumer.on(consumer.events.STOP, () => (this.assigned = false));
    await consumer.connect();
    await consumer.subscribe({ topics: this.options.topics, fromBeginning: this.options.fromBeginning ?? true });
    await consumer.run({
      eachBatchAutoResolve: false,
      autoCommit: true,
      // kafkajs fetches again only when every batch of the last fetch is done: handle all partitions at once
      partitionsConsumedConcurrently: this.options.partitionConcurrency ?? 12,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = undefined;
    this.assigned = false;
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } = payload;
    if (batch.messages.length === 0) return;
    const started = Date.now();
    const records = batch.messages.map((m) => toRecord(batch.topic, batch.partition, m));
    const active = () => isRunning() && !isStale();
    this.options.observe?.({ topic: batch.topic, partition: batch.partition, records: 0, lag: Number(batch.offsetLagLow()) + 1, durationMs: 0 });
    const handleBatch = this.handleBatchOf;
    if (handleBatch) await this.handleWithRetry(records, heartbeat, active, handleBatch);
    else
      await forEachConcurrently(groupByKey(records), this.options.keyConcurrency ?? 16, (group) =>
        this.handleWithRetry(group, heartbeat, active, this.options.handle),
      );
    resolveOffset(batch.lastOffset());
    await heartbeat();
    await commitOffsetsIfNecessary();
    this.options.observe?.({
      topic: batch.topic,
      partition: batch.partition,
      records: records.length,
      lag: Number(batch.offsetLag()),
      durationMs: Date.now() - started,
    });
  }

  private async handleWithRetry(
    records: ConsumedRecord[],
    heartbeat: () => Promise<void>,
    active: () => boolean,
    handle: (records: ConsumedRecord[]) => Promise<void>,
  ): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await handle(records);
        return;
      } catch (error) {
        const first = records[0];
        const delay = backoffDelay(attempt, this.options.retryBaseMs ?? 200, this.options.retryMaxMs ?? 10000);
        this.logger.warn(
          `handling ${first.topic}[${first.partition}]@${first.offset} key=${first.key} failed (attempt ${attempt + 1}), retrying in ${delay} ms: ${(error as Error).message}`,
        );
        await sleep(delay);
        // Partitions moved to another member: stop here; that member redelivers from the last commit.
        if (!active()) throw new Error('consumer stopped or rebalanced while retrying', { cause: error });
        await heartbeat().catch((e: Error) => this.logger.warn(`heartbeat failed: ${e.message}`));
      }
    }
  }
}

/**
 * Joins the partition batches a consumer is handed together into fewer, larger calls of `handle`.
 *
 * kafkajs hands over the partitions of one fetch as separate batches, all at once. Under request–reply load each
 * holds a few records, so handling each alone meant a transaction per partition for two or three commands. Batches
 * handed over in the same turn of the event loop are handled by one call instead (each batch's records kept
 * together and in order, batches in the order they came), up to `maxRecords` per call: a batch that would go over
 * starts the next call, handled concurrently, so large batches (a replay) keep their partitions in parallel.
 * A batch is never split, so per-key order within a partition is the handler's as before.
 *
 * Every batch's promise settles with its call: if the call fails, every batch in it sees the failure, and each is
 * retried by its own consumer loop (retries handed over in the same turn are joined again).
 */
export function gatherBatches<T>(handle: (records: T[]) => Promise<void>, maxRecords: number): (batch: T[]) => Promise<void> {
  const calls = new GroupCommit<T[]>({
    maxSize: maxRecords,
    weigh: (batch) => batch.length,
    concurrency: Infinity,
    commit: async (group) => {
      await handle(group.flatMap((s) => s.item));
      group.forEach((s) => s.resolve());
    },
  });
  return (batch) => (batch.length === 0 ? Promise.resolve() : calls.submit(batch));
}
