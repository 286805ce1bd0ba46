import { canonicalCidrs, CidrError } from '@scimflow/access';
import { NewTenantOptions } from '@scimflow/persistence';
import { TENANT_PROFILES, TenantProfile } from '@scimflow/contracts';
import { newTenantProfile } from '@scimflow/provisioning';
import { ScimError } from '@scimflow/scim';
import { UsageError } from '../verb';

export const isProfile = (p: string): p is TenantProfile => (TENANT_PROFILES as readonly string[]).includes(p);

/** CIDR blocks from --allow-ip, canonical; a bad one is a usage error naming it. */
export function allowedIps(blocks: readonly string[] | undefined): string[] {
  try {
    return canonicalCidrs(blocks ?? []);
  } catch (e) {
    if (e instanceof CidrError) throw new UsageError(`--allow-ip: ${e.message}`);
    throw e;
  }
}

/** --profile, --settings (JSON) and --allow-ip of `tenant create`; the profile's extension schemas come along. */
export function tenantOptions(values: { profile?: string; settings?: string; 'allow-ip'?: string[] }): NewTenantOptions {
  const profile = values.profile ?? 'custom';
  if (!isProfile(profile)) throw new UsageError(`--profile must be one of ${TENANT_PROFILES.join('|')}: ${profile}`);
  let settings: unknown = {};
  if (values.settings !== undefined) {
    try {
      settings = JSON.parse(values.settings);
    } catch {
      throw new UsageError(`--settings must be a JSON object: ${values.settings}`);
    }
    if (typeof settings !== 'object' || settings === null || Array.isArray(settings))
      throw new UsageError(`--settings must be a JSON object: ${values.settings}`);
  }
  try {
    return { ...newTenantProfile(profile, settings as Record<string, unknown>), allowedSourceIps: allowedIps(values['allow-ip']) };
  } catch (e) {
    if (e instanceof ScimError) throw new UsageError(`--settings: ${e.detail ?? e.message}`);
    throw e;
  }
}
