import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { validateConfig } from '@scimflow/config';
import { topicSpecs } from '@scimflow/contracts';
import { createKafka, ensureTopics, parseBrokers } from '@scimflow/messaging';
import { dataSourceOptions, migrate, TenantDirectory } from '@scimflow/persistence';

const USAGE = `scimctl — operate scimflow

  scimctl tenant create --name NAME [--webhook URL]...   create a tenant; prints {"tenantId","scimBaseUrl","token"}
  scimctl tenant list                                    list tenants (one JSON object per line)
  scimctl migrate                                        create the database if missing and run migrations
  scimctl topics                                         create missing Kafka topics

Environment: DATABASE_URL, KAFKA_BROKERS, KAFKA_TOPIC_PREFIX, PUBLIC_BASE_URL (see README).`;

class UsageError extends Error {}

async function withDirectory<T>(databaseUrl: string, work: (d: TenantDirectory) => Promise<T>): Promise<T> {
  const ds = new DataSource(dataSourceOptions(databaseUrl, { extra: { max: 2 } }));
  await ds.initialize();
  try {
    return await work(new TenantDirectory(ds));
  } finally {
    await ds.destroy();
  }
}

export async function run(argv: string[], out: (line: string) => void = console.log): Promise<void> {
  const config = validateConfig(process.env);
  const [group, verb] = argv;
  const rest = argv.slice(group === 'tenant' ? 2 : 1);

  if (group === 'migrate') {
    const applied = await migrate(config.DATABASE_URL);
    out(JSON.stringify({ migrated: applied }));
    return;
  }
  if (group === 'topics') {
    const result = await ensureTopics(createKafka({ brokers: parseBrokers(config.KAFKA_BROKERS), clientId: 'scimctl' }), topicSpecs(config.KAFKA_TOPIC_PREFIX));
    out(JSON.stringify(result));
    return;
  }
  if (group === 'tenant' && verb === 'create') {
    const { values } = parseArgs({ args: rest, options: { name: { type: 'string' }, webhook: { type: 'string', multiple: true } }, strict: true });
    if (!values.name?.trim()) throw new UsageError('tenant create needs --name NAME');
    for (const url of values.webhook ?? []) {
      if (!/^https?:\/\//.test(url)) throw new UsageError(`--webhook must be an http(s) URL: ${url}`);
    }
    await migrate(config.DATABASE_URL);
    const created = await withDirectory(config.DATABASE_URL, (d) => d.createTenant(values.name!.trim(), values.webhook ?? []));
    out(
      JSON.stringify({
        tenantId: created.tenant.id,
        scimBaseUrl: `${config.PUBLIC_BASE_URL}/scim/v2/${created.tenant.id}`,
        token: created.token,
      }),
    );
    return;
  }
  if (group === 'tenant' && verb === 'list') {
    parseArgs({ args: rest, options: {}, strict: true });
    const tenants = await withDirectory(config.DATABASE_URL, (d) => d.listTenants());
    for (const t of tenants)
      out(
        JSON.stringify({
          tenantId: t.id,
          name: t.name,
          status: t.status,
          createdAt: t.createdAt.toISOString(),
          scimBaseUrl: `${config.PUBLIC_BASE_URL}/scim/v2/${t.id}`,
          webhooks: (t.webhooks ?? []).map((w) => w.url),
        }),
      );
    return;
  }
  throw new UsageError(group ? `unknown command: ${argv.join(' ')}` : 'no command given');
}

/** Process entry: used by bin/scimctl.js (`npx scimctl`) and by `node dist/apps/scimctl/src/main.js`. */
export function main(argv = process.argv.slice(2)): void {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    if (argv.length === 0) process.exitCode = 2;
    return;
  }
  run(argv).catch((e: Error) => {
    console.error(`scimctl: ${e.message}`);
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) console.error(`\n${USAGE}`);
    process.exitCode = e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
  });
}

if (require.main === module) main();
