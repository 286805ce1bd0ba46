import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { ScimctlConfig } from '@scimflow/config';
import { RebuildSchemas } from '@scimflow/persistence';
import { Verb, UsageError } from '../verb';
import { withDatabase } from './database';
import { replayCommands } from './replay-commands.verbs';
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

/** A schema's state of the tenant as the diff compares it. */
async function tenantState(schemas: RebuildSchemas, schema: string, tenantId: string): Promise<StateRow[]> {
  const { users, groups, memberships } = await schemas.state(schema, tenantId);
  return [
    ...users.map((r) => ({ kind: 'user' as const, ...r })),
    ...groups.map((r) => ({ kind: 'group' as const, ...r })),
    ...memberships.map((m) => ({ kind: 'membership' as const, id: `${m.groupId}/${m.userId}`, fields: {} })),
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
  const schemas = new RebuildSchemas(live);
  const liveSchema = await schemas.liveSchema();
  if (!(await schemas.hasTenant(options.tenantId))) throw new UsageError(`no tenant ${options.tenantId}`);
  const schema = rebuildSchemaName(options.tenantId, randomBytes(3).toString('hex'));
  await schemas.create(schema);
  try {
    const scratch = await schemas.open(config.DATABASE_URL, schema);
    try {
      await schemas.copyTenant(liveSchema, schema, options.tenantId);
      const tally = await replayCommands(
        config,
        scratch,
        { from: { kind: 'time', at: new Date(0) }, tenantId: options.tenantId, dryRun: false, force: true },
        'rebuild',
      );
      const differences = diffState(await tenantState(schemas, liveSchema, options.tenantId), await tenantState(schemas, schema, options.tenantId));
      return { schema, kept: options.keep, commands: tally.toJSON(), differences };
    } finally {
      await scratch.destroy();
    }
  } finally {
    if (!options.keep) await schemas.drop(schema);
  }
}

export const rebuildVerb: Verb = {
  words: ['rebuild'],
  usage:
    'scimctl rebuild --tenant T [--keep]                      rebuild a tenant from the command log in a scratch schema (rebuild_…) and\n' +
    '                                                         compare with the live state: one JSON line per difference, then a summary;\n' +
    '                                                         the schema is dropped unless --keep. Live data is only read.',
  async run(args, { config, out }) {
    const options = parseRebuildArgs(args);
    const result = await withDatabase(config.DATABASE_URL, (ds) => rebuildTenant(config, ds, options));
    for (const d of result.differences) out(JSON.stringify(d));
    out(
      JSON.stringify({
        tenantId: options.tenantId,
        schema: result.schema,
        kept: result.kept,
        differences: result.differences.length,
        commands: result.commands,
      }),
    );
  },
};
