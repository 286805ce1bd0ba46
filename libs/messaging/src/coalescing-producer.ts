import { Logger } from '@nestjs/common';
import { Kafka, Message, Producer } from 'kafkajs';
import { KeyPartitioner } from './key-partitioner';

export interface OutgoingRecord {
  topic: string;
  key: string;
  value: string;
  headers?: Record<string, string>;
}

interface Pending {
  record: OutgoingRecord;
  resolve: () => void;
  reject: (e: Error) => void;
}

/**
 * A producer that coalesces concurrent sends into one request per flush (no added delay: the flush
 * runs on the next tick and, while one is in flight, the next batch collects behind it).
 * One flush at a time keeps records with the same key in send order.
 */
export class CoalescingProducer {
  private readonly logger = new Logger(CoalescingProducer.name);
  private readonly producer: Producer;
  private queue: Pending[] = [];
  private flushing = false;
  private connected = false;

  constructor(kafka: Kafka, private readonly maxBatch = 2000) {
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
    while (this.queue.length > 0 || this.flushing) await new Promise((r) => setTimeout(r, 10));
    await this.producer.disconnect();
  }

  /** Resolves once the record is durably acknowledged by the broker (acks=all). */
  send(record: OutgoingRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      if (!this.flushing) setImmediate(() => void this.flush());
    });
  }

  sendMany(records: OutgoingRecord[]): Promise<void> {
    return Promise.all(records.map((r) => this.send(r))).then(() => undefined);
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        const byTopic = new Map<string, Message[]>();
        for (const p of batch) {
          const list = byTopic.get(p.record.topic) ?? [];
          list.push({ key: p.record.key, value: p.record.value, headers: p.record.headers });
          byTopic.set(p.record.topic, list);
        }
        try {
          await this.producer.sendBatch({
            acks: -1,
            topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
          });
          batch.forEach((p) => p.resolve());
        } catch (e) {
          this.logger.warn(`send of ${batch.length} records failed: ${(e as Error).message}`);
          batch.forEach((p) => p.reject(e as Error));
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
