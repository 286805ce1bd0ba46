import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyPatch, normalizeResource, parsePatchRequest, PATCH_OP_SCHEMA, ScimError, USER_SCHEMA, userResourceTypeSchemas } from '@scimflow/scim';
import { ProvisioningCommand } from '@scimflow/contracts';
import {
  applyProfileToDecision,
  applyUserProfile,
  newTenantProfile,
  PROFILE_EXTENSION_SCHEMAS,
  WORKFORCE_FOLDERS_SCHEMA,
  WORKFORCE_METADATA_SCHEMA,
  directiveMembershipEvents,
  MembershipDirective,
  membershipDirectiveDiff,
  parseMembershipDirective,
  PROFILE_PRESETS,
  resolveProfileSettings,
  roleNames,
} from '.';
import { SCIM_USER_LIFECYCLE } from '../users/user-state';

const base = { userName: 'ann@example.com' };
const complete = { ...base, name: { givenName: 'Ann', familyName: 'Lee' }, emails: [{ type: 'work', value: 'Ann@Example.com' }] };

function rejection(f: () => unknown): ScimError {
  try {
    f();
  } catch (e) {
    if (e instanceof ScimError) return e;
    throw e;
  }
  throw new Error('expected a ScimError');
}

describe('resolveProfileSettings', () => {
  it.each(['segura', 'appsec', 'workforce', 'surecloud', 'custom'])('%s preset resolves to its data', (p) => {
    expect(resolveProfileSettings(p, {})).toEqual(PROFILE_PRESETS[p as keyof typeof PROFILE_PRESETS]);
  });

  it('stored settings replace preset keys', () => {
    const s = resolveProfileSettings('segura', {
      roles: { mode: 'map', productRoles: ['Admin', 'read-only'], unknownRoles: 'record' },
      groupProvisioning: false,
    });
    expect(s.roles).toEqual({ mode: 'map', productRoles: ['Admin', 'read-only'], unknownRoles: 'record' });
    expect(s.groupProvisioning).toBe(false);
    expect(s.deleteMode).toBe('hard');
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['unknown profile', {}, /profile must be one of/],
    ['custom', { deleteMode: 'archive' }, /deleteMode must be one of hard\|soft/],
    ['custom', { userType: { mode: 'enum', values: [] } }, /at least one value/],
    ['custom', { userType: { mode: 'enum', values: ['A'], default: 'B' } }, /userType.default must be one of/],
    ['custom', { userType: 'enum' }, /userType must be an object/],
    ['custom', { roles: { mode: 'map', productRoles: ['Read Only'] } }, /no spaces or accents\): Read Only/],
    ['custom', { roles: { mode: 'map', productRoles: ['Café'] } }, /Café/],
    ['custom', { roles: { mode: 'map', productRoles: [], unknownRoles: 'drop' } }, /roles.unknownRoles must be one of reject\|record/],
    ['custom', { requiredAttributes: ['title'] }, /requiredAttributes may hold only/],
    ['custom', { groupProvisioning: 'no' }, /groupProvisioning must be true or false/],
  ])('%s %j is rejected', (profile, settings, detail) => {
    const e = rejection(() => resolveProfileSettings(profile === 'unknown profile' ? 'okta' : profile, settings));
    expect(e.status).toBe(400);
    expect(e.scimType).toBe('invalidValue');
    expect(e.message).toMatch(detail);
  });
});

describe('userType enum (workforce)', () => {
  const s = resolveProfileSettings('workforce', {});
  it.each<[unknown, string]>([
    [undefined, 'Standard'],
    ['', 'Standard'],
    ['Premium', 'Premium'],
    ['Standard', 'Standard'],
  ])('%j stored as %s', (userType, stored) => {
    expect(applyUserProfile({ ...complete, userType }, undefined, s).document.userType).toBe(stored);
  });
  it.each(['premium', 'Gold', 'Premium,Standard'])('%s is 400 invalidValue', (userType) => {
    const e = rejection(() => applyUserProfile({ ...complete, userType }, undefined, s));
    expect([e.status, e.scimType]).toEqual([400, 'invalidValue']);
    expect(e.message).toContain('userType must be one of Premium, Standard');
  });
  it('without a default, absence stays absent', () => {
    const noDefault = resolveProfileSettings('custom', { userType: { mode: 'enum', values: ['A'] } });
    expect(applyUserProfile(base, undefined, noDefault).document.userType).toBeUndefined();
  });
});

describe('userType group directive (surecloud)', () => {
  const s = resolveProfileSettings('surecloud', {});
  it.each<[string, unknown]>([
    ['g1,g2', { kind: 'exactly', groupIds: ['g1', 'g2'] }],
    [' g1 , g2 ,g1', { kind: 'exactly', groupIds: ['g1', 'g2'] }],
    ['', { kind: 'exactly', groupIds: [] }],
    [',', { kind: 'exactly', groupIds: [] }],
    ['IGNORE', { kind: 'ignore' }],
    [' IGNORE ', { kind: 'ignore' }],
  ])('%j → %j', (text, directive) => {
    expect(parseMembershipDirective(text)).toEqual(directive);
    expect(applyUserProfile({ ...base, userType: text }, undefined, s).directive).toEqual(directive);
  });
  it.each<[Record<string, unknown> | undefined, Record<string, unknown>, boolean]>([
    [undefined, { ...base }, false],
    [{ ...base, userType: 'g1' }, { ...base, userType: 'g1' }, false],
    [{ ...base, userType: 'g1' }, { ...base, userType: 'g2' }, true],
    [{ ...base }, { ...base, userType: '' }, true],
  ])('before %j after %j: directive applied = %s', (before, after, applied) => {
    expect(applyUserProfile(after, before, s).directive !== undefined).toBe(applied);
  });
});

describe('required attributes and unique work email (workforce)', () => {
  const s = resolveProfileSettings('workforce', {});
  it.each<[string, Record<string, unknown>, string]>([
    ['no givenName', { ...complete, name: { familyName: 'Lee' } }, 'name.givenName'],
    ['blank familyName', { ...complete, name: { givenName: 'Ann', familyName: ' ' } }, 'name.familyName'],
    ['no emails', { ...complete, emails: undefined }, 'emails[type eq "work"].value'],
    ['home email only', { ...complete, emails: [{ type: 'home', value: 'a@b.c' }] }, 'emails[type eq "work"].value'],
  ])('%s → 400 naming %s', (_case, doc, missing) => {
    const e = rejection(() => applyUserProfile(doc, undefined, s));
    expect([e.status, e.scimType]).toEqual([400, 'invalidValue']);
    expect(e.message).toContain(missing);
  });
  it('a complete user passes with its work email lower-cased for the uniqueness check', () => {
    expect(applyUserProfile(complete, undefined, s).uniqueWorkEmail).toBe('ann@example.com');
  });
  it('other profiles do not ask', () => {
    expect(applyUserProfile(base, undefined, resolveProfileSettings('appsec', {}))).toEqual({ document: base, unmatchedRoles: [] });
  });
});

describe('role mapping (segura)', () => {
  const reject = resolveProfileSettings('segura', { roles: { mode: 'map', productRoles: ['Admin', 'read_only', 'ops-team'], unknownRoles: 'reject' } });
  const record = resolveProfileSettings('segura', { roles: { mode: 'map', productRoles: ['Admin'], unknownRoles: 'record' } });
  const complexRole = (value: string) => ({ primary: false, type: 'WindowsAzureActiveDirectoryRole', display: value, value });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['AssertiveAppRoleAssignmentsComplex in entitlements', { entitlements: [complexRole('Admin'), complexRole('ops-team')] }, ['Admin', 'ops-team']],
    ['AppRoleAssignmentsComplex in roles', { roles: [complexRole('read_only')] }, ['read_only']],
    ['SingleAppRoleAssignment string', { entitlements: 'Admin' }, ['Admin']],
    ['string inside the array', { entitlements: ['Admin'] }, ['Admin']],
    ['both attributes, deduplicated', { roles: [complexRole('Admin')], entitlements: [{ value: 'Admin' }] }, ['Admin']],
  ])('%s', (_case, extra, names) => {
    expect(roleNames({ ...base, ...extra })).toEqual(names);
    expect(applyUserProfile({ ...base, ...extra }, undefined, reject).unmatchedRoles).toEqual([]);
  });

  it.each(['Read Only', 'Café', 'admin!'])('malformed name %j → 400', (name) => {
    const e = rejection(() => applyUserProfile({ ...base, entitlements: [{ value: name }] }, undefined, record));
    expect([e.status, e.scimType]).toEqual([400, 'invalidValue']);
    expect(e.message).toContain('no spaces or accents');
  });
  it('unknown role rejected, naming it', () => {
    const e = rejection(() => applyUserProfile({ ...base, entitlements: [complexRole('Auditor')] }, undefined, reject));
    expect(e.message).toMatch(/roles not defined in the product: Auditor/);
  });
  it('exact names only: case differs = unknown', () => {
    expect(() => applyUserProfile({ ...base, roles: [complexRole('admin')] }, undefined, reject)).toThrow(/admin/);
  });
  it('unknown role recorded, not dropped', () => {
    const r = applyUserProfile({ ...base, entitlements: [complexRole('Admin'), complexRole('Auditor')] }, undefined, record);
    expect(r.unmatchedRoles).toEqual(['Auditor']);
    expect(r.document.entitlements).toHaveLength(2);
  });
});

/**
 * The app role shapes of Entra's attribute-mapping guide ("Customize user provisioning attribute-mappings",
 * "Provisioning a role to a SCIM app"), each mapped to roles or to entitlements, as POST, PUT and PATCH bodies go
 * through the SCIM rules (normalizeResource, applyPatch) and then the tenant's role rules.
 */
describe('app roles in every shape Entra sends, POST, PUT and PATCH', () => {
  const AAD = 'WindowsAzureActiveDirectoryRole';
  /** Entra's PATCH form of an assignment: its JSON as the role's value */
  const encoded = (name: string) => ({ value: JSON.stringify({ id: `id-${name}`, value: name, displayName: name }) });
  type Op = { op: string; path?: string; value?: unknown };
  interface Shape {
    post: (attr: string) => unknown;
    patch: (attr: string) => Op[];
    names: string[];
  }
  const shapes: Record<string, Shape> = {
    'SingleAppRoleAssignment → attr[primary eq "True"].value': {
      post: () => [{ primary: true, type: AAD, value: 'Admin' }],
      patch: (attr) => [{ op: 'Replace', path: `${attr}[primary eq "True"].value`, value: 'Admin' }],
      names: ['Admin'],
    },
    'SingleAppRoleAssignment → attr (one name; documented PATCH Add of the encoded assignment)': {
      post: () => 'Admin',
      patch: (attr) => [{ op: 'Add', path: attr, value: [encoded('Admin')] }],
      names: ['Admin'],
    },
    'AppRoleAssignmentsComplex → attr': {
      post: () => [
        { primary: false, type: AAD, displayName: 'Admin', value: 'Admin' },
        { primary: false, type: AAD, displayName: 'Auditor_RO', value: 'Auditor_RO' },
      ],
      patch: (attr) => [{ op: 'Add', path: attr, value: [encoded('Admin'), encoded('Auditor_RO')] }],
      names: ['Admin', 'Auditor_RO'],
    },
    'AssertiveAppRoleAssignmentsComplex → attr': {
      post: () => [
        { primary: 'False', type: AAD, display: 'Admin', value: 'Admin' },
        { primary: 'False', type: AAD, display: 'Auditor_RO', value: 'Auditor_RO' },
      ],
      patch: (attr) => [
        {
          op: 'Replace',
          path: attr,
          value: [
            { primary: 'False', type: AAD, display: 'Admin', value: 'Admin' },
            { primary: 'False', type: AAD, display: 'Auditor_RO', value: 'Auditor_RO' },
          ],
        },
      ],
      names: ['Admin', 'Auditor_RO'],
    },
  };
  const stored = normalizeResource({ schemas: [USER_SCHEMA], userName: 'ann@example.com', active: true }, userResourceTypeSchemas, 'create');
  const write = (method: string, shape: Shape, attr: string): Record<string, unknown> => {
    if (method === 'PATCH')
      return applyPatch(stored, parsePatchRequest({ schemas: [PATCH_OP_SCHEMA], Operations: shape.patch(attr) }), userResourceTypeSchemas).document;
    return normalizeResource(
      { schemas: [USER_SCHEMA], userName: 'ann@example.com', [attr]: shape.post(attr) },
      userResourceTypeSchemas,
      method === 'POST' ? 'create' : 'replace',
    );
  };
  const off = resolveProfileSettings('appsec', {});
  const known = resolveProfileSettings('segura', { roles: { mode: 'map', productRoles: ['Admin', 'Auditor_RO'], unknownRoles: 'reject' } });
  const noneKnown = resolveProfileSettings('segura', { roles: { mode: 'map', productRoles: ['Other'], unknownRoles: 'reject' } });
  const record = resolveProfileSettings('segura', { roles: { mode: 'map', productRoles: ['Admin'], unknownRoles: 'record' } });
  const cases = Object.keys(shapes).flatMap((shape) =>
    ['roles', 'entitlements'].flatMap((attr) => ['POST', 'PUT', 'PATCH'].map((method) => [shape, attr, method] as const)),
  );

  it.each(cases)('%s, attr = %s, %s', (shapeName, attr, method) => {
    const shape = shapes[shapeName];
    const doc = write(method, shape, attr);
    expect((doc[attr] as { value: string }[]).map((r) => r.value)).toEqual(shape.names);
    expect(roleNames(doc)).toEqual(shape.names);
    expect(applyUserProfile(doc, undefined, off)).toEqual({ document: doc, unmatchedRoles: [] });
    expect(applyUserProfile(doc, undefined, known).unmatchedRoles).toEqual([]);
    expect(rejection(() => applyUserProfile(doc, undefined, noneKnown)).message).toContain(`roles not defined in the product: ${shape.names.join(', ')}`);
    expect(applyUserProfile(doc, undefined, record).unmatchedRoles).toEqual(shape.names.filter((n) => n !== 'Admin'));
  });

  it('PATCH after POST keeps one element per role (AppRoleAssignmentsComplex Add of roles the user has)', () => {
    const created = write('POST', shapes['AppRoleAssignmentsComplex → attr'], 'entitlements');
    const added = applyPatch(
      created,
      parsePatchRequest({ schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'Add', path: 'entitlements', value: [encoded('Admin'), encoded('Ops')] }] }),
      userResourceTypeSchemas,
    ).document;
    expect(added.entitlements).toEqual([
      { value: 'Admin', display: 'Admin', type: AAD, primary: false },
      { value: 'Auditor_RO', display: 'Auditor_RO', type: AAD, primary: false },
      { value: 'Ops', display: 'Ops' },
    ]);
    const removed = applyPatch(
      added,
      parsePatchRequest({ schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'Remove', path: 'entitlements', value: [encoded('Auditor_RO')] }] }),
      userResourceTypeSchemas,
    ).document;
    expect(roleNames(removed)).toEqual(['Admin', 'Ops']);
  });

  it('SingleAppRoleAssignment PATCH of the same path updates the one primary role', () => {
    const first = write('PATCH', shapes['SingleAppRoleAssignment → attr[primary eq "True"].value'], 'roles');
    const again = applyPatch(
      first,
      parsePatchRequest({ schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'Replace', path: 'roles[primary eq "True"].value', value: 'Auditor_RO' }] }),
      userResourceTypeSchemas,
    ).document;
    expect(again.roles).toEqual([{ primary: true, value: 'Auditor_RO' }]);
  });

  it('AssertiveAppRoleAssignmentsComplex Replace drops the roles Entra no longer assigns', () => {
    const created = write('POST', shapes['AssertiveAppRoleAssignmentsComplex → attr'], 'roles');
    const replaced = applyPatch(
      created,
      parsePatchRequest({
        schemas: [PATCH_OP_SCHEMA],
        Operations: [{ op: 'Replace', path: 'roles', value: [{ primary: 'False', type: AAD, display: 'Admin', value: 'Admin' }] }],
      }),
      userResourceTypeSchemas,
    ).document;
    expect(roleNames(replaced)).toEqual(['Admin']);
  });
});

describe('membership directive diff and events', () => {
  it.each<[string[], unknown, { join: string[]; leave: string[] }]>([
    [[], { kind: 'exactly', groupIds: ['b', 'a'] }, { join: ['a', 'b'], leave: [] }],
    [['a', 'c'], { kind: 'exactly', groupIds: ['a', 'b'] }, { join: ['b'], leave: ['c'] }],
    [['a', 'b'], { kind: 'exactly', groupIds: [] }, { join: [], leave: ['a', 'b'] }],
    [['a', 'b'], { kind: 'ignore' }, { join: [], leave: [] }],
    [['A'], { kind: 'exactly', groupIds: ['a'] }, { join: [], leave: [] }],
  ])('member of %j, directive %j → %j', (current, directive, diff) => {
    expect(membershipDirectiveDiff(current, directive as MembershipDirective)).toEqual(diff);
  });

  it('events follow the user event: joins then leaves, one sequence each', () => {
    const command = { v: 1, commandId: 'c1', tenantId: 't', resourceType: 'User', resourceId: 'u', action: 'patch', issuedAt: '' } as ProvisioningCommand;
    const events = directiveMembershipEvents(command, 'u', 4, [{ id: 'g1', displayName: 'One' }], [{ id: 'g2', displayName: 'Two' }], new Date(0));
    expect(events.map((e) => [e.type, e.sequence, e.data.groupId])).toEqual([
      ['dev.scimflow.membership.added.v1', 5, 'g1'],
      ['dev.scimflow.membership.removed.v1', 6, 'g2'],
    ]);
  });
});

describe('applyProfileToDecision', () => {
  const settings = resolveProfileSettings('workforce', {});
  const command = { v: 1, commandId: 'c1', tenantId: 't', resourceType: 'User', resourceId: 'u', action: 'create', issuedAt: '' } as ProvisioningCommand;
  const state = (document: Record<string, unknown>) => ({
    id: 'u',
    tenantId: 't',
    userName: 'ann',
    externalId: null,
    active: true,
    document,
    version: 1,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    workEmail: null,
    ...SCIM_USER_LIFECYCLE,
  });

  it('fills the default into the state and the event', () => {
    const d = applyProfileToDecision({ kind: 'save', isNew: true, state: state(complete), event: {} as never }, command, settings, new Date(0));
    expect(d.kind).toBe('save');
    if (d.kind !== 'save') return;
    expect(d.state.document.userType).toBe('Standard');
    expect(d.event.data.user?.userType).toBe('Standard');
  });
  it('turns a rule failure into a rejection', () => {
    const d = applyProfileToDecision(
      { kind: 'save', isNew: true, state: state({ ...complete, userType: 'Gold' }), event: {} as never },
      command,
      settings,
      new Date(0),
    );
    expect(d.kind === 'reject' && d.error.status).toBe(400);
  });
  it('leaves deletes and unchanged decisions alone', () => {
    const del = { kind: 'delete' as const, event: {} as never };
    expect(applyProfileToDecision(del, command, settings, new Date(0))).toBe(del);
  });
});

describe('profile extension schemas', () => {
  it('are the ones customers find in docs/schemas (kept equal)', () => {
    const read = (f: string) => JSON.parse(readFileSync(join(__dirname, '../../../../docs/schemas', f), 'utf8'));
    expect(read('workforce-folders.json')).toEqual(WORKFORCE_FOLDERS_SCHEMA);
    expect(read('workforce-metadata.json')).toEqual(WORKFORCE_METADATA_SCHEMA);
    expect(PROFILE_EXTENSION_SCHEMAS.workforce).toEqual([WORKFORCE_FOLDERS_SCHEMA, WORKFORCE_METADATA_SCHEMA]);
  });

  it('newTenantProfile validates the settings and brings the profile schemas', () => {
    expect(newTenantProfile('workforce', { deleteMode: 'soft' })).toEqual({
      profile: 'workforce',
      settings: { deleteMode: 'soft' },
      userSchemas: PROFILE_EXTENSION_SCHEMAS.workforce,
    });
    expect(newTenantProfile()).toEqual({ profile: 'custom', settings: {}, userSchemas: [] });
    expect(() => newTenantProfile('workforce', { deleteMode: 'archive' })).toThrow(/deleteMode/);
    expect(() => newTenantProfile('acme')).toThrow(/profile must be one of/);
  });
});
