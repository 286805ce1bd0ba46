import { CidrError } from '@scimflow/access';
import { canonicalCidrs, NewTenantOptions, TENANT_PROFILES, TenantProfile } from '@scimflow/persistence';
import { UsageError } from '../command';

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

/** --profile and --allow-ip of `tenant create`. */
export function tenantOptions(values: { profile?: string; 'allow-ip'?: string[] }): NewTenantOptions {
  const profile = values.profile ?? 'custom';
  if (!isProfile(profile)) throw new UsageError(`--profile must be one of ${TENANT_PROFILES.join('|')}: ${profile}`);
  return { profile, allowedSourceIps: allowedIps(values['allow-ip']) };
}
