import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@scimflow/persistence';

/** Opens a small connection pool for one CLI command and always closes it. */
export async function withDatabase<T>(databaseUrl: string, work: (ds: DataSource) => Promise<T>): Promise<T> {
  const ds = new DataSource(dataSourceOptions(databaseUrl, { extra: { max: 2 } }));
  await ds.initialize();
  try {
    return await work(ds);
  } finally {
    await ds.destroy();
  }
}
