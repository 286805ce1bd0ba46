import { parseArgs } from 'node:util';
import { issueSetupLink, SETUP_LINK_MAX_SECONDS, SETUP_LINK_MIN_SECONDS } from '@scimflow/access';
import { Verb, UsageError } from '../verb';
import { oneArgument, positionalsOnly } from './arguments';
import { withTenantStores } from './database';
import { parseDuration } from './time-args';

/**
 * `scimctl tenant setup-link|setup-links|revoke-setup-link`: links that let a customer's IT admin connect Entra for one
 * tenant in the console (docs/runbook.md, "Setup links").
 */

/** `--expires 7d` as seconds, within the links' allowed lifetime. */
export function setupLinkSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = parseDuration(value, '--expires') / 1000;
  if (seconds < SETUP_LINK_MIN_SECONDS || seconds > SETUP_LINK_MAX_SECONDS) throw new UsageError(`--expires must be from 5m to 30d: ${value}`);
  return seconds;
}

export const setupLinkCreateVerb: Verb = {
  words: ['tenant', 'setup-link'],
  usage: 'scimctl tenant setup-link TENANT_ID [--expires 7d] [--product-name N] [--logo-url https://…]  create a setup link; prints its URL once',
  async run(args, ctx) {
    const { positionals, values } = parseArgs({
      args,
      options: { expires: { type: 'string' }, 'product-name': { type: 'string' }, 'logo-url': { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    const tenantId = oneArgument(positionals, 'tenant setup-link', 'tenant id');
    const productName = values['product-name'];
    if (productName !== undefined && productName.length > 80) throw new UsageError('--product-name may be at most 80 characters');
    const logoUrl = values['logo-url'];
    if (logoUrl !== undefined && (logoUrl.length > 500 || !isHttpsUrl(logoUrl)))
      throw new UsageError('--logo-url must be an https URL of at most 500 characters');
    const expiresInSeconds = setupLinkSeconds(values.expires);
    const link = await withTenantStores(ctx.config, tenantId, (s) =>
      issueSetupLink(s.setupLinks, tenantId, { expiresInSeconds, productName, logoUrl }, ctx.config.PUBLIC_BASE_URL),
    );
    ctx.out(link.url);
    process.stderr.write(`setup link ${link.id} for tenant ${tenantId}, expires ${link.expiresAt}; the URL is shown only now\n`);
  },
};

export const setupLinkListVerb: Verb = {
  words: ['tenant', 'setup-links'],
  usage: "scimctl tenant setup-links TENANT_ID                  list the tenant's setup links (never their tokens)",
  async run(args, ctx) {
    const tenantId = oneArgument(positionalsOnly(args), 'tenant setup-links', 'tenant id');
    for (const link of await withTenantStores(ctx.config, tenantId, (s) => s.setupLinks.list(tenantId))) ctx.out(JSON.stringify(link));
  },
};

export const setupLinkRevokeVerb: Verb = {
  words: ['tenant', 'revoke-setup-link'],
  usage: 'scimctl tenant revoke-setup-link TENANT_ID LINK_ID    revoke a setup link: it stops working at once',
  async run(args, ctx) {
    const positionals = positionalsOnly(args);
    if (positionals.length !== 2) throw new UsageError('tenant revoke-setup-link needs a tenant id and a link id');
    const [tenantId, linkId] = positionals;
    if (!(await withTenantStores(ctx.config, tenantId, (s) => s.setupLinks.revoke(tenantId, linkId))))
      throw new Error(`no active setup link ${linkId} for tenant ${tenantId}`);
    ctx.out(JSON.stringify({ id: linkId, revoked: true }));
  },
};

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

export const SETUP_LINK_VERBS = [setupLinkCreateVerb, setupLinkListVerb, setupLinkRevokeVerb];
