import { DataSource } from 'typeorm';
import { issueTenantCredentials } from '@scimflow/access';
import { PersistenceConfig, validateConfig } from '@scimflow/config';
import { CreatedTenant, createStores, NewTenantOptions, Stores } from '@scimflow/persistence';
import { subscriptionSettings } from '@scimflow/webhooks';

/** The stores on `ds`, configured from the environment as the services are. */
export function storesOn(ds: DataSource): Stores {
  return createStores(ds, validateConfig(PersistenceConfig, process.env));
}

/** A tenant made as `scimctl tenant create` makes it (fresh credentials, a webhook per URL), for benchmarks and tests. */
export async function createTenant(ds: DataSource, name: string, webhookUrls: readonly string[] = [], options: NewTenantOptions = {}): Promise<CreatedTenant> {
  const tenant = { name, ...options, webhooks: webhookUrls.map((url) => subscriptionSettings({ url })), credentials: await issueTenantCredentials() };
  return storesOn(ds).tenantDirectory.createTenant(tenant);
}
