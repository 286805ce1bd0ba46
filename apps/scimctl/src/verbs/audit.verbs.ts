import { parseArgs } from 'node:util';
import { TenantProfileStore } from '@scimflow/persistence';
import { TENANT_PROFILES, TenantProfile } from '@scimflow/contracts';
import { resolveProfileSettings } from '@scimflow/provisioning';
import { ScimError } from '@scimflow/scim';
import { Verb, UsageError } from '../verb';
import { withDatabase } from './database';
import { listingVerb } from './listing';
import { parseLimit, parseSince } from './time-args';

export const auditVerb = listingVerb({
  words: ['audit'],
  usage:
    'scimctl audit --tenant T [--from 1h|ISO] [--to ISO] [--user ID] [--outcome success|failure] [--limit N]\n' +
    '                                                         the provisioning audit log, newest first (one JSON object per line)',
  options: {
    tenant: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    user: { type: 'string' },
    outcome: { type: 'string' },
    limit: { type: 'string' },
  },
  query(values) {
    if (!values.tenant) throw new UsageError('audit needs --tenant T');
    if (values.outcome !== undefined && values.outcome !== 'success' && values.outcome !== 'failure')
      throw new UsageError(`--outcome must be success or failure: ${values.outcome}`);
    return {
      tenantId: values.tenant,
      from: parseSince(values.from),
      to: parseSince(values.to),
      resourceId: values.user,
      outcome: values.outcome as 'success' | 'failure' | undefined,
      limit: parseLimit(values.limit),
    };
  },
  list: (s, query) => s.auditLog.list(query),
});

export const tenantProfileVerb: Verb = {
  words: ['tenant', 'profile'],
  usage:
    `scimctl tenant profile TENANT_ID [--set ${TENANT_PROFILES.join('|')}] [--settings JSON]\n` +
    '                                                         show or set the product profile and its settings (validated)',
  async run(args, { config, out }) {
    const { values, positionals } = parseArgs({
      args,
      options: { set: { type: 'string' }, settings: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    const tenantId = positionals[0];
    if (!tenantId) throw new UsageError('tenant profile needs TENANT_ID');
    await withDatabase(config.DATABASE_URL, async (ds) => {
      const profiles = new TenantProfileStore(ds);
      const stored = await profiles.get(tenantId);
      if (!stored) throw new UsageError(`no tenant ${tenantId}`);
      let { profile, settings }: { profile: string; settings: Record<string, unknown> } = stored;
      if (values.set !== undefined || values.settings !== undefined) {
        profile = values.set ?? profile;
        if (values.settings !== undefined) settings = parseSettings(values.settings);
        validate(profile, settings);
        await profiles.set(tenantId, profile as TenantProfile, settings); // a known profile: validated above
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

export const AUDIT_VERBS: Verb[] = [auditVerb, tenantProfileVerb];
