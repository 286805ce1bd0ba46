import { parseArgs } from 'node:util';
import { MAX_RATE_LIMIT } from '@scimflow/access';
import { TenantAdmin, tenantView } from '@scimflow/persistence';
import { Verb, CliContext, UsageError } from '../verb';
import { oneArgument, positionalsOnly } from './arguments';
import { withStores } from './database';
import { allowedIps } from './tenant-options';

/**
 * `scimctl tenant get|disable|enable|delete|allow-ips|rate-limit TENANT_ID`: a tenant's lifecycle and
 * access settings (create and list are in tenant.verbs.ts). A running ingress applies changes
 * within TENANT_CACHE_TTL_MS.
 */

const withTenants = <T>(ctx: CliContext, work: (t: TenantAdmin) => Promise<T>) => withStores(ctx.config, (s) => work(s.tenantAdmin));

function printTenant(ctx: CliContext, tenantId: string, tenant: Parameters<typeof tenantView>[0] | null) {
  if (!tenant) throw new Error(`tenant ${tenantId} not found`);
  ctx.out(JSON.stringify(tenantView(tenant, ctx.config.PUBLIC_BASE_URL)));
}

export const tenantGetVerb: Verb = {
  words: ['tenant', 'get'],
  usage: 'scimctl tenant get TENANT_ID                           show a tenant (URLs, profile, status, allowed IPs, rate limit)',
  async run(args, ctx) {
    const id = oneArgument(positionalsOnly(args), 'tenant get', 'tenant id');
    printTenant(ctx, id, await withTenants(ctx, (t) => t.get(id)));
  },
};

const statusVerb = (word: 'disable' | 'enable'): Verb => ({
  words: ['tenant', word],
  usage:
    word === 'disable'
      ? "scimctl tenant disable TENANT_ID                       refuse the tenant's SCIM and token requests (403) until enabled"
      : "scimctl tenant enable TENANT_ID                        accept the tenant's requests again",
  async run(args, ctx) {
    const id = oneArgument(positionalsOnly(args), `tenant ${word}`, 'tenant id');
    printTenant(ctx, id, await withTenants(ctx, (t) => t.setStatus(id, word === 'disable' ? 'disabled' : 'active')));
  },
});
export const tenantDisableVerb = statusVerb('disable');
export const tenantEnableVerb = statusVerb('enable');

const pauseVerb = (word: 'pause' | 'resume'): Verb => ({
  words: ['tenant', word],
  usage:
    word === 'pause'
      ? "scimctl tenant pause TENANT_ID (--intake | --delivery)   intake: Entra's requests answered 503 + Retry-After; delivery: change\n" +
        '                                                         events held in order (no topic record, no webhook) until resumed'
      : 'scimctl tenant resume TENANT_ID (--intake | --delivery)  end that pause (held events go out in order)',
  async run(args, ctx) {
    const { positionals, values } = parseArgs({
      args,
      options: { intake: { type: 'boolean' }, delivery: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    const id = oneArgument(positionals, `tenant ${word}`, 'tenant id');
    if (values.intake === values.delivery) throw new UsageError(`tenant ${word} takes one of --intake or --delivery`);
    printTenant(ctx, id, await withTenants(ctx, (t) => t.setPaused(id, values.intake ? 'intake' : 'delivery', word === 'pause')));
  },
});
export const tenantPauseVerb = pauseVerb('pause');
export const tenantResumeVerb = pauseVerb('resume');

export const tenantDeleteVerb: Verb = {
  words: ['tenant', 'delete'],
  usage: 'scimctl tenant delete TENANT_ID --yes                  delete a tenant with its credentials, users and groups',
  async run(args, ctx) {
    const { positionals, values } = parseArgs({ args, options: { yes: { type: 'boolean' } }, allowPositionals: true, strict: true });
    const id = oneArgument(positionals, 'tenant delete', 'tenant id');
    if (!values.yes) throw new UsageError("tenant delete removes all of the tenant's data; confirm with --yes");
    if (!(await withTenants(ctx, (t) => t.delete(id)))) throw new Error(`tenant ${id} not found`);
    ctx.out(JSON.stringify({ tenantId: id, deleted: true }));
  },
};

export const tenantAllowIpsVerb: Verb = {
  words: ['tenant', 'allow-ips'],
  usage: 'scimctl tenant allow-ips TENANT_ID [--allow-ip CIDR]...  replace the allowed source networks (none given: allow all)',
  async run(args, ctx) {
    const { positionals, values } = parseArgs({ args, options: { 'allow-ip': { type: 'string', multiple: true } }, allowPositionals: true, strict: true });
    const id = oneArgument(positionals, 'tenant allow-ips', 'tenant id');
    const blocks = allowedIps(values['allow-ip']);
    printTenant(ctx, id, await withTenants(ctx, (t) => t.setAllowedSourceIps(id, blocks)));
  },
};

const rate = (flag: string, v: string | undefined): number => {
  const n = Number(v);
  if (!v || !Number.isInteger(n) || n < 1 || n > MAX_RATE_LIMIT)
    throw new UsageError(`${flag} must be an integer from 1 to ${MAX_RATE_LIMIT}: ${v ?? '(missing)'}`);
  return n;
};

export const tenantRateLimitVerb: Verb = {
  words: ['tenant', 'rate-limit'],
  usage: "scimctl tenant rate-limit TENANT_ID (--per-second N --burst N | --default)   set or reset the tenant's rate limit",
  async run(args, ctx) {
    const { positionals, values } = parseArgs({
      args,
      options: { 'per-second': { type: 'string' }, burst: { type: 'string' }, default: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    const id = oneArgument(positionals, 'tenant rate-limit', 'tenant id');
    if (values.default && (values['per-second'] || values.burst)) throw new UsageError('tenant rate-limit: --default or --per-second/--burst, not both');
    const limit = values.default ? null : { perSecond: rate('--per-second', values['per-second']), burst: rate('--burst', values.burst) };
    printTenant(ctx, id, await withTenants(ctx, (t) => t.setRateLimit(id, limit)));
  },
};

export const TENANT_ADMIN_VERBS = [
  tenantGetVerb,
  tenantDisableVerb,
  tenantEnableVerb,
  tenantPauseVerb,
  tenantResumeVerb,
  tenantDeleteVerb,
  tenantAllowIpsVerb,
  tenantRateLimitVerb,
];
