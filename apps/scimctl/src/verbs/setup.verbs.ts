import { parseArgs } from 'node:util';
import { topicSpecs } from '@scimflow/contracts';
import { createKafka, ensureTopics, parseBrokers } from '@scimflow/messaging';
import { migrate } from '@scimflow/persistence';
import { Verb } from '../verb';

export const migrateVerb: Verb = {
  words: ['migrate'],
  usage: 'scimctl migrate                                        create the database if missing and run migrations',
  async run(args, { config, out }) {
    parseArgs({ args, options: {}, strict: true });
    out(JSON.stringify({ migrated: await migrate(config.DATABASE_URL) }));
  },
};

export const topicsVerb: Verb = {
  words: ['topics'],
  usage: 'scimctl topics                                         create missing Kafka topics',
  async run(args, { config, out }) {
    parseArgs({ args, options: {}, strict: true });
    const kafka = createKafka({ brokers: parseBrokers(config.KAFKA_BROKERS), clientId: 'scimctl' });
    out(JSON.stringify(await ensureTopics(kafka, topicSpecs(config.KAFKA_TOPIC_PREFIX))));
  },
};
