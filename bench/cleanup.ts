import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, migrate } from '@scimflow/persistence';

/** A bench run's own database (migrated) and topic prefix, both named after the run, so that runs never meet. */
export interface BenchState {
  databaseUrl: string;
  prefix: string;
  /** a small pool on the run's database */
  ds: DataSource;
  /** closes the pool and drops the database and the topics (see dropBenchState) */
  drop(): Promise<void>;
}

export async function openBenchState(run: string, opts: { baseDb: string; brokers: string; poolSize?: number }): Promise<BenchState> {
  const url = new URL(opts.baseDb);
  url.pathname = `/scimflow_bench_${run}`;
  const databaseUrl = url.toString();
  const prefix = `bench-${run}.`;
  await migrate(databaseUrl);
  const ds = new DataSource(dataSourceOptions(databaseUrl, { extra: { max: opts.poolSize ?? 2 } }));
  await ds.initialize();
  return {
    databaseUrl,
    prefix,
    ds,
    async drop() {
      await ds.destroy();
      await dropBenchState(opts.baseDb, `scimflow_bench_${run}`, opts.brokers, prefix);
    },
  };
}

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
