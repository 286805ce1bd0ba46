import { parseArgs } from 'node:util';
import { TENANT_PROFILES } from '@scimflow/contracts';
import { AuditLog } from '@scimflow/persistence';
import { resolveProfileSettings } from '@scimflow/provisioning';
import { ScimError } from '@scimflow/scim';
import { CliCommand, UsageError } from '../command';
import { withDatabase } from './database';
import { parseLimit, parseSince } from './time-args';

export const auditCommand: CliCommand = {
  words: ['audit'],
  usage:
    'scimctl audit --tenant T [--from 1h|ISO] [--to ISO] [--user ID] [--outcome success|failure] [--limit N]\n' +
    '                                                         the provisioning audit log, newest first (one JSON object per line)',
  async run(args, { config, out }) {
    const { values } = parseArgs({
      args,
      options: { tenant: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, user: { type: 'string' }, outcome: { type: 'string' }, limit: { type: 'string' } },
      strict: true,
    });
    if (!values.tenant) throw new UsageError('audit needs --tenant T');
    if (values.outcome !== undefined && values.outcome !== 'success' && values.outcome !== 'failure')
      throw new UsageError(`--outcome must be success or failure: ${values.outcome}`);
    const query = {
      tenantId: values.tenant,
      from: parseSince(values.from),
      to: parseSince(values.to),
      resourceId: values.user,
      outcome: values.outcome as 'success' | 'failure' | undefined,
      limit: parseLimit(values.limit),
    };
    for (const entry of await withDatabase(config.DATABASE_URL, (ds) => new AuditLog(ds).list(query))) out(JSON.stringify(entry));
  },
};

export const tenantProfileCommand: CliCommand = {
  words: ['tenant', 'profile'],
  usage:
    `scimctl tenant profile TENANT_ID [--set ${TENANT_PROFILES.join('|')}] [--settings JSON]\n` +
    '                                                         show or set the product profile and its settings (validated)',
  async run(args, { config, out }) {
    const { values, positionals } = parseArgs({ args, options: { set: { type: 'string' }, settings: { type: 'string' } }, allowPositionals: true, strict: true });
    const tenantId = positionals[0];
    if (!tenantId) throw new UsageError('tenant profile needs TENANT_ID');
    await withDatabase(config.DATABASE_URL, async (ds) => {
      const rows: { profile: string; settings: Record<string, unknown> }[] = await ds.query(`SELECT profile, settings FROM tenants WHERE id::text = $1`, [tenantId]);
      if (!rows.length) throw new UsageError(`no tenant ${tenantId}`);
      let { profile, settings } = rows[0];
      if (values.set !== undefined || values.settings !== undefined) {
        profile = values.set ?? profile;
        if (values.settings !== undefined) settings = parseSettings(values.settings);
        validate(profile, settings);
        await ds.query(`UPDATE tenants SET profile = $2, settings = $3 WHERE id = $1`, [tenantId, profile, settings]);
      }
      out(JSON.stringify({ tenantId, profile, settings, effective: validate(profile, settings) }));
    });
  },
};

function parseSettings(text: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new UsageError(`--settings must be a JSON object: ${text}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new UsageError(`--settings must be a JSON object: ${text}`);
  return v as Record<string, unknown>;
}

function validate(profile: string, settings: Record<string, unknown>) {
  try {
    return resolveProfileSettings(profile, settings);
  } catch (e) {
    if (e instanceof ScimError) throw new UsageError(e.message);
    throw e;
  }
}

export const AUDIT_COMMANDS: CliCommand[] = [auditCommand, tenantProfileCommand];
