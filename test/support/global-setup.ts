import { randomBytes } from 'node:crypto';
import { migrate } from '../../libs/persistence/src/data-source';
import { resolveServices } from './services';

/**
 * Each e2e run gets its own database and Kafka topic prefix, so runs never see each other's data
 * and a shared broker or server (a developer's `npm run up`) is safe to test against.
 */
export default async function globalSetup(): Promise<void> {
  const services = await resolveServices();
  const run = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const url = new URL(services.databaseUrl);
  url.pathname = `/scimflow_e2e_${run}`;
  process.env.DATABASE_URL = url.toString();
  process.env.KAFKA_BROKERS = services.kafkaBrokers;
  process.env.KAFKA_TOPIC_PREFIX = `e2e-${run}.`;
  process.env.SCIMFLOW_E2E_BASE_DATABASE_URL = services.databaseUrl;
  await migrate(process.env.DATABASE_URL);
  (globalThis as { __scimflowStopServices?: () => Promise<void> }).__scimflowStopServices = services.stop;
}
