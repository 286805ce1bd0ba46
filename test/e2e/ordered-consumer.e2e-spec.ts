/**
 * The messaging layer's consumer on a real broker: partition batches gathered into fewer calls of the handler,
 * every record handled, per-key order kept, and a failing call retried without losing or reordering records.
 */
import { Kafka, logLevel, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { ConsumedRecord, ensureTopics, KeyPartitioner, OrderedConsumer } from '@scimflow/messaging';

const PARTITIONS = 12;
const KEYS = 48;
const PER_KEY = 10;

describe('OrderedConsumer with gathered partition batches (real Kafka)', () => {
  const kafka = new Kafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'e2e-ordered-consumer', logLevel: logLevel.NOTHING });
  const prefix = process.env.KAFKA_TOPIC_PREFIX!;
  // Idempotent, so that a send kafkajs retries after a partition of the new topic answered "not leader" does not
  // write the other partitions' records twice: these specs count what the consumer hands over, not the producer.
  const producer: Producer = kafka.producer({ createPartitioner: KeyPartitioner, idempotent: true, maxInFlightRequests: 1 });
  const consumers: OrderedConsumer[] = [];

  beforeAll(async () => {
    await producer.connect();
  });

  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.stop()));
    await producer.disconnect();
  });

  /** A topic of 12 partitions holding PER_KEY records for each of KEYS keys, values "<key>:<n>" in order. */
  async function filledTopic(): Promise<string> {
    const topic = `${prefix}ordered-consumer-${randomUUID()}`;
    await ensureTopics(kafka, [{ name: topic, partitions: PARTITIONS }]);
    const messages = [];
    for (let n = 0; n < PER_KEY; n++) for (let k = 0; k < KEYS; k++) messages.push({ key: `key-${k}`, value: `key-${k}:${n}` });
    await producer.send({ topic, acks: -1, messages });
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
    expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(KEYS * PER_KEY);
    return topic;
  }

  function start(topic: string, handleBatch: (records: ConsumedRecord[]) => Promise<void>, gatherBatchesUpTo?: number): OrderedConsumer {
    const consumer = new OrderedConsumer(kafka, {
      groupId: `${prefix}ordered-consumer-${randomUUID()}`,
      topics: [topic],
      handle: async () => {
        throw new Error('handleBatch is given: handle is never called');
      },
      handleBatch,
      gatherBatchesUpTo,
      retryBaseMs: 20,
      retryMaxMs: 100,
    });
    consumers.push(consumer);
    return consumer;
  }

  async function until(done: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  function expectEveryKeyInOrder(handled: string[]): void {
    const byKey = new Map<string, number[]>();
    for (const v of handled) {
      const [key, n] = v.split(':');
      byKey.set(key, [...(byKey.get(key) ?? []), Number(n)]);
    }
    expect(byKey.size).toBe(KEYS);
    for (const ns of byKey.values()) expect(ns).toEqual(Array.from({ length: PER_KEY }, (_, i) => i));
  }

  /** The calls a consumer with this limit makes for a filled topic, once every record was handed over. */
  async function callsUpTo(gatherBatchesUpTo: number): Promise<ConsumedRecord[][]> {
    const calls: ConsumedRecord[][] = [];
    await start(await filledTopic(), async (records) => void calls.push(records), gatherBatchesUpTo).start();
    await until(() => calls.flat().length >= KEYS * PER_KEY, 'every record');
    return calls;
  }

  it('hands the batches of several partitions to one call, each record once and every key in order', async () => {
    const calls = await callsUpTo(10_000);
    const handled = calls.flat().map((r) => r.value!.toString());
    expect(handled).toHaveLength(KEYS * PER_KEY);
    expect(new Set(handled).size).toBe(KEYS * PER_KEY);
    expectEveryKeyInOrder(handled);
    // the 12 partitions arrived in fewer calls than partitions, some call holding records of several
    expect(calls.length).toBeLessThan(PARTITIONS);
    expect(Math.max(...calls.map((c) => new Set(c.map((r) => r.partition)).size))).toBeGreaterThan(1);
    // and a partition's records stay together and in offset order within a call
    for (const call of calls) {
      const partitions = call.map((r) => r.partition);
      expect(partitions.filter((p, i) => i > 0 && p !== partitions[i - 1]).length).toBe(new Set(partitions).size - 1);
      for (const p of new Set(partitions)) {
        const offsets = call.filter((r) => r.partition === p).map((r) => Number(r.offset));
        expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
      }
    }
  });

  it('keeps calls within the limit: batches that would go over are handled in a call of their own', async () => {
    // 480 records over 12 partitions: partition batches of ~40, so most cannot join another under 50
    const calls = await callsUpTo(50);
    // a call over the limit can only be one partition's batch, never batches joined
    for (const call of calls) if (call.length > 50) expect(new Set(call.map((r) => r.partition)).size).toBe(1);
    expectEveryKeyInOrder(calls.flat().map((r) => r.value!.toString()));
  });

  it('retries a failed call: nothing is lost and every key stays in order', async () => {
    const topic = await filledTopic();
    const handled: string[] = [];
    let failures = 0;
    const consumer = start(
      topic,
      async (records) => {
        // the first two calls fail as a database outage would, after seeing their records
        if (failures < 2) {
          failures++;
          throw new Error('database unavailable');
        }
        handled.push(...records.map((r) => r.value!.toString()));
      },
      10_000,
    );
    await consumer.start();
    await until(() => handled.length >= KEYS * PER_KEY, 'every record');
    expect(failures).toBe(2);
    expect(handled).toHaveLength(KEYS * PER_KEY);
    expectEveryKeyInOrder(handled);
  });
});
