import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { ScimctlConfig } from '@scimflow/config';
import { dataSourceOptions } from '@scimflow/persistence';
import { CliCommand, UsageError } from '../command';
import { withDatabase } from './database';
import { replayCommands } from './replay-commands.command';
import { diffState, rebuildSchemaName, StateDifference, StateRow } from '../replay/state-diff';

export interface RebuildOptions {
  tenantId: string;
  keep: boolean;
}

export function parseRebuildArgs(args: string[]): RebuildOptions {
  const { values, positionals } = parseArgs({ args, options: { tenant: { type: 'string' }, keep: { type: 'boolean' } }, allowPositionals: true, strict: true });
  if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
  if (!values.tenant) throw new UsageError('rebuild needs --tenant T');
  return { tenantId: values.tenant, keep: values.keep ?? false };
}

/** Tables copied from the live schema before replaying: what the use cases read besides the command log. */
const TENANT_TABLES: [table: string, tenantColumn: string][] = [
  ['tenants', 'id'],
  ['tenant_schemas', 'tenant_id'],
];

async function tenantState(ds: DataSource, schema: string, tenantId: string): Promise<StateRow[]> {
  const s = `"${schema}"`;
  const users = await ds.query(`SELECT id, user_name, external_id, active, document - 'meta' AS document, version, work_email, login_method, origin, linked, deleted_at IS NOT NULL AS deleted FROM ${s}.scim_users WHERE tenant_id = $1`, [tenantId]);
  const groups = await ds.query(`SELECT id, display_name, external_id, document - 'meta' AS document, version FROM ${s}.scim_groups WHERE tenant_id = $1`, [tenantId]);
  const members = await ds.query(`SELECT group_id, user_id FROM ${s}.scim_group_members WHERE tenant_id = $1`, [tenantId]);
  const fields = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'id'));
  return [
    ...users.map((r: Record<string, unknown>) => ({ kind: 'user' as const, id: String(r.id), fields: fields(r) })),
    ...groups.map((r: Record<string, unknown>) => ({ kind: 'group' as const, id: String(r.id), fields: fields(r) })),
    ...members.map((r: { group_id: string; user_id: string }) => ({ kind: 'membership' as const, id: `${r.group_id}/${r.user_id}`, fields: {} })),
  ];
}

export interface RebuildResult {
  schema: string;
  kept: boolean;
  commands: Record<string, unknown>;
  differences: StateDifference[];
}

/**
 * Rebuilds one tenant from the command log into a scratch schema (migrations run there, the tenant's rows copied,
 * every command of the tenant applied from the beginning of the topic through the reconciler's use cases), then
 * compares users, groups and memberships with the live schema. Writes nothing to the live schema.
 */
export async function rebuildTenant(config: ScimctlConfig, live: DataSource, options: RebuildOptions): Promise<RebuildResult> {
  const [{ schema: liveSchema }] = await live.query(`SELECT current_schema() AS schema`);
  const found = await live.query(`SELECT 1 FROM tenants WHERE id::text = $1`, [options.tenantId]);
  if (!found.length) throw new UsageError(`no tenant ${options.tenantId}`);
  const schema = rebuildSchemaName(options.tenantId, randomBytes(3).toString('hex'));
  await live.query(`CREATE SCHEMA "${schema}"`);
  try {
    const scratch = new DataSource(dataSourceOptions(config.DATABASE_URL, { extra: { max: 2, options: `-c search_path=${schema}` } }));
    await scratch.initialize();
    try {
      await scratch.runMigrations({ transaction: 'each' });
      for (const [table, column] of TENANT_TABLES)
        await live.query(`INSERT INTO "${schema}".${table} SELECT * FROM "${liveSchema}".${table} WHERE ${column}::text = $1`, [options.tenantId]);
      const tally = await replayCommands(config, scratch, { from: { kind: 'time', at: new Date(0) }, tenantId: options.tenantId, dryRun: false, force: true }, 'rebuild');
      const differences = diffState(await tenantState(live, liveSchema, options.tenantId), await tenantState(live, schema, options.tenantId));
      return { schema, kept: options.keep, commands: tally.toJSON(), differences };
    } finally {
      await scratch.destroy();
    }
  } finally {
    if (!options.keep) await live.query(`DROP SCHEMA "${schema}" CASCADE`);
  }
}

export const rebuildCommand: CliCommand = {
  words: ['rebuild'],
  usage:
    'scimctl rebuild --tenant T [--keep]                      rebuild a tenant from the command log in a scratch schema (rebuild_…) and\n' +
    '                                                         compare with the live state: one JSON line per difference, then a summary;\n' +
    '                                                         the schema is dropped unless --keep. Live data is only read.',
  async run(args, { config, out }) {
    const options = parseRebuildArgs(args);
    const result = await withDatabase(config.DATABASE_URL, (ds) => rebuildTenant(config, ds, options));
    for (const d of result.differences) out(JSON.stringify(d));
    out(JSON.stringify({ tenantId: options.tenantId, schema: result.schema, kept: result.kept, differences: result.differences.length, commands: result.commands }));
  },
};
