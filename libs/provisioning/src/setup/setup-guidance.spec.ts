import { resolveProfileSettings } from '../profiles/profile-settings';
import { entraMappings, failureHint, profileTitle } from './setup-guidance';

const targets = (profile: string, settings?: Record<string, unknown>) => entraMappings(resolveProfileSettings(profile, settings)).map((m) => m.target);
const mapping = (profile: string, target: string, settings?: Record<string, unknown>) =>
  entraMappings(resolveProfileSettings(profile, settings)).find((m) => m.target === target);

describe('Entra mappings per profile', () => {
  it("every profile keeps Entra's default user mappings", () => {
    for (const p of ['segura', 'appsec', 'workforce', 'surecloud', 'custom'])
      expect(targets(p)).toEqual(
        expect.arrayContaining(['userName', 'active', 'externalId', 'displayName', 'emails[type eq "work"].value', 'name.givenName', 'name.familyName']),
      );
  });

  it('workforce: userType Premium/Standard with its default, required names and a unique work email', () => {
    expect(mapping('workforce', 'userType')?.note).toBe('only Premium, Standard are accepted; left empty, Standard is used');
    expect(mapping('workforce', 'name.givenName')?.note).toMatch(/^required by this product/);
    expect(mapping('workforce', 'emails[type eq "work"].value')?.note).toMatch(/required by this product, and unique/);
    expect(mapping('appsec', 'name.givenName')?.note).toBe("Entra's default");
  });

  it('an enum without a default asks for a default value in the mapping', () => {
    expect(mapping('custom', 'userType', { userType: { mode: 'enum', values: ['A', 'B'] } })?.note).toMatch(/set a Default value/);
  });

  it('surecloud: userType carries group ids, group provisioning off', () => {
    expect(mapping('surecloud', 'userType')?.note).toMatch(/group memberships from userType/);
    expect(mapping('surecloud', 'Groups')?.note).toMatch(/501/);
    expect(targets('surecloud')).not.toContain('Groups: displayName, externalId, members');
  });

  it('segura: app roles mapped to roles, names matching the product roles', () => {
    const roles = mapping('segura', 'roles', { roles: { mode: 'map', productRoles: ['Admin', 'Auditor'], unknownRoles: 'reject' } });
    expect(roles?.source).toBe('AssertiveAppRoleAssignmentsComplex([appRoleAssignments])');
    expect(roles?.note).toMatch(/one of Admin, Auditor exactly.*other names are refused/);
    expect(targets('appsec')).not.toContain('roles');
    expect(targets('appsec')).not.toContain('userType');
  });

  it('names the profiles', () => {
    expect(profileTitle('workforce')).toBe('Workforce platform');
    expect(profileTitle('other')).toBe('other');
  });
});

describe('failure hints', () => {
  const hint = (status: number, detail?: string, scimType?: string) => failureHint({ method: 'POST', path: '/Users', status, detail, scimType });

  it("maps the profile rules' errors to their fix", () => {
    expect(hint(400, 'userType must be one of Premium, Standard; got "Gold"', 'invalidValue')).toMatch(/set a default in Entra's userType mapping/);
    expect(hint(400, 'missing attributes this tenant requires: name.givenName, work email', 'invalidValue')).toMatch(
      /^users need name.givenName, work email: fill them in Entra/,
    );
    expect(hint(400, 'roles not defined in the product: Boss (known roles: Admin)', 'invalidValue')).toMatch(/rename the app role/);
    expect(hint(400, 'role names may hold only letters, digits, _ and - (no spaces or accents): "Big Boss"')).toMatch(/no spaces or accents/);
    expect(hint(409, 'the work email a@b.c is already used by another user of this tenant', 'uniqueness')).toMatch(/share a work email/);
    expect(hint(400, 'userType names groups that do not exist in this tenant: x')).toMatch(/existing group ids/);
    expect(hint(501, 'Group provisioning is disabled for this tenant: …')).toMatch(/turn off "Provision Microsoft Entra ID Groups"/);
    expect(hint(400, "Unknown schema 'urn:x' in 'schemas'", 'invalidValue')).toMatch(/schema is not registered/);
    expect(hint(400, 'Members must be Users of this tenant; unknown member ids: x')).toMatch(/assign that user/);
  });

  it('maps access refusals: credential, allow-list, disabled tenant, rate limit', () => {
    expect(hint(401, 'Authentication required: a valid bearer token for this tenant')).toMatch(/no valid credential/);
    expect(hint(403, 'Requests from 198.51.100.7 are not allowed for this tenant')).toMatch(/allowed source IPs/);
    expect(hint(403, 'This tenant is disabled; ask the provider to enable it')).toMatch(/tenant is disabled/);
    expect(hint(429, 'Too many requests')).toMatch(/retries on its own/);
  });

  it('explains refusals of the token endpoint', () => {
    expect(failureHint({ method: 'POST', path: '/oauth/t/token', status: 401, scimType: 'invalid_client', detail: 'client authentication failed' })).toMatch(
      /OAuth client credentials are wrong/,
    );
    expect(failureHint({ method: 'POST', path: '/oauth/t/token', status: 400, scimType: 'unsupported_grant_type' })).toBe(
      'Entra could not get an access token (unsupported_grant_type): check the Token Endpoint, Client Identifier and Client Secret under Admin Credentials',
    );
  });

  it('falls back on the status, then on the detail', () => {
    expect(hint(503, 'Kafka unavailable')).toMatch(/temporary problem/);
    expect(hint(404)).toMatch(/does not have/);
    expect(hint(400, 'Invalid filter', 'invalidFilter')).toMatch(/matching attributes/);
    expect(hint(400, 'weird', 'invalidValue')).toBe('Entra sent a value this product refuses (weird): fix the mapping that produces it');
    expect(hint(418, 'teapot')).toBe('the request was refused: teapot');
    expect(hint(418)).toMatch(/request log/);
  });
});
