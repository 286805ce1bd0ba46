import { randomBytes } from 'node:crypto';
import { migrate } from '../../../libs/persistence/src/data-source';

/**
 * The medium tier runs stores and use cases against a real Postgres (DATABASE_URL, else the local server) and no
 * Kafka. Each run gets its own migrated database, dropped at the end (keep it with SCIMFLOW_MEDIUM_KEEP=1).
 */
export default async function globalSetup(): Promise<void> {
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/scimflow';
  const url = new URL(base);
  url.pathname = `/scimflow_medium_${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  process.env.SCIMFLOW_MEDIUM_BASE_DATABASE_URL = base;
  process.env.DATABASE_URL = url.toString();
  await migrate(process.env.DATABASE_URL);
}
