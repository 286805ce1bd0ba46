import { parseArgs } from 'node:util';
import { issueProductCredential } from '@scimflow/access';
import { Verb, UsageError } from '../verb';
import { oneArgument, tenantOf, tenantOnly } from './arguments';
import { withStores, withTenantStores } from './database';

/**
 * The events API from the command line: `scimctl product-credential create|list|revoke --tenant T` (a downstream
 * service's credential; rotate by creating the new one, switching the service, revoking the old one),
 * `scimctl event-consumers --tenant T` (each credential's position and lag), `scimctl events-retention --tenant T [--days N]`.
 */

export const productCredentialCreateVerb: Verb = {
  words: ['product-credential', 'create'],
  usage: 'scimctl product-credential create --tenant T [--description TEXT]   create an events API credential (sfp_…); prints it once',
  async run(args, { config, out }) {
    const { values } = parseArgs({ args, options: { tenant: { type: 'string' }, description: { type: 'string' } }, strict: true });
    const tenantId = tenantOf(values, 'product-credential create');
    const created = await withTenantStores(config, tenantId, async (s) =>
      s.productCredentials.create(tenantId, await issueProductCredential(), values.description),
    );
    out(JSON.stringify(created));
  },
};

export const productCredentialListVerb: Verb = {
  words: ['product-credential', 'list'],
  usage: 'scimctl product-credential list --tenant T                       list product credentials with created/last-used/revoked times',
  async run(args, { config, out }) {
    const tenantId = tenantOnly(args, 'product-credential list');
    for (const c of await withTenantStores(config, tenantId, (s) => s.productCredentials.list(tenantId))) out(JSON.stringify(c));
  },
};

export const productCredentialRevokeVerb: Verb = {
  words: ['product-credential', 'revoke'],
  usage: 'scimctl product-credential revoke --tenant T ID                  revoke a product credential (a running ingress stops accepting it within 30 s)',
  async run(args, { config, out }) {
    const { values, positionals } = parseArgs({ args, options: { tenant: { type: 'string' } }, allowPositionals: true, strict: true });
    const tenantId = tenantOf(values, 'product-credential revoke');
    const id = oneArgument(positionals, 'product-credential revoke', 'credential id');
    if (!(await withStores(config, (s) => s.productCredentials.revoke(tenantId, id))))
      throw new Error(`no active product credential ${id} for tenant ${tenantId}`);
    out(JSON.stringify({ id, revoked: true }));
  },
};

export const eventConsumersVerb: Verb = {
  words: ['event-consumers'],
  usage: 'scimctl event-consumers --tenant T                               each events API consumer: position, last read, lag (events, seconds)',
  async run(args, { config, out }) {
    const tenantId = tenantOnly(args, 'event-consumers');
    for (const c of await withTenantStores(config, tenantId, (s) => s.productCredentials.consumers(tenantId))) out(JSON.stringify(c));
  },
};

export const eventsRetentionVerb: Verb = {
  words: ['events-retention'],
  usage: 'scimctl events-retention --tenant T [--days N]                   show or set how many days the events API keeps (1-365, default 30)',
  async run(args, { config, out }) {
    const { values } = parseArgs({ args, options: { tenant: { type: 'string' }, days: { type: 'string' } }, strict: true });
    const tenantId = tenantOf(values, 'events-retention');
    const days = values.days === undefined ? undefined : Number(values.days);
    if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 365)) throw new UsageError('--days must be an integer from 1 to 365');
    const current = await withStores(config, async (s) => {
      const events = s.tenantEvents;
      if (days !== undefined && !(await events.setRetentionDays(tenantId, days))) throw new Error(`tenant ${tenantId} not found`);
      const now = await events.retentionDays(tenantId);
      if (now === undefined) throw new Error(`tenant ${tenantId} not found`);
      return now;
    });
    out(JSON.stringify({ tenantId, days: current }));
  },
};

export const EVENTS_VERBS = [productCredentialCreateVerb, productCredentialListVerb, productCredentialRevokeVerb, eventConsumersVerb, eventsRetentionVerb];
