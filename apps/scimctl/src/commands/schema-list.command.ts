import { parseArgs } from 'node:util';
import { isUuid } from '@scimflow/contracts';
import { CliCommand, UsageError } from '../command';
import { withStores } from './database';

export const schemaListCommand: CliCommand = {
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
