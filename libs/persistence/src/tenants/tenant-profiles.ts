import { ProfileSettings, resolveProfileSettings } from '@scimflow/provisioning';
import { TenantProfileStore } from './tenant-profile-store';

/**
 * A tenant's effective profile settings, cached for `ttlMs`: every command needs them and they change rarely. An
 * unknown tenant resolves to the `custom` defaults; its command then fails on the tenant's foreign key as before.
 * Stored settings that no longer validate fail (400 invalidValue), not silently.
 */
export class TenantProfiles {
  private readonly cache = new Map<string, { at: number; settings: ProfileSettings }>();

  constructor(
    private readonly store: TenantProfileStore,
    private readonly ttlMs: number,
  ) {}

  async settings(tenantId: string): Promise<ProfileSettings> {
    const hit = this.cache.get(tenantId);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.settings;
    const stored = await this.store.get(tenantId);
    const settings = stored ? resolveProfileSettings(stored.profile, stored.settings) : resolveProfileSettings('custom', {});
    this.cache.set(tenantId, { at: Date.now(), settings });
    return settings;
  }
}
