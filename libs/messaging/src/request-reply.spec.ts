import { Kafka } from 'kafkajs';
import { CoalescingProducer, OutgoingRecord } from './coalescing-producer';
import { RequestNotSentError, RequestReplyClient, RequestTimeoutError } from './request-reply';

/** A producer port that fails or succeeds after a delay; request() never touches the consumer. */
function producer(behaviour: { delayMs: number; fail: boolean }): CoalescingProducer {
  return {
    send: (_r: OutgoingRecord) =>
      new Promise<void>((resolve, reject) => setTimeout(() => (behaviour.fail ? reject(new Error('broker gone')) : resolve()), behaviour.delayMs)),
  } as unknown as CoalescingProducer;
}

const record = { topic: 't', key: 'k', value: '{}' };

describe('RequestReplyClient.request', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  beforeAll(() => process.on('unhandledRejection', onUnhandled));
  afterAll(() => process.off('unhandledRejection', onUnhandled));

  it('reports a send that fails more slowly than the reply timeout as not sent, with no stray rejection', async () => {
    const client = new RequestReplyClient({} as Kafka, producer({ delayMs: 60, fail: true }), 'replies', 'g');
    await expect(client.request(record, 'c1', 10)).rejects.toBeInstanceOf(RequestNotSentError);
    await new Promise((r) => setTimeout(r, 50));
    expect(unhandled).toEqual([]);
  });

  it('times out only after the request was acknowledged', async () => {
    const client = new RequestReplyClient({} as Kafka, producer({ delayMs: 40, fail: false }), 'replies', 'g');
    const started = Date.now();
    await expect(client.request(record, 'c2', 30)).rejects.toBeInstanceOf(RequestTimeoutError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(65);
    expect(unhandled).toEqual([]);
  });
});
