import { DataSource } from 'typeorm';
import { ScimctlConfig } from '@scimflow/config';
import { createStores, dataSourceOptions, Stores } from '@scimflow/persistence';

/** Opens a small connection pool for one CLI verb and always closes it. */
export async function withDatabase<T>(databaseUrl: string, work: (ds: DataSource) => Promise<T>): Promise<T> {
  const ds = new DataSource(dataSourceOptions(databaseUrl, { extra: { max: 2 } }));
  await ds.initialize();
  try {
    return await work(ds);
  } finally {
    await ds.destroy();
  }
}

/** The stores (createStores, as the services wire them) on a pool opened for one CLI verb, always closed after. */
export function withStores<T>(config: ScimctlConfig, work: (stores: Stores) => Promise<T>): Promise<T> {
  return withDatabase(config.DATABASE_URL, (ds) => work(createStores(ds, config)));
}

/** withStores for a verb on one tenant, which must exist. */
export function withTenantStores<T>(config: ScimctlConfig, tenantId: string, work: (stores: Stores, ds: DataSource) => Promise<T>): Promise<T> {
  return withDatabase(config.DATABASE_URL, async (ds) => {
    const stores = createStores(ds, config);
    if (!(await stores.tenantAdmin.get(tenantId))) throw new Error(`tenant ${tenantId} not found`);
    return work(stores, ds);
  });
}
