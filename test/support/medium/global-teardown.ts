import { Client } from 'pg';

/** Drops the run's database (see global-setup). */
export default async function globalTeardown(): Promise<void> {
  if (process.env.SCIMFLOW_MEDIUM_KEEP === '1') return;
  const db = new URL(process.env.DATABASE_URL!).pathname.slice(1);
  const client = new Client({ connectionString: process.env.SCIMFLOW_MEDIUM_BASE_DATABASE_URL!.replace(/\/[^/]*$/, '/postgres') });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
