import { ConfigResourceTypes, logLevel } from 'kafkajs';
import { MAX_RECORD_BYTES, topicSpecs } from '../../libs/contracts/src';
import { CoalescingProducer, createKafka, ensureTopics, parseBrokers } from '../../libs/messaging/src';

/**
 * Topics take records up to MAX_RECORD_BYTES: created so, and an existing topic with less is raised, keeping its other
 * settings. And a topic is ready when ensureTopics returns: a send at once lands each record once.
 */
describe('topic record limits', () => {
  const kafka = createKafka({ brokers: parseBrokers(process.env.KAFKA_BROKERS!), clientId: 'e2e-topic-limits', logLevel: logLevel.NOTHING } as never);
  const prefix = `${process.env.KAFKA_TOPIC_PREFIX ?? ''}limits-${Date.now()}.`;

  it('raises max.message.bytes of an existing topic that has less, and reports it', async () => {
    const specs = topicSpecs(prefix);
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: [
          {
            topic: specs[0].name,
            numPartitions: 12,
            configEntries: [
              { name: 'max.message.bytes', value: '1000' },
              { name: 'retention.ms', value: '-1' },
            ],
          },
        ],
      });
      const first = await ensureTopics(kafka, specs);
      expect(first.warnings).toContain(`topic ${specs[0].name} had max.message.bytes 1000, raised to ${MAX_RECORD_BYTES}`);
      const describe = () =>
        admin.describeConfigs({ includeSynonyms: false, resources: specs.map((s) => ({ type: ConfigResourceTypes.TOPIC, name: s.name })) });
      const limitOf = (r: Awaited<ReturnType<typeof describe>>['resources'][number]) =>
        r.configEntries.find((c) => c.configName === 'max.message.bytes')?.configValue;
      // a config change reaches the broker's view through the metadata log: give it a moment
      let described = await describe();
      for (let i = 0; i < 50 && described.resources.some((r) => limitOf(r) !== String(MAX_RECORD_BYTES)); i++) {
        await new Promise((r) => setTimeout(r, 100));
        described = await describe();
      }
      for (const r of described.resources) expect(limitOf(r)).toBe(String(MAX_RECORD_BYTES));
      expect(described.resources.find((r) => r.resourceName === specs[0].name)!.configEntries.find((c) => c.configName === 'retention.ms')?.configValue).toBe(
        '-1',
      );
      expect((await ensureTopics(kafka, specs)).warnings).toEqual([]);
    } finally {
      await admin.deleteTopics({ topics: topicSpecs(prefix).map((s) => s.name) }).catch(() => undefined);
      await admin.disconnect();
    }
  });

  it('answers only once every new partition takes records: a send right after lands each record once', async () => {
    // The metadata names leaders before they host their partitions; a send in that window fails on some of them and
    // kafkajs resends the whole request, writing the others twice.
    const producer = new CoalescingProducer(kafka);
    await producer.connect();
    const admin = kafka.admin();
    await admin.connect();
    const topics = Array.from({ length: 5 }, (_, i) => `${prefix}ready-${i}`);
    try {
      for (const topic of topics) {
        await ensureTopics(kafka, [{ name: topic, partitions: 12 }]);
        const records = Array.from({ length: 480 }, (_, n) => ({ topic, key: `key-${n % 48}`, value: String(n) }));
        await producer.sendMany(records);
        const offsets = await admin.fetchTopicOffsets(topic);
        expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(480);
      }
    } finally {
      await producer.disconnect();
      await admin.deleteTopics({ topics }).catch(() => undefined);
      await admin.disconnect();
    }
  });
});
