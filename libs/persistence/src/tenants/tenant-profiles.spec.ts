import { StoredTenantProfile, TenantProfileStore } from './tenant-profile-store';
import { TenantProfiles } from './tenant-profiles';

function profiles(stored: StoredTenantProfile | undefined, ttl: number) {
  const get = jest.fn().mockResolvedValue(stored);
  const store = { get } as unknown as TenantProfileStore;
  return { get, profiles: new TenantProfiles(store, ttl) };
}

describe('TenantProfiles', () => {
  it('resolves the stored profile with its settings and caches it for the TTL', async () => {
    const { get, profiles: p } = profiles({ profile: 'workforce', settings: { uniqueWorkEmail: false } }, 60_000);
    const first = await p.settings('t1');
    expect(first.userType).toEqual({ mode: 'enum', values: ['Premium', 'Standard'], default: 'Standard' });
    expect(first.uniqueWorkEmail).toBe(false);
    await p.settings('t1');
    expect(get).toHaveBeenCalledTimes(1);
  });

  it('reloads when the TTL is 0', async () => {
    const { get, profiles: p } = profiles({ profile: 'surecloud', settings: {} }, 0);
    await p.settings('t1');
    await p.settings('t1');
    expect(get).toHaveBeenCalledTimes(2);
  });

  it('an unknown tenant gets the custom defaults', async () => {
    const { profiles: p } = profiles(undefined, 1000);
    expect((await p.settings('nope')).groupProvisioning).toBe(true);
  });

  it('stored settings that no longer validate fail loudly (a 400 invalidValue), not silently', async () => {
    const { profiles: p } = profiles({ profile: 'custom', settings: { deleteMode: 'archive' } }, 1000);
    await expect(p.settings('t1')).rejects.toMatchObject({ status: 400, scimType: 'invalidValue' });
  });
});
