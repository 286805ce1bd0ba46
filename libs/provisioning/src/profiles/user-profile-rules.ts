import { ScimError } from '@scimflow/scim';
import { workEmailOf } from '../users/user-state';
import { ProfileSettings, ROLE_NAME } from './profile-settings';

/** SureCloud's userType: the exact set of product group ids, or leave memberships alone. */
export type MembershipDirective = { kind: 'exactly'; groupIds: string[] } | { kind: 'ignore' };

export interface ProfiledUser {
  /** the document to store (userType default filled in) */
  document: Record<string, unknown>;
  /** present when the profile reads userType as a group directive and this write carries one to apply */
  directive?: MembershipDirective;
  /** role names that match no product role, kept because the tenant records rather than rejects them */
  unmatchedRoles: string[];
  /** the work email to hold unique per tenant (lower-cased), when the profile asks for it */
  uniqueWorkEmail?: string;
}

export const IGNORE_DIRECTIVE = 'IGNORE';

/**
 * Applies a tenant's profile rules to a user document about to be stored (after create/replace/patch). Pure;
 * checks that need the database (unknown group ids, email uniqueness) are left to the reconciler through the
 * returned `directive` and `uniqueWorkEmail`. `before` is the stored document (undefined on create): a directive is
 * applied only when userType is new or changed, so an unrelated PATCH never rewrites memberships.
 */
export function applyUserProfile(document: Record<string, unknown>, before: Record<string, unknown> | undefined, settings: ProfileSettings): ProfiledUser {
  // the same document unless a rule changes it, so that a caller can tell (and keep what it derived from it)
  let doc = document;
  const result: ProfiledUser = { document: doc, unmatchedRoles: [] };

  const rule = settings.userType;
  if (rule.mode === 'enum') {
    if (doc.userType === undefined || doc.userType === null || doc.userType === '') {
      if (rule.default !== undefined) result.document = doc = { ...document, userType: rule.default };
    } else if (typeof doc.userType !== 'string' || !rule.values.includes(doc.userType)) {
      throw ScimError.badRequest('invalidValue', `userType must be one of ${rule.values.join(', ')}; got ${JSON.stringify(doc.userType)}`);
    }
  } else if (rule.mode === 'groupDirective' && typeof doc.userType === 'string' && (before === undefined || before.userType !== doc.userType)) {
    result.directive = parseMembershipDirective(doc.userType);
  }

  const missing = settings.requiredAttributes.filter((a) => !hasValue(doc, a));
  if (missing.length) throw ScimError.badRequest('invalidValue', `missing attributes this tenant requires: ${missing.map(label).join(', ')}`);

  if (settings.uniqueWorkEmail) {
    const email = workEmailOf(doc);
    if (email) result.uniqueWorkEmail = email.toLowerCase();
  }

  if (settings.roles.mode === 'map') {
    const names = roleNames(doc);
    const malformed = names.filter((n) => !ROLE_NAME.test(n));
    if (malformed.length)
      throw ScimError.badRequest(
        'invalidValue',
        `role names may hold only letters, digits, _ and - (no spaces or accents): ${malformed.map((n) => JSON.stringify(n)).join(', ')}`,
      );
    const known = new Set(settings.roles.productRoles);
    const unknown = names.filter((n) => !known.has(n));
    if (unknown.length && settings.roles.unknownRoles === 'reject')
      throw ScimError.badRequest(
        'invalidValue',
        `roles not defined in the product: ${unknown.join(', ')} (known roles: ${settings.roles.productRoles.join(', ') || 'none'})`,
      );
    result.unmatchedRoles = unknown;
  }
  return result;
}

/** `"a,b"` = exactly groups a and b; `""` = no groups; `IGNORE` = leave memberships as they are. */
export function parseMembershipDirective(userType: string): MembershipDirective {
  const text = userType.trim();
  if (text === IGNORE_DIRECTIVE) return { kind: 'ignore' };
  const ids = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  return { kind: 'exactly', groupIds: [...new Set(ids)] };
}

/**
 * Role names from `roles` and `entitlements`. Stored documents hold `{value}` elements whatever shape Entra sent (the
 * SCIM rules decode them, see `appRoles` in libs/scim); bare strings are read too, for documents that did not pass them.
 */
export function roleNames(doc: Record<string, unknown>): string[] {
  const names: string[] = [];
  for (const attr of ['roles', 'entitlements']) {
    const v = doc[attr];
    const list = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
    for (const item of list) {
      if (typeof item === 'string') names.push(item);
      else if (item && typeof item === 'object' && typeof (item as { value?: unknown }).value === 'string') names.push((item as { value: string }).value);
    }
  }
  return [...new Set(names)];
}

function hasValue(doc: Record<string, unknown>, attribute: string): boolean {
  if (attribute === 'workEmail') return workEmailOf(doc) !== undefined;
  const [parent, child] = attribute.split('.');
  const v = (doc[parent] as Record<string, unknown> | undefined)?.[child];
  return typeof v === 'string' ? v.trim() !== '' : v !== undefined && v !== null;
}

function label(a: string): string {
  return a === 'workEmail' ? 'emails[type eq "work"].value' : a;
}
