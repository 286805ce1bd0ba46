import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isUuid } from '@scimflow/contracts';
import { migrate } from '@scimflow/persistence';
import { Verb, UsageError } from '../verb';
import { withStores } from './database';

/** `scimctl schema register|list --tenant T`: a tenant's User extension schemas. */

export const schemaRegisterVerb: Verb = {
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
      throw new Error(`${values.file} is not valid JSON: ${(e as Error).message}`, { cause: e });
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

export const schemaListVerb: Verb = {
  words: ['schema', 'list'],
  usage: "scimctl schema list --tenant ID                       a tenant's extension schemas (one JSON object per line)",
  async run(args, { config, out }) {
    const { values } = parseArgs({ args, options: { tenant: { type: 'string' } }, strict: true });
    if (!values.tenant || !isUuid(values.tenant)) throw new UsageError('schema list needs --tenant TENANT_ID (a UUID)');
    const registered = await withStores(config, (s) => s.tenantSchemas.list(values.tenant!));
    for (const r of registered) {
      // `schema` is the registration format, so a listed schema can be edited and registered again.
      out(
        JSON.stringify({
          tenantId: values.tenant,
          resourceType: r.resourceType,
          schema: r.schema,
          createdAt: r.createdAt.toISOString(),
          updatedAt: r.updatedAt.toISOString(),
        }),
      );
    }
  },
};

export const SCHEMA_VERBS = [schemaRegisterVerb, schemaListVerb];
