import { DataSource } from 'typeorm';
import { NotFound } from '@scimflow/provisioning';
import { isUuid, TenantProfile } from '@scimflow/contracts';

/** A tenant's profile as stored: the product whose preset it follows and its overrides of that preset. */
export interface StoredTenantProfile {
  profile: TenantProfile;
  settings: Record<string, unknown>;
}

/**
 * Which product's rules a tenant follows (the reconciler applies them). Settings are stored as given: callers
 * validate them first (resolveProfileSettings). Unknown or malformed ids read as "no such tenant".
 */
export class TenantProfileStore {
  constructor(private readonly ds: DataSource) {}

  async get(tenantId: string): Promise<StoredTenantProfile | undefined> {
    if (!isUuid(tenantId)) return undefined;
    const rows: StoredTenantProfile[] = await this.ds.query(`SELECT profile, settings FROM tenants WHERE id = $1`, [tenantId]);
    return rows[0];
  }

  /** Replaces the profile and its settings; NotFound when there is no such tenant. */
  async set(tenantId: string, profile: TenantProfile, settings: Record<string, unknown>): Promise<void> {
    const [, affected]: [unknown, number] = isUuid(tenantId)
      ? await this.ds.query(`UPDATE tenants SET profile = $2, settings = $3 WHERE id = $1`, [tenantId, profile, settings])
      : [undefined, 0];
    if (!affected) throw new NotFound(`Tenant ${tenantId} not found`);
  }
}
