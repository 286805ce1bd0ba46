import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { GroupImportRow, groupRowsFromCsv, groupRowsFromJson, runImport } from '@scimflow/provisioning';
import { ScimError } from '@scimflow/scim';
import { CliCommand, UsageError } from '../command';
import { NOT_APPLIED, submitting, withTenant } from './users.commands';

/** `scimctl groups import --tenant T --file F`: the product's own groups, through the command pipeline like the admin API. */
export const groupsImportCommand: CliCommand = {
  words: ['groups', 'import'],
  usage:
    "scimctl groups import --tenant T --file F.csv|F.json  import the product's groups (displayName, optional id = the product's UUID,\n" +
    '                                                       externalId); one JSON line per row, then a summary; safe to re-run',
  async run(args, { config, out }) {
    const { values } = parseArgs({ args, options: { tenant: { type: 'string' }, file: { type: 'string' } }, strict: true });
    if (!values.file) throw new UsageError('groups import needs --file F (.csv or .json)');
    const text = await readFile(values.file, 'utf8');
    let rows: GroupImportRow[];
    try {
      rows = values.file.toLowerCase().endsWith('.json') ? groupRowsFromJson(JSON.parse(text)) : groupRowsFromCsv(text);
    } catch (e) {
      if (e instanceof ScimError || e instanceof SyntaxError) throw new UsageError(`${values.file}: ${e instanceof ScimError ? e.detail : e.message}`);
      throw e;
    }
    const summary = await withTenant(config, values.tenant, (ds, tenantId) =>
      submitting(config, ds, (s) =>
        runImport(rows, async (payload, row) => {
          const outcome = await s.submit(tenantId, row.resourceId ?? randomUUID(), 'import', payload, 'Group');
          if (!outcome) return NOT_APPLIED;
          return { status: outcome.status, id: outcome.resource?.id, detail: outcome.error?.detail };
        }),
      ),
    );
    for (const r of summary.results) out(JSON.stringify(r));
    out(JSON.stringify({ total: summary.total, imported: summary.imported, existing: summary.existing, failed: summary.failed }));
  },
};
