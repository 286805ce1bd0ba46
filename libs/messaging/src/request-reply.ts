import { Logger } from '@nestjs/common';
import { AssignerProtocol, Consumer, Kafka, PartitionAssigner } from 'kafkajs';
import { randomInt, randomUUID } from 'node:crypto';
import { CoalescingProducer, OutgoingRecord } from './coalescing-producer';
import { partitionOfKey } from './key-partitioner';
import { decodeHeaders } from './record';

export const CORRELATION_HEADER = 'correlation-id';
export const REPLY_TO_HEADER = 'reply-to';

export class RequestTimeoutError extends Error {
  constructor(
    readonly correlationId: string,
    timeoutMs: number,
  ) {
    super(`no reply for ${correlationId} within ${timeoutMs} ms`);
  }
}

export class RequestNotSentError extends Error {}

interface Waiter {
  resolve: (value: unknown) => void;
  reject: (e: Error) => void;
  /** set once the request is acknowledged by the broker: the reply timeout counts from there */
  timer?: NodeJS.Timeout;
}

const SINGLE_PARTITION = 'ScimflowSinglePartition';

/**
 * The answer to a request record, addressed as the requester expects: to the reply topic its headers name, keyed by
 * its correlation id (so Kafka's default partitioning puts it on the partition the requester reads, see
 * RequestReplyClient). Undefined for a record that expects no answer (replays, other producers).
 */
export function replyTo(requestHeaders: Record<string, string>, value: string): OutgoingRecord | undefined {
  const address = replyAddress(requestHeaders);
  return address && replyAt(address, value);
}

/** Where a request's answer goes, if anybody waits for it; kept by whoever answers it later (a parked command). */
export function replyAddress(requestHeaders: Record<string, string>): { topic: string; correlationId: string } | undefined {
  const topic = requestHeaders[REPLY_TO_HEADER];
  const correlationId = requestHeaders[CORRELATION_HEADER];
  return topic && correlationId ? { topic, correlationId } : undefined;
}

/** The answer record for a reply address. */
export function replyAt(address: { topic: string; correlationId: string }, value: string): OutgoingRecord {
  return { topic: address.topic, key: address.correlationId, value, headers: { [CORRELATION_HEADER]: address.correlationId } };
}

/**
 * A consumer group assigner that gives one partition of each topic, `choose(topic, partitionCount)`, to the group's
 * first member (by id) and none to any other: for groups of one member, as each RequestReplyClient's is.
 */
export function singlePartitionAssigner(choose: (topic: string, partitionCount: number) => number): PartitionAssigner {
  return ({ cluster }) => ({
    name: SINGLE_PARTITION,
    version: 0,
    async assign({ members, topics }) {
      const assignment: Record<string, number[]> = {};
      for (const topic of topics) {
        const count = cluster.findTopicPartitionMetadata(topic).length;
        if (count > 0) assignment[topic] = [choose(topic, count)];
      }
      return members
        .map((m) => m.memberId)
        .sort()
        .map((memberId, i) => ({
          memberId,
          memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: i === 0 ? assignment : {}, userData: Buffer.alloc(0) }),
        }));
    },
    protocol({ topics }) {
      return { name: SINGLE_PARTITION, metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }) };
    },
  });
}

/**
 * A new random correlation id whose record lands on `partition` of a topic of `partitionCount` partitions when used
 * as the key (Kafka's default partitioning): the replier keys its reply by it, so the reply reaches that partition
 * without the replier knowing anything but the key. About `partitionCount` tries of a UUID and a murmur2 each.
 */
export function correlationIdOnPartition(partition: number, partitionCount: number): string {
  if (!(partition >= 0 && partition < partitionCount)) throw new RangeError(`partition ${partition} is not one of ${partitionCount}`);
  for (;;) {
    const id = randomUUID();
    if (partitionOfKey(id, partitionCount) === partition) return id;
  }
}

/**
 * Request–reply over Kafka. Requests carry a correlation id and the reply topic; replies on that topic are matched to
 * waiting callers. Each instance has a consumer group of its own, starting at the latest offset, that reads one
 * partition of the reply topic, chosen at random when it starts; the repliers key each reply by its correlation id,
 * and newCorrelationId() picks ids that hash to that partition, so an instance decodes its own replies and those of
 * the few instances that chose the same partition, not every instance's (with N instances, about N/partitions of
 * them). The repliers need no change for it: they partition replies by key as Kafka's clients do.
 */
export class RequestReplyClient {
  private readonly logger = new Logger(RequestReplyClient.name);
  private readonly waiting = new Map<string, Waiter>();
  private consumer?: Consumer;
  private ready = false;
  private stopped = false;
  /** picks this instance's reply partition: the same one for a given partition count across rejoins */
  private readonly preferred = randomInt(2 ** 31 - 1);
  private chosen?: { partition: number; count: number };
  /** the reply partition this instance reads, once assigned */
  private replyPartition?: { partition: number; count: number };

  constructor(
    private readonly kafka: Kafka,
    private readonly producer: CoalescingProducer,
    private readonly replyTopic: string,
    private readonly groupPrefix: string,
  ) {}

  get isReady(): boolean {
    return this.ready;
  }

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: `${this.groupPrefix}-${randomUUID()}`,
      maxWaitTimeInMs: 500, // a reply completes the waiting fetch at once; the wait only bounds idle polling
      allowAutoTopicCreation: false,
      sessionTimeout: 30000,
      partitionAssigners: [
        singlePartitionAssigner((topic, count) => {
          const partition = this.preferred % count;
          if (topic === this.replyTopic) this.chosen = { partition, count };
          return partition;
        }),
      ],
    });
    this.consumer = consumer;
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    consumer.on(consumer.events.CRASH, (e) => {
      this.ready = false;
      this.logger.error(`reply consumer crashed: ${e.payload.error?.message}`);
    });
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      // Also after a rejoin (e.g. partitions were added to the reply topic): ids are picked for the partition held now.
      const assigned = e.payload.memberAssignment[this.replyTopic] ?? [];
      this.replyPartition = assigned.length === 1 && this.chosen?.partition === assigned[0] ? this.chosen : undefined;
      if (!this.replyPartition)
        this.logger.warn(`reply consumer assigned partitions [${assigned.join(', ')}] of ${this.replyTopic}: correlation ids are not steered`);
      this.ready = true;
    });
    await consumer.connect();
    await consumer.subscribe({ topic: this.replyTopic, fromBeginning: false });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          const correlationId = decodeHeaders(m.headers)[CORRELATION_HEADER] ?? m.key?.toString();
          if (!correlationId) continue;
          const waiter = this.waiting.get(correlationId);
          if (!waiter) continue; // another instance's request, or one that already timed out
          let value: unknown;
          try {
            value = JSON.parse(m.value?.toString('utf8') ?? 'null');
          } catch (e) {
            // left to time out (503 to the client): rejecting here could reach a caller still sending
            this.logger.error(`unreadable reply for ${correlationId}: ${(e as Error).message}`);
            continue;
          }
          this.waiting.delete(correlationId);
          clearTimeout(waiter.timer);
          waiter.resolve(value);
        }
      },
    });
    // Replies sent before our partitions are assigned would be missed: do not take requests until then.
    await joined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const [id, w] of this.waiting) {
      // Only requests already sent have a caller awaiting the reply; the others learn of the stop after sending.
      if (!w.timer) continue;
      clearTimeout(w.timer);
      w.reject(new RequestTimeoutError(id, 0));
    }
    this.waiting.clear();
    await this.consumer?.disconnect();
    this.ready = false;
  }

  /**
   * A correlation id whose reply lands on the partition this instance reads. Before the consumer is assigned (or if
   * it was not given exactly one partition) any id: the reply is then read only if it lands on the partition held.
   */
  newCorrelationId(): string {
    const target = this.replyPartition;
    return target ? correlationIdOnPartition(target.partition, target.count) : randomUUID();
  }

  /** the partition of the reply topic this instance reads, and the topic's partition count; undefined before start */
  get replyAssignment(): { partition: number; count: number } | undefined {
    return this.replyPartition;
  }

  /**
   * Publishes the request and waits for its reply. Rejects with RequestNotSentError when the broker did not
   * acknowledge the request (nothing was accepted), or RequestTimeoutError when it was accepted but not
   * answered in time (it will still be applied).
   */
  async request<T>(record: OutgoingRecord, correlationId: string, timeoutMs: number): Promise<T> {
    let waiter!: Waiter;
    const reply = new Promise<T>((resolve, reject) => (waiter = { resolve: resolve as (v: unknown) => void, reject }));
    // Registered before sending, so that even a reply faster than the broker's acknowledgement is matched.
    this.waiting.set(correlationId, waiter);
    try {
      await this.producer.send({
        ...record,
        headers: { ...record.headers, [CORRELATION_HEADER]: correlationId, [REPLY_TO_HEADER]: this.replyTopic },
      });
    } catch (e) {
      this.waiting.delete(correlationId);
      throw new RequestNotSentError((e as Error).message);
    }
    if (this.stopped) throw new RequestTimeoutError(correlationId, 0);
    // The timer starts only now: a send that is slow to fail must not reject a reply nobody awaits yet.
    if (this.waiting.has(correlationId))
      waiter.timer = setTimeout(() => {
        this.waiting.delete(correlationId);
        waiter.reject(new RequestTimeoutError(correlationId, timeoutMs));
      }, timeoutMs);
    return reply;
  }
}
