import { randomUUID } from 'node:crypto';
import { NotFound } from '@scimflow/provisioning';
import { useDatabase } from '../../../../test/support/medium/database';
import { TenantProfileStore } from './tenant-profile-store';

const db = useDatabase();

describe('TenantProfileStore (Postgres)', () => {
  it('reads a new tenant’s default profile, then the profile and settings it was given', async () => {
    const tenantId = randomUUID();
    await db().query(`INSERT INTO tenants (id, name) VALUES ($1, 'profiles')`, [tenantId]);
    const profiles = new TenantProfileStore(db());
    expect(await profiles.get(tenantId)).toEqual({ profile: 'custom', settings: {} });

    await profiles.set(tenantId, 'workforce', { uniqueWorkEmail: false, userType: { mode: 'free' } });
    expect(await profiles.get(tenantId)).toEqual({ profile: 'workforce', settings: { uniqueWorkEmail: false, userType: { mode: 'free' } } });
    // a tenant id in capitals names the same tenant
    expect(await profiles.get(tenantId.toUpperCase())).toEqual({ profile: 'workforce', settings: { uniqueWorkEmail: false, userType: { mode: 'free' } } });
  });

  it('an unknown or malformed tenant id is no tenant: nothing to read, NotFound to set', async () => {
    const profiles = new TenantProfileStore(db());
    expect(await profiles.get(randomUUID())).toBeUndefined();
    expect(await profiles.get('not-a-uuid')).toBeUndefined();
    const unknown = randomUUID();
    await expect(profiles.set(unknown, 'segura', {})).rejects.toEqual(new NotFound(`Tenant ${unknown} not found`));
    await expect(profiles.set('not-a-uuid', 'segura', {})).rejects.toBeInstanceOf(NotFound);
  });
});
