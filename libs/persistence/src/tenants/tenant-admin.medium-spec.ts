import { issueTenantCredentials } from '@scimflow/access';
import { PersistenceConfig, validateConfig } from '@scimflow/config';
import { useDatabase } from '../../../../test/support/medium/database';
import { createStores } from '../stores';

const db = useDatabase();

describe('TenantAdmin pauses (Postgres)', () => {
  it('keeps the first pause time, resumes, and counts the tenants with each pause on', async () => {
    const { tenantDirectory, tenantAdmin } = createStores(db(), validateConfig(PersistenceConfig, {}));
    const { tenant } = await tenantDirectory.createTenant({ name: 'pauses', credentials: await issueTenantCredentials() });
    const before = await tenantAdmin.pausedCounts();

    const paused = await tenantAdmin.setPaused(tenant.id, 'intake', true);
    expect(paused?.intakePausedAt).toBeInstanceOf(Date);
    expect((await tenantAdmin.setPaused(tenant.id, 'intake', true))?.intakePausedAt).toEqual(paused?.intakePausedAt);
    expect(await tenantAdmin.pausedCounts()).toEqual({ intake: before.intake + 1, delivery: before.delivery });
    expect((await tenantAdmin.setPaused(tenant.id, 'delivery', true))?.deliveryPausedAt).toBeInstanceOf(Date);
    expect((await tenantAdmin.setPaused(tenant.id, 'intake', false))?.intakePausedAt).toBeNull();
    expect(await tenantAdmin.pausedCounts()).toEqual({ intake: before.intake, delivery: before.delivery + 1 });
    expect(await tenantAdmin.setPaused('00000000-0000-4000-8000-000000000000', 'intake', true)).toBeNull();
  });
});
