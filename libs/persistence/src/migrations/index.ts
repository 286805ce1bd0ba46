import { InitialSchema1732300000000 } from './1732300000000-initial-schema';
import { TenantSchemas1732500000000 } from './1732500000000-tenant-schemas';
import { Groups1732400000000 } from './1732400000000-groups';
import { TenantCredentials1732600000000 } from './1732600000000-tenant-credentials';

/** Listed explicitly (not globbed) so they load the same from ts-jest and from dist/. */
export const MIGRATIONS = [InitialSchema1732300000000, Groups1732400000000, TenantCredentials1732600000000, TenantSchemas1732500000000];
