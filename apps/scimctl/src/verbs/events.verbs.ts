import { parseArgs } from 'node:util';
import { issueProductCredential } from '@scimflow/access';
import { TenantAdmin } from '@scimflow/persistence';
import { Verb, UsageError } from '../verb';
import { withStores } from './database';

/**
 * The events API from the command line: `scimctl product-credential create|list|revoke --tenant T` (a downstream
 * service's credential; rotate by creating the new one, switching the service, revoking the old one),
 * `scimctl event-consumers --tenant T` (each credential's position and lag), `scimctl events-retention --tenant T [--days N]`.
 */

function tenantOf(values: { tenant?: string }, verb: string): string {
  if (!values.tenant) throw new UsageError(`${verb} needs --tenant TENANT_ID`);
  return values.tenant;
}

async function assertTenant(admin: TenantAdmin, id: string) {
  if (!(await admin.get(id))) throw new Error(`tenant ${id} not found`);
}

export const productCredentialCreateVerb: Verb = {
  words: ['product-credential', 'create'],
  usage: 'scimctl product-credential create --tenant T [--description TEXT]   create an events API credential (sfp_…); prints it once',
  async run(args, { config, out }) {
    const { values } = parseArgs({ args, options: { tenant: { type: 'string' }, description: { type: 'string' } }, strict: true });
    const tenantId = tenantOf(values, 'product-credential create');
    const created = await withStores(config, async (s) => {
      await assertTenant(s.tenantAdmin, tenantId);
      return s.productCredentials.create(tenantId, await issueProductCredential(), values.description);
    });
    out(JSON.stringify(created));
  },
};

export const productCredentialListVerb: Verb = {
  words: ['product-credential', 'list'],
  usage: 'scimctl product-credential list --tenant T                       list product credentials with created/last-used/revoked times',
  async run(args, { config, out }) {
    const { values } = parseArgs({ args, options: { tenant: { type: 'string' } }, strict: true });
    const tenantId = tenantOf(values, 'product-credential list');
    const list = await withStores(config, async (s) => {
      await assertTenant(s.tenantAdmin, tenantId);
      return s.productCredentials.list(tenantId);
    });
    for (const c of list) out(JSON.stringify(c));
  },
};

export const productCredentialRevokeVerb: Verb = {
  words: ['product-credential', 'revoke'],
  usage: 'scimctl product-credential revoke --tenant T ID                  revoke a product credential (a running ingress stops accepting it within 30 s)',
  async run(args, { config, out }) {
    const { values, positionals } = parseArgs({ args, options: { tenant: { type: 'string' } }, allowPositionals: true, strict: true });
    const tenantId = tenantOf(values, 'product-credential revoke');
    if (positionals.length !== 1) throw new UsageError('product-credential revoke needs exactly one credential id');
    const revoked = await withStores(config, (s) => s.productCredentials.revoke(tenantId, positionals[0]));
    if (!revoked) throw new Error(`no active product credential ${positionals[0]} for tenant ${tenantId}`);
    out(JSON.stringify({ id: positionals[0], revoked: true }));
  },
};

export const eventConsumersVerb: Verb = {
  words: ['event-consumers'],
  usage: 'scimctl event-consumers --tenant T                               each events API consumer: position, last read, lag (events, seconds)',
  async run(args, { config, out }) {
    const { values } = parseArgs({ args, options: { tenant: { type: 'string' } }, strict: true });
    const tenantId = tenantOf(values, 'event-consumers');
    const consumers = await withStores(config, async (s) => {
      await assertTenant(s.tenantAdmin, tenantId);
      return s.productCredentials.consumers(tenantId);
    });
    for (const c of consumers) out(JSON.stringify(c));
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
