import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../../libs/persistence/src/data-source';

/**
 * The run's migrated database (see global-setup), opened for one spec file: `ds()` inside tests, closed after all.
 * Specs make their own tenants and keys, so files may share the database.
 */
export function useDatabase(): () => DataSource {
  let ds: DataSource | undefined;
  beforeAll(async () => {
    ds = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!, { extra: { max: 4 } })).initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
  });
  return () => {
    if (!ds) throw new Error('useDatabase(): the database opens in beforeAll');
    return ds;
  };
}
