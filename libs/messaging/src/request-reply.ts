import { Logger } from '@nestjs/common';
import { Consumer, Kafka } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { CoalescingProducer, OutgoingRecord } from './coalescing-producer';
import { decodeHeaders } from './record';

export const CORRELATION_HEADER = 'correlation-id';
export const REPLY_TO_HEADER = 'reply-to';

export class RequestTimeoutError extends Error {
  constructor(readonly correlationId: string, timeoutMs: number) {
    super(`no reply for ${correlationId} within ${timeoutMs} ms`);
  }
}

export class RequestNotSentError extends Error {}

interface Waiter {
  resolve: (value: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Request–reply over Kafka. Requests carry a correlation id and the reply topic; replies on that topic
 * are matched to waiting callers. Every instance reads the whole reply topic with a group of its own
 * starting at the latest offset, so it sees the replies to its own requests wherever they land.
 */
export class RequestReplyClient {
  private readonly logger = new Logger(RequestReplyClient.name);
  private readonly waiting = new Map<string, Waiter>();
  private consumer?: Consumer;
  private ready = false;

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
      maxWaitTimeInMs: 20,
      allowAutoTopicCreation: false,
      sessionTimeout: 30000,
    });
    this.consumer = consumer;
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    consumer.on(consumer.events.CRASH, (e) => {
      this.ready = false;
      this.logger.error(`reply consumer crashed: ${e.payload.error?.message}`);
    });
    consumer.on(consumer.events.GROUP_JOIN, () => (this.ready = true));
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
          this.waiting.delete(correlationId);
          clearTimeout(waiter.timer);
          try {
            waiter.resolve(JSON.parse(m.value?.toString('utf8') ?? 'null'));
          } catch (e) {
            waiter.reject(e as Error);
          }
        }
      },
    });
    // Replies sent before our partitions are assigned would be missed: do not take requests until then.
    await joined;
  }

  async stop(): Promise<void> {
    for (const [id, w] of this.waiting) {
      clearTimeout(w.timer);
      w.reject(new RequestTimeoutError(id, 0));
    }
    this.waiting.clear();
    await this.consumer?.disconnect();
    this.ready = false;
  }

  /**
   * Publishes the request and waits for its reply. Rejects with RequestNotSentError when the broker did not
   * acknowledge the request (nothing was accepted), or RequestTimeoutError when it was accepted but not
   * answered in time (it will still be applied).
   */
  async request<T>(record: OutgoingRecord, correlationId: string, timeoutMs: number): Promise<T> {
    const reply = new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(correlationId);
        reject(new RequestTimeoutError(correlationId, timeoutMs));
      }, timeoutMs);
      this.waiting.set(correlationId, { resolve: resolve as (v: unknown) => void, reject, timer });
    });
    try {
      await this.producer.send({
        ...record,
        headers: { ...record.headers, [CORRELATION_HEADER]: correlationId, [REPLY_TO_HEADER]: this.replyTopic },
      });
    } catch (e) {
      const w = this.waiting.get(correlationId);
      if (w) clearTimeout(w.timer);
      this.waiting.delete(correlationId);
      throw new RequestNotSentError((e as Error).message);
    }
    return reply;
  }
}
