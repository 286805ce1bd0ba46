import { Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CommandApplyConfig } from '@scimflow/config';
import { TenantProfileStore } from '@scimflow/persistence';
import { ProfileSettings, resolveProfileSettings } from '@scimflow/provisioning';

/**
 * A tenant's effective profile settings, cached for PROFILE_CACHE_TTL_MS: every command needs them and they
 * change rarely. An unknown tenant resolves to the `custom` defaults; its command then fails on the tenant's
 * foreign key as before.
 */
@Injectable()
export class TenantProfiles {
  private readonly cache = new Map<string, { at: number; settings: ProfileSettings }>();
  private readonly store: TenantProfileStore;

  constructor(
    ds: DataSource,
    private readonly config: CommandApplyConfig,
    @Optional() store?: TenantProfileStore,
  ) {
    this.store = store ?? new TenantProfileStore(ds);
  }

  async settings(tenantId: string): Promise<ProfileSettings> {
    const hit = this.cache.get(tenantId);
    if (hit && Date.now() - hit.at < this.config.PROFILE_CACHE_TTL_MS) return hit.settings;
    const stored = await this.store.get(tenantId);
    const settings = stored ? resolveProfileSettings(stored.profile, stored.settings) : resolveProfileSettings('custom', {});
    this.cache.set(tenantId, { at: Date.now(), settings });
    return settings;
  }
}
