import 'reflect-metadata';
import { ScimctlConfig, validateConfig } from '@scimflow/config';
import { ReplayArgumentError } from '@scimflow/replay';
import { Verb, UsageError } from './verb';
import { VERBS } from './verbs';

export const USAGE = `scimctl — operate scimflow

${VERBS.map((c) => `  ${c.usage}`).join('\n')}

Environment: DATABASE_URL, KAFKA_BROKERS, KAFKA_TOPIC_PREFIX, PUBLIC_BASE_URL (see README).`;

/** The verb whose words the arguments start with (the longest match). */
export function findVerb(argv: string[]): Verb | undefined {
  return VERBS.filter((c) => c.words.every((w, i) => argv[i] === w)).sort((a, b) => b.words.length - a.words.length)[0];
}

export async function run(argv: string[], out: (line: string) => void = console.log): Promise<void> {
  const verb = findVerb(argv);
  if (!verb) throw new UsageError(argv.length ? `unknown command: ${argv.join(' ')}` : 'no command given');
  await verb.run(argv.slice(verb.words.length), { config: validateConfig(ScimctlConfig, process.env), out });
}

const isUsage = (e: unknown) =>
  e instanceof UsageError || e instanceof ReplayArgumentError || ((e as { code?: string }).code ?? '').startsWith('ERR_PARSE_ARGS');

/** Process entry: used by bin/scimctl.js (`npx scimctl`) and by `node dist/apps/scimctl/src/main.js`. */
export function main(argv = process.argv.slice(2)): void {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    if (argv.length === 0) process.exitCode = 2;
    return;
  }
  run(argv).catch((e: Error) => {
    console.error(`scimctl: ${e.message}`);
    if (isUsage(e)) console.error(`\n${USAGE}`);
    process.exitCode = isUsage(e) ? 2 : 1;
  });
}

if (require.main === module) main();
