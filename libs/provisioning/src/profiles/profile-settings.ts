import { ScimError } from '@scimflow/scim';

/** How `userType` is read (../shared/product-profiles.md): free text, an enumeration with a default, or SureCloud's group directive. */
export type UserTypeRule = { mode: 'free' } | { mode: 'enum'; values: string[]; default?: string } | { mode: 'groupDirective' };

/** Which roles a user may carry, taken from `roles` and `entitlements`. */
export type RoleRule = { mode: 'off' } | { mode: 'map'; productRoles: string[]; unknownRoles: 'reject' | 'record' };

/** Attributes a profile can require; `workEmail` = `emails[type eq "work"].value`. */
export const REQUIRABLE_ATTRIBUTES = ['name.givenName', 'name.familyName', 'workEmail'] as const;
export type RequirableAttribute = (typeof REQUIRABLE_ATTRIBUTES)[number];

/** A tenant's product rules, applied by the reconciler: the profile's preset merged with the tenant's `settings`. */
export interface ProfileSettings {
  userType: UserTypeRule;
  requiredAttributes: RequirableAttribute[];
  /** the work email is unique per tenant, compared case-insensitively */
  uniqueWorkEmail: boolean;
  roles: RoleRule;
  /** false: writes to /Groups are refused (SureCloud: membership travels in userType) */
  groupProvisioning: boolean;
  /**
   * hard: DELETE removes the user. soft: the user leaves its groups and is kept for the product, inactive and hidden
   * from SCIM (404, not listed); a later SCIM create with its userName or work email claims it back.
   */
  deleteMode: 'hard' | 'soft';
}

export const PROFILE_NAMES = ['segura', 'appsec', 'workforce', 'surecloud', 'custom'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

const DEFAULTS: ProfileSettings = {
  userType: { mode: 'free' },
  requiredAttributes: [],
  uniqueWorkEmail: false,
  roles: { mode: 'off' },
  groupProvisioning: true,
  deleteMode: 'hard',
};

/** The four ready-made profiles as data; `custom` starts from the defaults and is shaped by `settings`. */
export const PROFILE_PRESETS: Record<ProfileName, ProfileSettings> = {
  segura: { ...DEFAULTS, roles: { mode: 'map', productRoles: [], unknownRoles: 'reject' } },
  appsec: { ...DEFAULTS },
  workforce: {
    ...DEFAULTS,
    userType: { mode: 'enum', values: ['Premium', 'Standard'], default: 'Standard' },
    requiredAttributes: ['name.givenName', 'name.familyName', 'workEmail'],
    uniqueWorkEmail: true,
  },
  surecloud: { ...DEFAULTS, userType: { mode: 'groupDirective' }, groupProvisioning: false },
  custom: { ...DEFAULTS },
};

/** Product role names: exact, no spaces or accents; `_` and `-` allowed. */
export const ROLE_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * The effective settings of a tenant: its profile's preset with the stored `settings` (top-level keys replace the
 * preset's). Throws a 400 invalidValue naming the first bad field, so admin writes and the reconciler agree.
 */
export function resolveProfileSettings(profile: string, stored: Record<string, unknown> | null | undefined): ProfileSettings {
  if (!(PROFILE_NAMES as readonly string[]).includes(profile)) throw invalid(`profile must be one of ${PROFILE_NAMES.join('|')}: ${profile}`);
  const s = { ...PROFILE_PRESETS[profile as ProfileName], ...(stored ?? {}) } as Record<string, unknown>;
  return {
    userType: userTypeRule(s.userType),
    requiredAttributes: requiredAttributes(s.requiredAttributes),
    uniqueWorkEmail: bool(s.uniqueWorkEmail, 'uniqueWorkEmail'),
    roles: roleRule(s.roles),
    groupProvisioning: bool(s.groupProvisioning, 'groupProvisioning'),
    deleteMode: oneOf(s.deleteMode, ['hard', 'soft'] as const, 'deleteMode'),
  };
}

function userTypeRule(v: unknown): UserTypeRule {
  const o = object(v, 'userType');
  const mode = oneOf(o.mode, ['free', 'enum', 'groupDirective'] as const, 'userType.mode');
  if (mode !== 'enum') return { mode };
  const values = strings(o.values, 'userType.values');
  if (!values.length) throw invalid('userType.values must list at least one value');
  if (o.default === undefined || o.default === null) return { mode, values };
  if (typeof o.default !== 'string' || !values.includes(o.default)) throw invalid(`userType.default must be one of userType.values (${values.join(', ')})`);
  return { mode, values, default: o.default };
}

function roleRule(v: unknown): RoleRule {
  const o = object(v, 'roles');
  const mode = oneOf(o.mode, ['off', 'map'] as const, 'roles.mode');
  if (mode === 'off') return { mode };
  const productRoles = strings(o.productRoles ?? [], 'roles.productRoles');
  const bad = productRoles.filter((r) => !ROLE_NAME.test(r));
  if (bad.length) throw invalid(`roles.productRoles may hold only letters, digits, _ and - (no spaces or accents): ${bad.join(', ')}`);
  return { mode, productRoles, unknownRoles: oneOf(o.unknownRoles ?? 'reject', ['reject', 'record'] as const, 'roles.unknownRoles') };
}

function requiredAttributes(v: unknown): RequirableAttribute[] {
  const list = strings(v, 'requiredAttributes');
  const bad = list.filter((a) => !(REQUIRABLE_ATTRIBUTES as readonly string[]).includes(a));
  if (bad.length) throw invalid(`requiredAttributes may hold only ${REQUIRABLE_ATTRIBUTES.join(', ')}: ${bad.join(', ')}`);
  return list as RequirableAttribute[];
}

function object(v: unknown, field: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid(`${field} must be an object`);
  return v as Record<string, unknown>;
}

function strings(v: unknown, field: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw invalid(`${field} must be an array of strings`);
  return v as string[];
}

function bool(v: unknown, field: string): boolean {
  if (typeof v !== 'boolean') throw invalid(`${field} must be true or false`);
  return v;
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], field: string): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) throw invalid(`${field} must be one of ${allowed.join('|')}`);
  return v as T;
}

function invalid(detail: string): ScimError {
  return ScimError.badRequest('invalidValue', `tenant settings: ${detail}`);
}
