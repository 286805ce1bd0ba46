import { ProfileName, resolveProfileSettings } from './profile-settings';

/**
 * Extension schemas a profile registers on tenant creation (the same definitions as docs/schemas/*.json, which
 * a test keeps equal). The workforce platform's guide maps folders and Metadata:<key> attributes; without these
 * schemas Entra's writes of them would be refused.
 */
export const WORKFORCE_FOLDERS_SCHEMA = {
  id: 'urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName',
  name: 'CustomExtensionName',
  description: 'Folders the user can access (Entra: Split([attribute], ","))',
  attributes: [{ name: 'folders', type: 'string', multiValued: true, description: 'folder ids or external ids' }],
};

export const WORKFORCE_METADATA_SCHEMA = {
  id: 'urn:ietf:params:scim:schemas:extension:2.0:Metadata',
  name: 'Metadata',
  description: 'User metadata, one Entra mapping per key',
  additionalStringAttributes: true,
};

export const PROFILE_EXTENSION_SCHEMAS: Record<ProfileName, readonly Record<string, unknown>[]> = {
  segura: [],
  appsec: [],
  workforce: [WORKFORCE_FOLDERS_SCHEMA, WORKFORCE_METADATA_SCHEMA],
  surecloud: [],
  custom: [],
};

/**
 * What a new tenant gets from its profile: the profile, its settings (validated: a 400 naming the bad field) and
 * the extension schemas to register. Shared by the admin API and `scimctl tenant create`.
 */
export function newTenantProfile(profile: string = 'custom', settings: Record<string, unknown> = {}) {
  resolveProfileSettings(profile, settings);
  const name = profile as ProfileName;
  return { profile: name, settings, userSchemas: PROFILE_EXTENSION_SCHEMAS[name] };
}
