import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isUuid } from '@scimflow/contracts';
import { migrate } from '@scimflow/persistence';
import { CliCommand, UsageError } from '../command';
import { withStores } from './database';

export const schemaRegisterCommand: CliCommand = {
  words: ['schema', 'register'],
  usage: 'scimctl schema register --tenant ID --file SCHEMA.json    register (or compatibly update) a User extension schema (docs/extensions.md)',
  async run(args, { config, out }) {
    const { values } = parseArgs({ args, options: { tenant: { type: 'string' }, file: { type: 'string' } }, strict: true });
    if (!values.tenant || !isUuid(values.tenant)) throw new UsageError('schema register needs --tenant TENANT_ID (a UUID)');
    if (!values.file) throw new UsageError('schema register needs --file SCHEMA.json');
    const text = await readFile(values.file, 'utf8');
    let definition: unknown;
    try {
      definition = JSON.parse(text);
    } catch (e) {
      throw new Error(`${values.file} is not valid JSON: ${(e as Error).message}`);
    }
    await migrate(config.DATABASE_URL);
    const { schema, created } = await withStores(config, (s) => s.tenantSchemas.register(values.tenant!, definition));
    out(
      JSON.stringify({
        tenantId: values.tenant,
        schema: schema.id,
        created,
        location: `${config.PUBLIC_BASE_URL}/scim/v2/${values.tenant}/Schemas/${schema.id}`,
      }),
    );
  },
};
