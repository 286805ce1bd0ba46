import { parseArgs } from 'node:util';
import { migrate, TenantDirectory, WebhookSubscriptions } from '@scimflow/persistence';
import { SecretBox } from '@scimflow/webhooks';
import { CliCommand, UsageError } from '../command';
import { withDatabase } from './database';
import { createdTenantView } from '@scimflow/persistence';
import { tenantOptions } from './tenant-options';

export const tenantCreateCommand: CliCommand = {
  words: ['tenant', 'create'],
  usage:
    'scimctl tenant create --name NAME [--profile segura|appsec|workforce|surecloud|custom] [--settings JSON] [--webhook URL]... [--allow-ip CIDR]...\n' +
    '                                                       create a tenant; prints {"tenantId","scimBaseUrl","token","tokenUrl","clientId","clientSecret"}',
  async run(args, { config, out }) {
    const { values } = parseArgs({ args, options: { name: { type: 'string' }, webhook: { type: 'string', multiple: true }, profile: { type: 'string' }, settings: { type: 'string' }, 'allow-ip': { type: 'string', multiple: true } }, strict: true });
    if (!values.name?.trim()) throw new UsageError('tenant create needs --name NAME');
    for (const url of values.webhook ?? []) if (!/^https?:\/\//.test(url)) throw new UsageError(`--webhook must be an http(s) URL: ${url}`);
    const options = tenantOptions(values);
    await migrate(config.DATABASE_URL);
    const created = await withDatabase(config.DATABASE_URL, (ds) =>
      new TenantDirectory(ds, new WebhookSubscriptions(ds, SecretBox.fromConfig(config.WEBHOOK_SECRETS_KEY))).createTenant(values.name!.trim(), values.webhook ?? [], options),
    );
    out(JSON.stringify(createdTenantView(created, config.PUBLIC_BASE_URL)));
  },
};

export const tenantListCommand: CliCommand = {
  words: ['tenant', 'list'],
  usage: 'scimctl tenant list                                    list tenants (one JSON object per line)',
  async run(args, { config, out }) {
    parseArgs({ args, options: {}, strict: true });
    const tenants = await withDatabase(config.DATABASE_URL, (ds) => new TenantDirectory(ds).listTenants());
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
