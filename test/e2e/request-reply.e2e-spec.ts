/**
 * Request–reply on a real broker with several requesting instances: each reads one partition of the reply topic,
 * its correlation ids are picked so that replies keyed by them land there, and every request gets its answer.
 */
import { Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { CoalescingProducer, ensureTopics, OrderedConsumer, replyTo, RequestReplyClient } from '@scimflow/messaging';

const PARTITIONS = 12;
const INSTANCES = 3;
const REQUESTS_EACH = 30;

describe('RequestReplyClient instances on one reply topic (real Kafka)', () => {
  const kafka = new Kafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'e2e-request-reply', logLevel: logLevel.NOTHING });
  const prefix = `${process.env.KAFKA_TOPIC_PREFIX!}rr-${randomUUID().slice(0, 8)}.`;
  const requests = `${prefix}requests`;
  const replies = `${prefix}replies`;
  let producer: CoalescingProducer;
  let replier: OrderedConsumer;
  const clients: RequestReplyClient[] = [];

  beforeAll(async () => {
    await ensureTopics(kafka, [
      { name: requests, partitions: PARTITIONS },
      { name: replies, partitions: PARTITIONS },
    ]);
    producer = new CoalescingProducer(kafka);
    await producer.connect();
    // answers as the reconciler does (replyTo): to the topic the request names, keyed by its correlation id
    replier = new OrderedConsumer(kafka, {
      groupId: `${prefix}replier`,
      topics: [requests],
      handle: async (records) => {
        for (const record of records) {
          const answer = replyTo(record.headers, JSON.stringify({ echo: record.value?.toString('utf8') }));
          if (answer) await producer.send(answer);
        }
      },
    });
    await replier.start();
    for (let i = 0; i < INSTANCES; i++) {
      const client = new RequestReplyClient(kafka, producer, replies, `${prefix}requester`);
      clients.push(client);
      await client.start();
    }
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.stop()));
    await replier.stop();
    await producer.disconnect();
  });

  it('gives each instance one partition of the reply topic', () => {
    for (const client of clients) {
      const assignment = client.replyAssignment!;
      expect(assignment.count).toBe(PARTITIONS);
      expect(assignment.partition).toBeGreaterThanOrEqual(0);
      expect(assignment.partition).toBeLessThan(PARTITIONS);
    }
  });

  it("answers every request of every instance, and each reply lands on its requester's partition", async () => {
    const sent = clients.map((client) => Array.from({ length: REQUESTS_EACH }, () => client.newCorrelationId()));
    const answers = await Promise.all(
      clients.map((client, c) =>
        Promise.all(sent[c].map((id, i) => client.request<{ echo: string }>({ topic: requests, key: `user-${i}`, value: `${c}:${i}` }, id, 20_000))),
      ),
    );
    answers.forEach((perClient, c) => expect(perClient.map((a) => a.echo)).toEqual(sent[c].map((_, i) => `${c}:${i}`)));

    // where the replies are on the topic, read by a consumer of its own
    const landed = new Map<string, number>();
    const reader = kafka.consumer({ groupId: `${prefix}reader`, allowAutoTopicCreation: false });
    await reader.connect();
    await reader.subscribe({ topic: replies, fromBeginning: true });
    await reader.run({ eachMessage: async ({ partition, message }) => void landed.set(message.key!.toString(), partition) });
    const deadline = Date.now() + 30_000;
    while (landed.size < INSTANCES * REQUESTS_EACH && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await reader.disconnect();
    expect(landed.size).toBe(INSTANCES * REQUESTS_EACH);
    clients.forEach((client, c) => {
      for (const id of sent[c]) expect(landed.get(id)).toBe(client.replyAssignment!.partition);
    });
  });
});
