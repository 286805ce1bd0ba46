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
  /** set once the request is acknowledged by the broker: the reply timeout counts from there */
  timer?: NodeJS.Timeout;
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
  private stopped = false;

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
