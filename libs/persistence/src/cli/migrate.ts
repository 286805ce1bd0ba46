import { configOf, DatabaseSettings, validateConfig } from '@scimflow/config';
import { migrate, redactUrl } from '../data-source';

async function main() {
  const config = validateConfig(configOf(DatabaseSettings), process.env);
  const applied = await migrate(config.DATABASE_URL);
  console.log(`migrations on ${redactUrl(config.DATABASE_URL)}: ${applied.length ? applied.join(', ') : 'up to date'}`);
}

main().catch((e) => {
  console.error(`migration failed: ${(e as Error).message}`);
  process.exit(1);
});
