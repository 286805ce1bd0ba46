import fc from 'fast-check';
import { Kafka, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError, KafkaJSConnectionError } from 'kafkajs';
import { MAX_RECORD_BYTES } from '@scimflow/contracts';
import { CoalescingProducer, OutgoingRecord, RECORD_FRAMING_BYTES, recordBytes, splitByTopicBytes } from './coalescing-producer';
import { classifyFailure } from './failure';
import { RecordHeldBackError, RecordRejectedError, RecordTooLargeError } from './record-errors';

type Batch = { topicMessages: { topic: string; messages: { key: string; value: string }[] }[] };

/** A kafkajs client whose producer records each request and answers it with `answer`. */
function fakeKafka(answer: (batch: Batch) => Promise<unknown> = async () => []) {
  const requests: Batch[] = [];
  const kafka = {
    producer: () => ({
      on: () => undefined,
      events: { CONNECT: 'connect', DISCONNECT: 'disconnect' },
      sendBatch: (batch: Batch) => {
        requests.push(batch);
        return answer(batch);
      },
    }),
  } as unknown as Kafka;
  return { kafka, requests, sentKeys: () => requests.flatMap((r) => r.topicMessages.flatMap((t) => t.messages.map((m) => m.key))) };
}

const rec = (key: string, bytes = 10, topic = 't'): OutgoingRecord => ({ topic, key, value: 'x'.repeat(bytes) });
const tooLarge = (key: string) => rec(key, MAX_RECORD_BYTES - RECORD_FRAMING_BYTES - key.length + 1);
const protocolError = (type: string) => new KafkaJSProtocolError({ type, code: 10, retriable: false, message: `${type} refused` } as never);

describe('CoalescingProducer record limit', () => {
  it('refuses a record over MAX_RECORD_BYTES alone, never sends it, sends the rest and holds back its key', async () => {
    const { kafka, sentKeys } = fakeKafka();
    const producer = new CoalescingProducer(kafka);
    const results = await Promise.allSettled([producer.send(rec('a')), producer.send(tooLarge('big')), producer.send(rec('b')), producer.send(rec('big'))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(RecordTooLargeError);
    expect((results[3] as PromiseRejectedResult).reason).toBeInstanceOf(RecordHeldBackError);
    expect(sentKeys()).toEqual(['a', 'b']);
  });

  it('accepts a record exactly at the limit', async () => {
    const { kafka, sentKeys } = fakeKafka();
    const atLimit = rec('k', MAX_RECORD_BYTES - RECORD_FRAMING_BYTES - 1);
    expect(recordBytes(atLimit) + RECORD_FRAMING_BYTES).toBe(MAX_RECORD_BYTES);
    await new CoalescingProducer(kafka).send(atLimit);
    expect(sentKeys()).toEqual(['k']);
  });

  it('counts headers against the limit', async () => {
    const { kafka, sentKeys } = fakeKafka();
    const r = { ...rec('k', MAX_RECORD_BYTES - RECORD_FRAMING_BYTES - 1), headers: { h: 'v' } };
    await expect(new CoalescingProducer(kafka).send(r)).rejects.toBeInstanceOf(RecordTooLargeError);
    expect(sentKeys()).toEqual([]);
  });

  it('fails only the record the broker refuses (sending one by one), holding back its key', async () => {
    const { kafka } = fakeKafka(async (batch) => {
      if (batch.topicMessages.some((t) => t.messages.some((m) => m.key === 'bad'))) throw new KafkaJSNonRetriableError(protocolError('MESSAGE_TOO_LARGE'));
      return [];
    });
    const producer = new CoalescingProducer(kafka);
    const results = await Promise.allSettled(['a', 'bad', 'b', 'bad', 'c'].map((k) => producer.send(rec(k))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(RecordRejectedError);
    expect((results[3] as PromiseRejectedResult).reason).toBeInstanceOf(RecordHeldBackError);
  });

  it('fails the whole request with the transient error when the broker is unreachable', async () => {
    const down = new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('Connection error: ECONNREFUSED'), { retryCount: 3, retryTime: 1 } as never);
    const { kafka } = fakeKafka(async () => {
      throw down;
    });
    const producer = new CoalescingProducer(kafka);
    const results = await Promise.allSettled([producer.send(rec('a')), producer.send(rec('b'))]);
    expect(results.map((r) => (r as PromiseRejectedResult).reason)).toEqual([down, down]);
    expect(classifyFailure(down)).toBe('transient');
  });

  it('splits a flush so that no request carries more than MAX_RECORD_BYTES for one topic', async () => {
    const { kafka, requests } = fakeKafka();
    const producer = new CoalescingProducer(kafka);
    await producer.sendMany(Array.from({ length: 5 }, (_, i) => rec(`k${i}`, MAX_RECORD_BYTES / 2)));
    expect(requests.length).toBeGreaterThan(1);
    expect(requests.flatMap((r) => r.topicMessages.flatMap((t) => t.messages.map((m) => m.key)))).toEqual(['k0', 'k1', 'k2', 'k3', 'k4']);
  });
});

describe('splitByTopicBytes', () => {
  it('keeps the order, loses nothing, and bounds every topic of every request (but a lone record)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ topic: fc.constantFrom('a', 'b'), size: fc.integer({ min: 0, max: 3000 }) }), { maxLength: 40 }), (items) => {
        const records = items.map((x, i) => rec(`k${i}`, x.size, x.topic));
        const requests = splitByTopicBytes(records, (r) => r, 5000);
        expect(requests.flat()).toEqual(records);
        for (const request of requests) {
          if (request.length === 1) continue;
          for (const topic of ['a', 'b'])
            expect(request.filter((r) => r.topic === topic).reduce((n, r) => n + recordBytes(r) + RECORD_FRAMING_BYTES, 0)).toBeLessThanOrEqual(5000);
        }
      }),
    );
  });
});

describe('classifyFailure', () => {
  it.each([
    ['too large', new RecordTooLargeError('t', 'k', 1), 'deterministic'],
    ['broker refusal wrapped by kafkajs', new KafkaJSNonRetriableError(protocolError('INVALID_RECORD')), 'deterministic'],
    ['retries exhausted on a retriable error', new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('gone'), {} as never), 'transient'],
    ['retriable protocol error', new KafkaJSProtocolError({ type: 'NOT_LEADER_FOR_PARTITION', code: 6, retriable: true, message: 'x' } as never), 'transient'],
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), 'transient'],
    ['postgres connection failure', Object.assign(new Error('the database system is shutting down'), { code: '57P03' }), 'transient'],
    ['postgres constraint', Object.assign(new Error('value too long'), { code: '22001' }), 'deterministic'],
    ['held back', new RecordHeldBackError('t', 'k'), 'transient'],
  ])('%s is %s', (_name, error, expected) => expect(classifyFailure(error)).toBe(expected));
});
