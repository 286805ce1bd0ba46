import { Client } from 'pg';
import { Admin, Kafka, KafkaJSDeleteGroupsError, logLevel } from 'kafkajs';

/** Drops the run's database and deletes its topics (leave them with SCIMFLOW_E2E_KEEP=1 to inspect). */
export default async function globalTeardown(): Promise<void> {
  const stopServices = (globalThis as { __scimflowStopServices?: () => Promise<void> }).__scimflowStopServices;
  if (process.env.SCIMFLOW_E2E_KEEP !== '1') {
    const prefix = process.env.KAFKA_TOPIC_PREFIX!;
    const kafka = new Kafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'e2e-teardown', logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length) await admin.deleteTopics({ topics });
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(prefix));
    if (groups.length) await deleteGroups(admin, groups);
    await admin.disconnect();

    const db = new URL(process.env.DATABASE_URL!).pathname.slice(1);
    const client = new Client({ connectionString: process.env.SCIMFLOW_E2E_BASE_DATABASE_URL!.replace(/\/[^/]*$/, '/postgres') });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    await client.end();
  }
  await stopServices?.();
}

/**
 * A group whose member has not yet left (a consumer still closing in a worker that Jest is tearing down) cannot
 * be deleted; its name is unique to this run, so it is named here and left for the broker to expire.
 */
async function deleteGroups(admin: Admin, groups: string[]): Promise<void> {
  try {
    await admin.deleteGroups(groups);
  } catch (err) {
    if (!(err instanceof KafkaJSDeleteGroupsError)) throw err;
    const failed = err.groups as { groupId: string; error?: { type?: string } }[];
    const other = failed.filter((g) => g.error?.type !== 'NON_EMPTY_GROUP' && g.error?.type !== 'GROUP_ID_NOT_FOUND');
    if (other.length) throw err;
    console.warn(`e2e teardown: left ${failed.length} consumer group(s) with live members: ${failed.map((g) => g.groupId).join(', ')}`);
  }
}
