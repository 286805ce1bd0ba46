import type { EntraMapping } from '@scimflow/contracts';
import { ProfileName, ProfileSettings } from '../profiles/profile-settings';

export const PROFILE_TITLES: Record<ProfileName, string> = {
  segura: 'Segura',
  appsec: 'AppSec',
  workforce: 'Workforce platform',
  surecloud: 'SureCloud',
  custom: 'Custom',
};

export function profileTitle(profile: string): string {
  return (PROFILE_TITLES as Record<string, string>)[profile] ?? profile;
}

const ROLE_SOURCE = 'AssertiveAppRoleAssignmentsComplex([appRoleAssignments])';

/**
 * The mappings this product needs in Entra's provisioning job, derived from the tenant's effective profile settings
 * (docs/entra-setup.md step 4 and docs/profiles.md): Entra's defaults first, then what the profile's rules require.
 */
export function entraMappings(settings: ProfileSettings): EntraMapping[] {
  const required = new Set<string>(settings.requiredAttributes);
  const mappings: EntraMapping[] = [
    { target: 'userName', source: 'userPrincipalName', note: "Entra's default; keep it as the matching attribute (precedence 1)" },
    {
      target: 'active',
      source: 'Switch([IsSoftDeleted], , "False", "True", "True", "False")',
      note: "Entra's default: disabling the user in Entra deactivates it here",
    },
    { target: 'externalId', source: 'objectId', note: "Entra's default (mailNickname in some templates); either works" },
    { target: 'displayName', source: 'displayName', note: "Entra's default" },
    {
      target: 'emails[type eq "work"].value',
      source: 'mail',
      note: required.has('workEmail')
        ? `required by this product${settings.uniqueWorkEmail ? ', and unique: two users with the same work email are refused' : ''}; may also be a matching attribute (precedence 2)`
        : "Entra's default; may also be a matching attribute (precedence 2)",
    },
    {
      target: 'name.givenName',
      source: 'givenName',
      note: required.has('name.givenName') ? 'required by this product: users without a first name are refused' : "Entra's default",
    },
    {
      target: 'name.familyName',
      source: 'surname',
      note: required.has('name.familyName') ? 'required by this product: users without a last name are refused' : "Entra's default",
    },
  ];
  const userType = settings.userType;
  if (userType.mode === 'enum')
    mappings.push({
      target: 'userType',
      source:
        userType.default !== undefined
          ? `a constant or attribute giving ${userType.values.join(' or ')}`
          : `an attribute giving ${userType.values.join(' or ')}`,
      note:
        `only ${userType.values.join(', ')} are accepted` +
        (userType.default !== undefined ? `; left empty, ${userType.default} is used` : '; set a Default value in the mapping so no user is sent without one'),
    });
  else if (userType.mode === 'groupDirective')
    mappings.push({
      target: 'userType',
      source: 'an expression giving the product group ids, comma-separated (or IGNORE)',
      note: 'this product takes group memberships from userType: the exact list of its group ids; "" = no groups; IGNORE leaves them as they are',
    });
  if (settings.roles.mode === 'map') {
    const known = settings.roles.productRoles;
    mappings.push({
      target: 'roles',
      source: ROLE_SOURCE,
      note:
        `app roles become product roles; role names must match ${known.length ? `one of ${known.join(', ')}` : "the product's roles"} exactly (letters, digits, _ and -)` +
        (settings.roles.unknownRoles === 'reject' ? '; other names are refused' : '; other names are recorded, not refused'),
    });
  }
  if (!settings.groupProvisioning)
    mappings.push({
      target: 'Groups',
      source: '(turn off "Provision Microsoft Entra ID Groups")',
      note: 'this product does not take groups through SCIM: group writes are refused (501)',
    });
  else
    mappings.push({
      target: 'Groups: displayName, externalId, members',
      source: "Entra's default group mappings",
      note: 'assigned groups are provisioned with their members',
    });
  return mappings;
}

/** A failed SCIM request as the request log holds it. */
export interface FailedRequest {
  method: string;
  path: string;
  status: number;
  /** the SCIM error's scimType, or the token endpoint's OAuth error code */
  scimType?: string;
  detail?: string;
}

/**
 * A plain-words fix for a failed SCIM request, derived from its status and SCIM error (the messages scimflow's rules
 * raise: libs/provisioning profiles, the tenant guard, the reconciler). Always answers something.
 */
export function failureHint(f: FailedRequest): string {
  const detail = f.detail ?? '';
  if (/^\/oauth\//.test(f.path) && f.status < 500)
    return f.scimType === 'invalid_client'
      ? "Entra's OAuth client credentials are wrong: enter the Client Identifier and a new Client Secret from this page under Admin Credentials"
      : `Entra could not get an access token (${detail || f.scimType || 'refused'}): check the Token Endpoint, Client Identifier and Client Secret under Admin Credentials`;
  if (f.status === 401)
    return 'Entra sent no valid credential: enter the secret token (or the OAuth client id and secret) from this page again under Admin Credentials, then Test Connection';
  if (f.status === 403 && /are not allowed for this tenant/.test(detail))
    return "the request came from an address this tenant does not allow: ask your provider to add Entra's provisioning addresses to the allowed source IPs";
  if (f.status === 403 && /tenant is disabled/.test(detail)) return 'this tenant is disabled: ask your provider to enable it';
  if (f.status === 429)
    return 'Entra sent requests faster than this tenant allows; it retries on its own. If it persists, ask your provider to raise the rate limit';
  if (/^userType must be one of/.test(detail))
    return "a user's userType is not one this product accepts: set a default in Entra's userType mapping (or map an attribute with an accepted value)";
  if (/userType names groups that do not exist/.test(detail))
    return "userType names product groups that do not exist: fix the expression in Entra's userType mapping to give existing group ids";
  if (/^missing attributes this tenant requires/.test(detail))
    return `users need ${detail.replace(/^missing attributes this tenant requires: /, '')}: fill them in Entra for these users, or map an attribute that has them`;
  if (/^roles not defined in the product/.test(detail))
    return "the user's app role has no matching product role: rename the app role in Entra to a product role's exact name";
  if (/^role names may hold only/.test(detail))
    return 'app role values may hold only letters, digits, _ and -: change the app role value in Entra (no spaces or accents)';
  if (/work email .* already used/.test(detail)) return 'two users share a work email, which this product refuses: give each user their own email in Entra';
  if (/userName is already taken/.test(detail))
    return 'another user already has this userName: check for duplicate users in Entra, or match on userName so Entra finds the existing one';
  if (/displayName is already taken by another group/.test(detail)) return 'two groups have the same name: rename one of them in Entra';
  if (/Members must be Users of this tenant|A member is not a User/.test(detail))
    return 'a group member has not been provisioned yet: assign that user to the app too; Entra retries the group in its next cycle';
  if (/Group provisioning is disabled/.test(detail) || f.status === 501)
    return 'this product does not take groups: turn off "Provision Microsoft Entra ID Groups" in the mappings';
  if (/unknown schema|is not registered|not a registered schema/i.test(detail))
    return "a custom attribute's schema is not registered for this tenant: remove that mapping, or ask your provider to register the schema";
  if (f.status === 404)
    return 'Entra asked for a user or group this tenant does not have (it may have been deleted here); Entra recreates it in its next cycle';
  if (f.status === 409) return 'a conflict with an existing user or group: look for duplicates in Entra';
  if (f.status === 413) return 'the request was too large: reduce the number of attributes or values mapped';
  if (f.status >= 500) return 'a temporary problem on our side: Entra retries on its own; if it persists, contact your provider';
  if (f.scimType === 'invalidFilter')
    return 'Entra sent a filter this service does not support: check the matching attributes (userName, externalId or the work email)';
  if (f.scimType === 'invalidValue' || f.scimType === 'invalidSyntax')
    return `Entra sent a value this product refuses (${detail || 'invalid value'}): fix the mapping that produces it`;
  return detail ? `the request was refused: ${detail}` : 'the request was refused; your provider can see the details in the request log';
}
