import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';

/** Drops what a bench run created (its topics and its database) unless BENCH_KEEP=1: runs can be repeated. */
export async function dropBenchState(baseDb: string, db: string, brokers: string, prefix: string): Promise<void> {
  if (process.env.BENCH_KEEP === '1') return;
  const admin = new Kafka({ brokers: brokers.split(','), clientId: 'bench-cleanup', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
  if (topics.length) await admin.deleteTopics({ topics });
  await admin.disconnect();
  const u = new URL(baseDb);
  u.pathname = '/postgres';
  const client = new Client({ connectionString: u.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
  await client.end();
}
