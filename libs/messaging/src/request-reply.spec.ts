import { AssignerProtocol, Kafka } from 'kafkajs';
import { CoalescingProducer, OutgoingRecord } from './coalescing-producer';
import { partitionOfKey } from './key-partitioner';
import {
  correlationIdOnPartition,
  CORRELATION_HEADER,
  REPLY_TO_HEADER,
  replyTo,
  RequestNotSentError,
  RequestReplyClient,
  RequestTimeoutError,
  singlePartitionAssigner,
} from './request-reply';

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

describe('correlationIdOnPartition', () => {
  it('gives distinct UUIDs that a key-partitioned reply puts on the chosen partition', () => {
    for (const count of [1, 3, 12, 50]) {
      for (let partition = 0; partition < count; partition += Math.max(1, Math.floor(count / 6))) {
        const ids = Array.from({ length: 40 }, () => correlationIdOnPartition(partition, count));
        expect(new Set(ids).size).toBe(ids.length);
        for (const id of ids) {
          expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
          expect(partitionOfKey(id, count)).toBe(partition);
        }
      }
    }
  });

  it('refuses a partition the topic does not have', () => {
    expect(() => correlationIdOnPartition(12, 12)).toThrow(RangeError);
    expect(() => correlationIdOnPartition(-1, 12)).toThrow(RangeError);
  });
});

describe('singlePartitionAssigner', () => {
  const cluster = {
    findTopicPartitionMetadata: (topic: string) => Array.from({ length: topic === 'replies' ? 12 : 3 }, (_, partitionId) => ({ partitionId })),
  };
  const decode = (b: Buffer) => AssignerProtocol.MemberAssignment.decode(b)!.assignment;

  it("gives the member the one partition chosen for each topic, knowing the topic's partition count", async () => {
    const asked: [string, number][] = [];
    const assigner = singlePartitionAssigner((topic, count) => {
      asked.push([topic, count]);
      return topic === 'replies' ? 7 : 2;
    })({ cluster } as never);
    const [only] = await assigner.assign({ members: [{ memberId: 'm1', memberMetadata: Buffer.alloc(0) }], topics: ['replies', 'other'] });
    expect(only.memberId).toBe('m1');
    expect(decode(only.memberAssignment)).toEqual({ replies: [7], other: [2] });
    expect(asked).toEqual([
      ['replies', 12],
      ['other', 3],
    ]);
  });

  it('gives nothing to a second member: no partition is read twice in one group', async () => {
    const assigner = singlePartitionAssigner(() => 4)({ cluster } as never);
    const result = await assigner.assign({
      members: [
        { memberId: 'b', memberMetadata: Buffer.alloc(0) },
        { memberId: 'a', memberMetadata: Buffer.alloc(0) },
      ],
      topics: ['replies'],
    });
    expect(Object.fromEntries(result.map((r) => [r.memberId, decode(r.memberAssignment)]))).toEqual({ a: { replies: [4] }, b: {} });
  });

  it('announces itself under one protocol name with the subscribed topics', () => {
    const assigner = singlePartitionAssigner(() => 0)({ cluster } as never);
    const protocol = assigner.protocol({ topics: ['replies'] });
    expect(protocol.name).toBe(assigner.name);
    expect(AssignerProtocol.MemberMetadata.decode(protocol.metadata)!.topics).toEqual(['replies']);
  });
});

describe('replyTo', () => {
  it('answers on the reply topic, keyed and headed by the correlation id', () => {
    expect(replyTo({ [REPLY_TO_HEADER]: 'outcomes', [CORRELATION_HEADER]: 'c-1', traceparent: 'x' }, '{"ok":true}')).toEqual({
      topic: 'outcomes',
      key: 'c-1',
      value: '{"ok":true}',
      headers: { [CORRELATION_HEADER]: 'c-1' },
    });
  });

  it('is nothing for a record that expects no answer', () => {
    expect(replyTo({ [CORRELATION_HEADER]: 'c-1' }, '{}')).toBeUndefined();
    expect(replyTo({ [REPLY_TO_HEADER]: 'outcomes' }, '{}')).toBeUndefined();
    expect(replyTo({}, '{}')).toBeUndefined();
  });
});
