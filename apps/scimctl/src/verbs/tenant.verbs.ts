import { parseArgs } from 'node:util';
import { issueTenantCredentials } from '@scimflow/access';
import { createdTenantView, migrate } from '@scimflow/persistence';
import { subscriptionSettings } from '@scimflow/webhooks';
import { Verb, UsageError } from '../verb';
import { withStores } from './database';
import { tenantOptions } from './tenant-options';

export const tenantCreateVerb: Verb = {
  words: ['tenant', 'create'],
  usage:
    'scimctl tenant create --name NAME [--profile segura|appsec|workforce|surecloud|custom] [--settings JSON] [--webhook URL]... [--allow-ip CIDR]...\n' +
    '                                                       create a tenant; prints {"tenantId","scimBaseUrl","token","tokenUrl","clientId","clientSecret"}',
  async run(args, { config, out }) {
    const { values } = parseArgs({
      args,
      options: {
        name: { type: 'string' },
        webhook: { type: 'string', multiple: true },
        profile: { type: 'string' },
        settings: { type: 'string' },
        'allow-ip': { type: 'string', multiple: true },
      },
      strict: true,
    });
    if (!values.name?.trim()) throw new UsageError('tenant create needs --name NAME');
    for (const url of values.webhook ?? []) if (!/^https?:\/\//.test(url)) throw new UsageError(`--webhook must be an http(s) URL: ${url}`);
    const options = tenantOptions(values);
    await migrate(config.DATABASE_URL);
    const tenant = {
      name: values.name.trim(),
      ...options,
      webhooks: (values.webhook ?? []).map((url) => subscriptionSettings({ url })),
      credentials: await issueTenantCredentials(),
    };
    const created = await withStores(config, (s) => s.tenantDirectory.createTenant(tenant));
    out(JSON.stringify(createdTenantView(created, config.PUBLIC_BASE_URL)));
  },
};

export const tenantListVerb: Verb = {
  words: ['tenant', 'list'],
  usage: 'scimctl tenant list                                    list tenants (one JSON object per line)',
  async run(args, { config, out }) {
    parseArgs({ args, options: {}, strict: true });
    const tenants = await withStores(config, (s) => s.tenantDirectory.listTenants());
    for (const t of tenants)
      out(
        JSON.stringify({
          tenantId: t.id,
          name: t.name,
          status: t.status,
          createdAt: t.createdAt.toISOString(),
          scimBaseUrl: `${config.PUBLIC_BASE_URL}/scim/v2/${t.id}`,
          webhooks: (t.subscriptions ?? []).map((s) => s.url),
        }),
      );
  },
};
