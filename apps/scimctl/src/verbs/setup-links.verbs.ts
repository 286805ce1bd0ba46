import { parseArgs } from 'node:util';
import { SETUP_LINK_MAX_SECONDS, SETUP_LINK_MIN_SECONDS } from '@scimflow/access';
import { SetupLinks } from '@scimflow/persistence';
import { Verb, CliContext, UsageError } from '../verb';
import { withStores } from './database';
import { parseDuration } from './time-args';

/**
 * `scimctl tenant setup-link|setup-links|revoke-setup-link`: links that let a customer's IT admin connect Entra for one
 * tenant in the console (docs/runbook.md, "Setup links").
 */

async function withTenant<T>(ctx: CliContext, tenantId: string, work: (links: SetupLinks) => Promise<T>): Promise<T> {
  return withStores(ctx.config, async (s) => {
    if (!(await s.tenantAdmin.get(tenantId))) throw new Error(`tenant ${tenantId} not found`);
    return work(s.setupLinks);
  });
}

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
    if (positionals.length !== 1) throw new UsageError('tenant setup-link needs exactly one tenant id');
    const productName = values['product-name'];
    if (productName !== undefined && productName.length > 80) throw new UsageError('--product-name may be at most 80 characters');
    const logoUrl = values['logo-url'];
    if (logoUrl !== undefined && (logoUrl.length > 500 || !isHttpsUrl(logoUrl)))
      throw new UsageError('--logo-url must be an https URL of at most 500 characters');
    const expiresInSeconds = setupLinkSeconds(values.expires);
    const link = await withTenant(ctx, positionals[0], (links) =>
      links.issue(positionals[0], { expiresInSeconds, productName, logoUrl }, ctx.config.PUBLIC_BASE_URL),
    );
    ctx.out(link.url);
    process.stderr.write(`setup link ${link.id} for tenant ${positionals[0]}, expires ${link.expiresAt}; the URL is shown only now\n`);
  },
};

export const setupLinkListVerb: Verb = {
  words: ['tenant', 'setup-links'],
  usage: "scimctl tenant setup-links TENANT_ID                  list the tenant's setup links (never their tokens)",
  async run(args, ctx) {
    const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
    if (positionals.length !== 1) throw new UsageError('tenant setup-links needs exactly one tenant id');
    for (const link of await withTenant(ctx, positionals[0], (links) => links.list(positionals[0]))) ctx.out(JSON.stringify(link));
  },
};

export const setupLinkRevokeVerb: Verb = {
  words: ['tenant', 'revoke-setup-link'],
  usage: 'scimctl tenant revoke-setup-link TENANT_ID LINK_ID    revoke a setup link: it stops working at once',
  async run(args, ctx) {
    const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
    if (positionals.length !== 2) throw new UsageError('tenant revoke-setup-link needs a tenant id and a link id');
    const [tenantId, linkId] = positionals;
    if (!(await withTenant(ctx, tenantId, (links) => links.revoke(tenantId, linkId)))) throw new Error(`no active setup link ${linkId} for tenant ${tenantId}`);
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
