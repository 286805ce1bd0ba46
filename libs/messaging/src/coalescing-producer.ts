import { Logger } from '@nestjs/common';
import { Kafka, Message, Producer } from 'kafkajs';
import { MAX_RECORD_BYTES } from '@scimflow/contracts';
import { KeyPartitioner } from './key-partitioner';
import { classifyFailure } from './failure';
import { GroupCommit, Submission } from './group-commit';
import { RecordHeldBackError, RecordRejectedError, RecordTooLargeError } from './record-errors';

export interface OutgoingRecord {
  topic: string;
  key: string;
  value: string | Buffer;
  headers?: Record<string, string>;
}

/**
 * Room left in MAX_RECORD_BYTES for Kafka's framing of a record and of its batch (record and batch headers, varints):
 * a record counted at most MAX_RECORD_BYTES - this fits a topic whose `max.message.bytes` is MAX_RECORD_BYTES.
 */
export const RECORD_FRAMING_BYTES = 1024;

/** The bytes a record puts on the wire before framing: key, value and every header's name and value (UTF-8). */
export function recordBytes(record: OutgoingRecord): number {
  let n = Buffer.byteLength(record.key) + (typeof record.value === 'string' ? Buffer.byteLength(record.value) : record.value.length);
  for (const [name, value] of Object.entries(record.headers ?? {})) n += Buffer.byteLength(name) + Buffer.byteLength(value);
  return n;
}

/** The RecordTooLargeError a record would be refused with, or undefined when it fits its topic. */
export function recordTooLarge(record: OutgoingRecord, limit = MAX_RECORD_BYTES): RecordTooLargeError | undefined {
  const bytes = recordBytes(record) + RECORD_FRAMING_BYTES;
  return bytes > limit ? new RecordTooLargeError(record.topic, record.key, bytes, limit) : undefined;
}

/**
 * Splits records (in order) into consecutive requests in which no topic gets more than `limit` bytes: kafkajs writes
 * one record batch per partition, and the broker holds a batch to `max.message.bytes`, so a flush of many records
 * that each fit could otherwise be refused as a whole.
 */
export function splitByTopicBytes<T>(items: T[], recordOf: (item: T) => OutgoingRecord, limit = MAX_RECORD_BYTES): T[][] {
  const requests: T[][] = [];
  let current: T[] = [];
  let bytes = new Map<string, number>();
  for (const item of items) {
    const r = recordOf(item);
    const size = recordBytes(r) + RECORD_FRAMING_BYTES;
    const used = bytes.get(r.topic) ?? 0;
    if (current.length > 0 && used + size > limit) {
      requests.push(current);
      current = [];
      bytes = new Map();
    }
    current.push(item);
    bytes.set(r.topic, (bytes.get(r.topic) ?? 0) + size);
  }
  if (current.length > 0) requests.push(current);
  return requests;
}

type Pending = Submission<OutgoingRecord, void>;

/**
 * A producer that coalesces concurrent sends into one request per flush (no added delay: the flush
 * runs on the next tick and, while one is in flight, the next batch collects behind it).
 * One flush at a time keeps records with the same key in send order.
 *
 * Every record is checked against MAX_RECORD_BYTES first: one too large is refused alone (RecordTooLargeError),
 * never sent. A record the broker refuses for what it is fails alone too (RecordRejectedError), the rest of its flush
 * is sent. Either way the later records of the flush with the same key are not sent (RecordHeldBackError, transient),
 * so that a key's records are never published out of order.
 */
export class CoalescingProducer {
  private readonly logger = new Logger(CoalescingProducer.name);
  private readonly producer: Producer;
  private readonly sends: GroupCommit<OutgoingRecord>;
  private connected = false;

  constructor(kafka: Kafka, maxBatch = 2000) {
    this.sends = new GroupCommit({ maxSize: maxBatch, commit: (batch) => this.flush(batch) });
    // Java-compatible murmur2 partitioning: the same key lands on the same partition as from Java clients.
    this.producer = kafka.producer({ createPartitioner: KeyPartitioner, allowAutoTopicCreation: false, retry: { retries: 3, initialRetryTime: 200 } });
    this.producer.on(this.producer.events.DISCONNECT, () => (this.connected = false));
    this.producer.on(this.producer.events.CONNECT, () => (this.connected = true));
  }

  get isConnected(): boolean {
    return this.connected;
  }

  async connect(): Promise<void> {
    await this.producer.connect();
  }

  async disconnect(): Promise<void> {
    await this.sends.drain();
    await this.producer.disconnect();
  }

  /** Resolves once the record is durably acknowledged by the broker (acks=all). */
  send(record: OutgoingRecord): Promise<void> {
    return this.sends.submit(record);
  }

  sendMany(records: OutgoingRecord[]): Promise<void> {
    return Promise.all(records.map((r) => this.send(r))).then(() => undefined);
  }

  private async flush(batch: Pending[]): Promise<void> {
    const failedKeys = new Set<string>();
    const sendable: Pending[] = [];
    for (const p of batch) {
      const tooLarge = recordTooLarge(p.item);
      if (tooLarge) this.fail(p, tooLarge, failedKeys);
      else sendable.push(p);
    }
    for (const request of splitByTopicBytes(sendable, (p) => p.item))
      await this.sendRequest(
        request.filter((p) => !this.heldBack(p, failedKeys)),
        failedKeys,
      );
  }

  private async sendRequest(request: Pending[], failedKeys: Set<string>): Promise<void> {
    if (request.length === 0) return;
    try {
      await this.sendAll(request);
      request.forEach((p) => p.resolve());
    } catch (e) {
      if (classifyFailure(e) === 'deterministic' && request.length > 1) {
        // kafkajs reports a refused partition batch as one error for the whole request: send each record alone,
        // in order, to fail only the records the broker refuses.
        this.logger.warn(`send of ${request.length} records was refused (${(e as Error).message}); sending them one by one`);
        for (const p of request) {
          if (this.heldBack(p, failedKeys)) continue;
          try {
            await this.sendAll([p]);
            p.resolve();
          } catch (one) {
            this.fail(p, this.typed(p, one), failedKeys);
          }
        }
        return;
      }
      this.logger.warn(`send of ${request.length} records failed: ${(e as Error).message}`);
      request.forEach((p) => this.fail(p, request.length === 1 ? this.typed(p, e) : (e as Error), failedKeys));
    }
  }

  private sendAll(request: Pending[]): Promise<unknown> {
    const byTopic = new Map<string, Message[]>();
    for (const p of request) {
      const list = byTopic.get(p.item.topic) ?? [];
      list.push({ key: p.item.key, value: p.item.value, headers: p.item.headers });
      byTopic.set(p.item.topic, list);
    }
    return this.producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
  }

  /** A deterministic failure of one record as RecordRejectedError (a typed error callers can park on). */
  private typed(p: Pending, e: unknown): Error {
    if (e instanceof RecordTooLargeError || e instanceof RecordRejectedError) return e;
    return classifyFailure(e) === 'deterministic' ? new RecordRejectedError(p.item.topic, p.item.key, (e as Error).message) : (e as Error);
  }

  private fail(p: Pending, e: Error, failedKeys: Set<string>): void {
    failedKeys.add(p.item.key);
    p.reject(e);
  }

  private heldBack(p: Pending, failedKeys: Set<string>): boolean {
    if (!failedKeys.has(p.item.key)) return false;
    p.reject(new RecordHeldBackError(p.item.topic, p.item.key));
    return true;
  }
}
