import { ScimError } from '../errors';
import { normalizeResource } from '../resource/normalize';
import { CUSTOM_EXTENSION, TEAM_EXTENSION, TEAM_SCHEMA, teamTypes, userTypes } from '../resource/test-fixtures';
import { ResourceTypeSchemas, ScimDocument, userResourceTypeSchemas } from '../resource/types';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from '../schema/user.schema';
import { applyPatch } from './apply-patch';
import { parsePatchRequest, PATCH_OP_SCHEMA, PatchOperation } from './patch-request';

const ENT = ENTERPRISE_USER_SCHEMA;
const CUS = CUSTOM_EXTENSION;

/** A stored user as normalizeResource leaves it (the tutorial user, with enterprise data). */
const user = (): ScimDocument => ({
  schemas: [USER_SCHEMA, ENT],
  externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
  userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
  name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
  displayName: 'Test User',
  active: true,
  emails: [
    { primary: true, type: 'work', value: 'work@testuser.com' },
    { type: 'home', value: 'home@testuser.com' },
  ],
  phoneNumbers: [{ type: 'work', value: '+1 555 0100' }],
  roles: [{ value: 'Reader', type: 'app', primary: true }],
  [ENT]: { employeeNumber: '701984', department: 'Tour Operations', manager: { value: 'mgr-1' } },
});

const customUser = (): ScimDocument => ({
  ...user(),
  schemas: [USER_SCHEMA, ENT, CUS],
  [CUS]: { folders: ['Inbox', 'Sent'], badgeId: 'B-1', level: 1 },
});

const team = (): ScimDocument => ({
  schemas: [TEAM_SCHEMA],
  displayName: 'Ops',
  members: [{ value: 'u1', type: 'User' }, { value: 'u2' }],
});

const teamExtra = (): ScimDocument => ({ ...team(), schemas: [TEAM_SCHEMA, TEAM_EXTENSION], [TEAM_EXTENSION]: { costCode: 'C1', note: 'n' } });

const starts: Record<string, { doc: () => ScimDocument; types: ResourceTypeSchemas }> = {
  user: { doc: user, types: userTypes },
  plainUser: { doc: user, types: userResourceTypeSchemas },
  custom: { doc: customUser, types: userTypes },
  team: { doc: team, types: teamTypes },
  teamExtra: { doc: teamExtra, types: teamTypes },
};

const request = (ops: unknown[]) => ({ schemas: [PATCH_OP_SCHEMA], Operations: ops });

function patch(start: keyof typeof starts, ops: unknown[]) {
  const { doc, types } = starts[start];
  return applyPatch(doc(), parsePatchRequest(request(ops)), types);
}

function errorOf(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ScimError) return err;
    throw err;
  }
  throw new Error('expected a ScimError');
}

describe('fixtures', () => {
  it.each(Object.entries(starts))('%s is in stored (normalized) form', (_name, { doc, types }) => {
    expect(normalizeResource(doc(), types, 'replace')).toEqual(doc());
  });
});

type Edit = (r: any) => void;
type Row = [string, keyof typeof starts, unknown[], Edit];

const rows: Row[] = [
  // ---- Microsoft tutorial: "Develop and plan provisioning for a SCIM endpoint" --------------------------
  [
    'tutorial: update user [multi-valued properties]',
    'user',
    [
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
      { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
    ],
    (r) => {
      r.emails[0].value = 'updatedEmail@microsoft.com';
      r.name.familyName = 'updatedFamilyName';
    },
  ],
  [
    'tutorial: update user [single-valued properties]',
    'user',
    [{ op: 'Replace', path: 'userName', value: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com' }],
    (r) => {
      r.userName = '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com';
    },
  ],
  [
    'tutorial: disable user',
    'user',
    [{ op: 'Replace', path: 'active', value: false }],
    (r) => {
      r.active = false;
    },
  ],
  [
    'tutorial: update group [non-member attributes]',
    'team',
    [{ op: 'Replace', path: 'displayName', value: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName' }],
    (r) => {
      r.displayName = '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName';
    },
  ],
  [
    'tutorial: update group [add members]',
    'team',
    [{ op: 'Add', path: 'members', value: [{ $ref: null, value: 'f648f8d5ea4e4cd38e9c' }] }],
    (r) => {
      r.members.push({ value: 'f648f8d5ea4e4cd38e9c' });
    },
  ],
  [
    'tutorial: update group [remove members] (value array)',
    'team',
    [{ op: 'Remove', path: 'members', value: [{ $ref: null, value: 'u1' }] }],
    (r) => {
      r.members = [{ value: 'u2' }];
    },
  ],

  // ---- Microsoft "Known issues … SCIM 2.0 protocol compliance" shapes ---------------------------------
  [
    'known issues: Add nickName (capitalised op)',
    'user',
    [{ op: 'Add', path: 'nickName', value: 'Babs' }],
    (r) => {
      r.nickName = 'Babs';
    },
  ],
  [
    'known issues: add nickName (fixed op)',
    'user',
    [{ op: 'add', path: 'nickName', value: 'Babs' }],
    (r) => {
      r.nickName = 'Babs';
    },
  ],
  [
    'known issues: Replace active "False"',
    'user',
    [{ op: 'Replace', path: 'active', value: 'False' }],
    (r) => {
      r.active = false;
    },
  ],
  [
    'known issues: replace active false (fixed)',
    'user',
    [{ op: 'replace', path: 'active', value: false }],
    (r) => {
      r.active = false;
    },
  ],
  [
    'known issues: Replace without path {active: "False"}',
    'user',
    [{ op: 'Replace', value: { active: 'False' } }],
    (r) => {
      r.active = false;
    },
  ],
  [
    'known issues: replace without path {active: false}',
    'user',
    [{ op: 'replace', value: { active: false } }],
    (r) => {
      r.active = false;
    },
  ],
  [
    'known issues: active "false" lower case',
    'user',
    [{ op: 'Replace', path: 'active', value: 'false' }],
    (r) => {
      r.active = false;
    },
  ],
  [
    'known issues: several single-path replaces (before the fix)',
    'user',
    [
      { op: 'Replace', path: 'displayName', value: 'Pvlo' },
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'TestBcwqnm@test.microsoft.com' },
      { op: 'Replace', path: 'name.givenName', value: 'Gtfd' },
      { op: 'Replace', path: 'name.familyName', value: 'Pkqf' },
      { op: 'Replace', path: 'externalId', value: 'Eqpj' },
      { op: 'Replace', path: `${ENT}:employeeNumber`, value: 'Eqpj' },
    ],
    (r) => {
      r.displayName = 'Pvlo';
      r.emails[0].value = 'TestBcwqnm@test.microsoft.com';
      r.name.givenName = 'Gtfd';
      r.name.familyName = 'Pkqf';
      r.externalId = 'Eqpj';
      r[ENT].employeeNumber = 'Eqpj';
    },
  ],
  [
    'known issues: one no-path replace with path keys (after the fix)',
    'user',
    [
      {
        op: 'replace',
        value: {
          displayName: 'Pvlo',
          'emails[type eq "work"].value': 'TestBcwqnm@test.microsoft.com',
          'name.givenName': 'Gtfd',
          'name.familyName': 'Pkqf',
          externalId: 'Eqpj',
          [`${ENT}:employeeNumber`]: 'Eqpj',
        },
      },
    ],
    (r) => {
      r.displayName = 'Pvlo';
      r.emails[0].value = 'TestBcwqnm@test.microsoft.com';
      r.name.givenName = 'Gtfd';
      r.name.familyName = 'Pkqf';
      r.externalId = 'Eqpj';
      r[ENT].employeeNumber = 'Eqpj';
    },
  ],
  [
    'known issues: remove member by filter (after the fix)',
    'team',
    [{ op: 'remove', path: 'members[value eq "u2"]' }],
    (r) => {
      r.members = [{ value: 'u1', type: 'User' }];
    },
  ],
  [
    'known issues: Remove member with value (before the fix)',
    'team',
    [{ op: 'Remove', path: 'members', value: [{ value: 'u2' }] }],
    (r) => {
      r.members = [{ value: 'u1', type: 'User' }];
    },
  ],

  // ---- enterprise manager ---------------------------------------------------------------------------
  [
    'manager replace with a bare id (Entra)',
    'user',
    [{ op: 'Replace', path: `${ENT}:manager`, value: 'mgr-2' }],
    (r) => {
      r[ENT].manager = { value: 'mgr-2' };
    },
  ],
  [
    'manager replace with an empty bare id unassigns it',
    'user',
    [{ op: 'Replace', path: `${ENT}:manager`, value: '' }],
    (r) => {
      delete r[ENT].manager;
    },
  ],
  [
    'manager replace with an object',
    'user',
    [{ op: 'replace', path: `${ENT}:manager`, value: { value: 'mgr-2' } }],
    (r) => {
      r[ENT].manager = { value: 'mgr-2' };
    },
  ],
  [
    'manager replace with $ref merges',
    'user',
    [{ op: 'replace', path: `${ENT}:manager`, value: { $ref: '../Users/mgr-1' } }],
    (r) => {
      r[ENT].manager.$ref = '../Users/mgr-1';
    },
  ],
  [
    'manager replace with displayName (readOnly) drops it',
    'user',
    [{ op: 'replace', path: `${ENT}:manager`, value: { value: 'mgr-3', displayName: 'Boss' } }],
    (r) => {
      r[ENT].manager = { value: 'mgr-3' };
    },
  ],
  [
    'manager add when absent',
    'user',
    [
      { op: 'remove', path: `${ENT}:manager` },
      { op: 'Add', path: `${ENT}:manager`, value: 'mgr-9' },
    ],
    (r) => {
      r[ENT].manager = { value: 'mgr-9' };
    },
  ],
  [
    'manager.value replace',
    'user',
    [{ op: 'replace', path: `${ENT}:manager.value`, value: 'mgr-5' }],
    (r) => {
      r[ENT].manager.value = 'mgr-5';
    },
  ],
  [
    'manager.value add',
    'user',
    [{ op: 'add', path: `${ENT}:manager.value`, value: 'mgr-5' }],
    (r) => {
      r[ENT].manager.value = 'mgr-5';
    },
  ],
  [
    'manager remove',
    'user',
    [{ op: 'Remove', path: `${ENT}:manager` }],
    (r) => {
      delete r[ENT].manager;
    },
  ],
  // Entra's tutorial ("Example 5"): the bare path `manager`, an array of one { $ref, value }
  [
    'manager Add by bare path with an array of one reference (Entra)',
    'user',
    [{ op: 'Add', path: 'manager', value: [{ $ref: 'https://x/Users/mgr-2', value: 'mgr-2' }] }],
    (r) => {
      r[ENT].manager = { value: 'mgr-2', $ref: 'https://x/Users/mgr-2' };
    },
  ],
  [
    'manager Remove by bare path (Entra)',
    'user',
    [{ op: 'Remove', path: 'manager' }],
    (r) => {
      delete r[ENT].manager;
    },
  ],
  [
    'enterprise attribute by bare path',
    'user',
    [{ op: 'replace', path: 'department', value: 'x' }],
    (r) => {
      r[ENT].department = 'x';
    },
  ],
  [
    'enterprise attribute as a bare no-path key',
    'user',
    [{ op: 'replace', value: { department: 'y', 'manager.value': 'mgr-3' } }],
    (r) => {
      r[ENT].department = 'y';
      r[ENT].manager.value = 'mgr-3';
    },
  ],
  [
    'manager remove with matching value array',
    'user',
    [{ op: 'Remove', path: `${ENT}:manager`, value: [{ value: 'mgr-1' }] }],
    (r) => {
      delete r[ENT].manager;
    },
  ],
  [
    'manager remove with matching value object',
    'user',
    [{ op: 'remove', path: `${ENT}:manager`, value: { value: 'MGR-1' } }],
    (r) => {
      delete r[ENT].manager;
    },
  ],
  ['manager remove with other value keeps it', 'user', [{ op: 'Remove', path: `${ENT}:manager`, value: [{ value: 'mgr-7' }] }], () => undefined],
  [
    'manager remove by filter (Azure AD)',
    'user',
    [{ op: 'remove', path: `${ENT}:manager[value eq "mgr-1"]` }],
    (r) => {
      delete r[ENT].manager;
    },
  ],
  ['manager remove by filter not matching', 'user', [{ op: 'remove', path: `${ENT}:manager[value eq "mgr-7"]` }], () => undefined],
  [
    'manager replace by filter',
    'user',
    [{ op: 'replace', path: `${ENT}:manager[value eq "mgr-1"]`, value: { value: 'mgr-2' } }],
    (r) => {
      r[ENT].manager = { value: 'mgr-2' };
    },
  ],
  [
    'manager.value remove leaves nothing',
    'user',
    [{ op: 'remove', path: `${ENT}:manager.value` }],
    (r) => {
      delete r[ENT].manager;
    },
  ],
  [
    'manager replace with null removes it',
    'user',
    [{ op: 'replace', path: `${ENT}:manager`, value: null }],
    (r) => {
      delete r[ENT].manager;
    },
  ],
  [
    'manager replace {value: null} removes it',
    'user',
    [{ op: 'replace', path: `${ENT}:manager`, value: { value: null } }],
    (r) => {
      delete r[ENT].manager;
    },
  ],

  // ---- enterprise attributes, URN paths and URN objects ------------------------------------------------
  [
    'department via URN path',
    'user',
    [{ op: 'replace', path: `${ENT}:department`, value: 'Sales' }],
    (r) => {
      r[ENT].department = 'Sales';
    },
  ],
  [
    'department via URN path in other case',
    'user',
    [{ op: 'replace', path: `${ENT.toLowerCase()}:DEPARTMENT`, value: 'Sales' }],
    (r) => {
      r[ENT].department = 'Sales';
    },
  ],
  [
    'costCenter add',
    'user',
    [{ op: 'add', path: `${ENT}:costCenter`, value: 'CC-7' }],
    (r) => {
      r[ENT].costCenter = 'CC-7';
    },
  ],
  [
    'department remove',
    'user',
    [{ op: 'remove', path: `${ENT}:department` }],
    (r) => {
      delete r[ENT].department;
    },
  ],
  [
    'no-path full URN key',
    'user',
    [{ op: 'replace', value: { [`${ENT}:employeeNumber`]: '7' } }],
    (r) => {
      r[ENT].employeeNumber = '7';
    },
  ],
  [
    'no-path URN object',
    'user',
    [{ op: 'replace', value: { [ENT]: { department: 'x' } } }],
    (r) => {
      r[ENT].department = 'x';
    },
  ],
  [
    'no-path URN object merges, keeps others',
    'user',
    [{ op: 'add', value: { [ENT]: { division: 'EMEA', costCenter: 'c' } } }],
    (r) => {
      r[ENT].division = 'EMEA';
      r[ENT].costCenter = 'c';
    },
  ],
  [
    'no-path URN object with manager id',
    'user',
    [{ op: 'replace', value: { [ENT]: { manager: 'mgr-8' } } }],
    (r) => {
      r[ENT].manager = { value: 'mgr-8' };
    },
  ],
  [
    'no-path URN object with dotted key',
    'user',
    [{ op: 'replace', value: { [ENT]: { 'manager.value': 'mgr-8' } } }],
    (r) => {
      r[ENT].manager = { value: 'mgr-8' };
    },
  ],
  [
    'no-path URN object key in other case',
    'user',
    [{ op: 'replace', value: { [ENT.toUpperCase()]: { Department: 'x' } } }],
    (r) => {
      r[ENT].department = 'x';
    },
  ],
  [
    'bare extension URN path: replace',
    'user',
    [{ op: 'replace', path: ENT, value: { department: 'x', organization: 'Org' } }],
    (r) => {
      r[ENT].department = 'x';
      r[ENT].organization = 'Org';
    },
  ],
  [
    'bare extension URN path: add',
    'user',
    [{ op: 'add', path: ENT, value: { division: 'd' } }],
    (r) => {
      r[ENT].division = 'd';
    },
  ],
  [
    'bare extension URN path: remove drops the extension',
    'user',
    [{ op: 'remove', path: ENT }],
    (r) => {
      delete r[ENT];
      r.schemas = [USER_SCHEMA];
    },
  ],
  [
    'bare extension URN path: replace with null drops the extension',
    'user',
    [{ op: 'replace', path: ENT, value: null }],
    (r) => {
      delete r[ENT];
      r.schemas = [USER_SCHEMA];
    },
  ],
  [
    'removing every enterprise attribute drops the URN from schemas',
    'user',
    [
      { op: 'remove', path: `${ENT}:employeeNumber` },
      { op: 'remove', path: `${ENT}:department` },
      { op: 'remove', path: `${ENT}:manager` },
    ],
    (r) => {
      delete r[ENT];
      r.schemas = [USER_SCHEMA];
    },
  ],
  [
    'fully-qualified core attribute path',
    'user',
    [{ op: 'replace', path: `${USER_SCHEMA}:displayName`, value: 'FQ' }],
    (r) => {
      r.displayName = 'FQ';
    },
  ],
  [
    'fully-qualified core sub-attribute path',
    'user',
    [{ op: 'replace', path: `${USER_SCHEMA}:name.givenName`, value: 'FQ' }],
    (r) => {
      r.name.givenName = 'FQ';
    },
  ],
  [
    'no-path core URN object',
    'user',
    [{ op: 'replace', value: { [USER_SCHEMA]: { displayName: 'FQ' } } }],
    (r) => {
      r.displayName = 'FQ';
    },
  ],

  // ---- simple attributes ------------------------------------------------------------------------------
  [
    'replace displayName',
    'user',
    [{ op: 'replace', path: 'displayName', value: 'New' }],
    (r) => {
      r.displayName = 'New';
    },
  ],
  [
    'path is case-insensitive',
    'user',
    [{ op: 'replace', path: 'DISPLAYNAME', value: 'New' }],
    (r) => {
      r.displayName = 'New';
    },
  ],
  [
    'add to existing simple attribute replaces it',
    'user',
    [{ op: 'add', path: 'displayName', value: 'New' }],
    (r) => {
      r.displayName = 'New';
    },
  ],
  [
    'replace absent attribute adds it',
    'user',
    [{ op: 'replace', path: 'title', value: 'Tour Guide' }],
    (r) => {
      r.title = 'Tour Guide';
    },
  ],
  [
    'replace with null removes',
    'user',
    [{ op: 'replace', path: 'displayName', value: null }],
    (r) => {
      delete r.displayName;
    },
  ],
  [
    'add null removes',
    'user',
    [{ op: 'add', path: 'displayName', value: null }],
    (r) => {
      delete r.displayName;
    },
  ],
  [
    'remove displayName',
    'user',
    [{ op: 'remove', path: 'displayName' }],
    (r) => {
      delete r.displayName;
    },
  ],
  ['remove absent attribute is a no-op', 'user', [{ op: 'remove', path: 'nickName' }], () => undefined],
  [
    'remove with matching value on a simple attribute',
    'user',
    [{ op: 'remove', path: 'displayName', value: 'test user' }],
    (r) => {
      delete r.displayName;
    },
  ],
  ['remove with other value on a simple attribute keeps it', 'user', [{ op: 'remove', path: 'displayName', value: 'Other' }], () => undefined],
  [
    'externalId replace',
    'user',
    [{ op: 'replace', path: 'externalId', value: 'ext-2' }],
    (r) => {
      r.externalId = 'ext-2';
    },
  ],
  [
    'externalId remove',
    'user',
    [{ op: 'remove', path: 'externalId' }],
    (r) => {
      delete r.externalId;
    },
  ],
  [
    'userName replace',
    'user',
    [{ op: 'replace', path: 'userName', value: 'new@x.com' }],
    (r) => {
      r.userName = 'new@x.com';
    },
  ],
  [
    'userName removed then added back in one request',
    'user',
    [
      { op: 'remove', path: 'userName' },
      { op: 'add', path: 'userName', value: 'again' },
    ],
    (r) => {
      r.userName = 'again';
    },
  ],
  [
    'password replace (writeOnly is writable)',
    'user',
    [{ op: 'replace', path: 'password', value: 'pw' }],
    (r) => {
      r.password = 'pw';
    },
  ],
  [
    'active "True"',
    'user',
    [
      { op: 'Replace', path: 'active', value: 'False' },
      { op: 'Replace', path: 'active', value: 'True' },
    ],
    () => undefined,
  ],
  [
    'operations apply in order',
    'user',
    [
      { op: 'replace', path: 'title', value: 'a' },
      { op: 'replace', path: 'title', value: 'b' },
    ],
    (r) => {
      r.title = 'b';
    },
  ],
  [
    'locale, timezone, preferredLanguage, userType',
    'user',
    [
      { op: 'add', path: 'locale', value: 'en-US' },
      { op: 'add', path: 'timezone', value: 'America/Los_Angeles' },
      { op: 'add', path: 'preferredLanguage', value: 'en-US' },
      { op: 'add', path: 'userType', value: 'Employee' },
    ],
    (r) => {
      r.locale = 'en-US';
      r.timezone = 'America/Los_Angeles';
      r.preferredLanguage = 'en-US';
      r.userType = 'Employee';
    },
  ],

  // ---- complex attribute name --------------------------------------------------------------------------
  [
    'name.givenName replace',
    'user',
    [{ op: 'replace', path: 'name.givenName', value: 'G' }],
    (r) => {
      r.name.givenName = 'G';
    },
  ],
  [
    'name.givenName path in other case',
    'user',
    [{ op: 'replace', path: 'Name.GivenName', value: 'G' }],
    (r) => {
      r.name.givenName = 'G';
    },
  ],
  [
    'name.middleName add',
    'user',
    [{ op: 'add', path: 'name.middleName', value: 'M' }],
    (r) => {
      r.name.middleName = 'M';
    },
  ],
  [
    'name.givenName remove',
    'user',
    [{ op: 'remove', path: 'name.givenName' }],
    (r) => {
      delete r.name.givenName;
    },
  ],
  [
    'name.givenName replace with null',
    'user',
    [{ op: 'replace', path: 'name.givenName', value: null }],
    (r) => {
      delete r.name.givenName;
    },
  ],
  [
    'name replace merges sub-attributes',
    'user',
    [{ op: 'replace', path: 'name', value: { givenName: 'G', honorificPrefix: 'Ms.' } }],
    (r) => {
      r.name.givenName = 'G';
      r.name.honorificPrefix = 'Ms.';
    },
  ],
  [
    'name add merges sub-attributes',
    'user',
    [{ op: 'add', path: 'name', value: { familyName: 'F' } }],
    (r) => {
      r.name.familyName = 'F';
    },
  ],
  [
    'name replace with null sub-attribute unassigns it',
    'user',
    [{ op: 'replace', path: 'name', value: { formatted: null } }],
    (r) => {
      delete r.name.formatted;
    },
  ],
  [
    'name replace with null',
    'user',
    [{ op: 'replace', path: 'name', value: null }],
    (r) => {
      delete r.name;
    },
  ],
  [
    'name remove',
    'user',
    [{ op: 'remove', path: 'name' }],
    (r) => {
      delete r.name;
    },
  ],
  [
    'name sub-attributes removed one by one drop name',
    'user',
    [
      { op: 'remove', path: 'name.formatted' },
      { op: 'remove', path: 'name.familyName' },
      { op: 'remove', path: 'name.givenName' },
    ],
    (r) => {
      delete r.name;
    },
  ],
  [
    'name.givenName added when name absent',
    'user',
    [
      { op: 'remove', path: 'name' },
      { op: 'replace', path: 'name.givenName', value: 'G' },
    ],
    (r) => {
      r.name = { givenName: 'G' };
    },
  ],
  [
    'name.givenName remove when name absent is a no-op',
    'user',
    [
      { op: 'remove', path: 'name' },
      { op: 'remove', path: 'name.givenName' },
    ],
    (r) => {
      delete r.name;
    },
  ],
  [
    'no-path dotted key (Entra)',
    'user',
    [{ op: 'Replace', value: { 'name.givenName': 'Gtfd' } }],
    (r) => {
      r.name.givenName = 'Gtfd';
    },
  ],
  [
    'no-path name object merges',
    'user',
    [{ op: 'replace', value: { name: { givenName: 'G' } } }],
    (r) => {
      r.name.givenName = 'G';
    },
  ],
  [
    'no-path keys in other case',
    'user',
    [{ op: 'replace', value: { DisplayName: 'D', 'NAME.GIVENNAME': 'G' } }],
    (r) => {
      r.displayName = 'D';
      r.name.givenName = 'G';
    },
  ],
  [
    'no-path value ignores schemas',
    'user',
    [{ op: 'replace', value: { schemas: [USER_SCHEMA], displayName: 'D' } }],
    (r) => {
      r.displayName = 'D';
    },
  ],
  ['no-path empty value is a no-op', 'user', [{ op: 'replace', value: {} }], () => undefined],

  // ---- multi-valued complex: emails, phoneNumbers, roles ----------------------------------------------
  [
    'emails add appends',
    'user',
    [{ op: 'add', path: 'emails', value: [{ type: 'other', value: 'o@x.com' }] }],
    (r) => {
      r.emails.push({ type: 'other', value: 'o@x.com' });
    },
  ],
  [
    'emails add a single object',
    'user',
    [{ op: 'add', path: 'emails', value: { type: 'other', value: 'o@x.com' } }],
    (r) => {
      r.emails.push({ type: 'other', value: 'o@x.com' });
    },
  ],
  ['emails add exact duplicate is skipped', 'user', [{ op: 'add', path: 'emails', value: [{ type: 'home', value: 'home@testuser.com' }] }], () => undefined],
  [
    'emails add duplicate in other case is skipped (caseExact false)',
    'user',
    [{ op: 'add', path: 'emails', value: [{ type: 'HOME', value: 'Home@TestUser.com' }] }],
    () => undefined,
  ],
  [
    'emails add same value with other type is kept',
    'user',
    [{ op: 'add', path: 'emails', value: [{ type: 'other', value: 'home@testuser.com' }] }],
    (r) => {
      r.emails.push({ type: 'other', value: 'home@testuser.com' });
    },
  ],
  [
    'emails add primary clears the other primary',
    'user',
    [{ op: 'add', path: 'emails', value: [{ type: 'other', value: 'o@x.com', primary: true }] }],
    (r) => {
      r.emails[0].primary = false;
      r.emails.push({ type: 'other', value: 'o@x.com', primary: true });
    },
  ],
  [
    'emails add primary "True" string clears the other primary',
    'user',
    [{ op: 'Add', path: 'emails', value: [{ type: 'other', value: 'o@x.com', primary: 'True' }] }],
    (r) => {
      r.emails[0].primary = false;
      r.emails.push({ type: 'other', value: 'o@x.com', primary: true });
    },
  ],
  [
    'emails replace the whole list',
    'user',
    [{ op: 'replace', path: 'emails', value: [{ value: 'only@x.com', primary: true }] }],
    (r) => {
      r.emails = [{ value: 'only@x.com', primary: true }];
    },
  ],
  [
    'emails replace with [] removes them',
    'user',
    [{ op: 'replace', path: 'emails', value: [] }],
    (r) => {
      delete r.emails;
    },
  ],
  [
    'emails remove all',
    'user',
    [{ op: 'remove', path: 'emails' }],
    (r) => {
      delete r.emails;
    },
  ],
  [
    'emails remove with value array',
    'user',
    [{ op: 'remove', path: 'emails', value: [{ value: 'home@testuser.com' }] }],
    (r) => {
      r.emails.splice(1, 1);
    },
  ],
  ['emails remove with value matching nothing', 'user', [{ op: 'remove', path: 'emails', value: [{ value: 'nobody@x.com' }] }], () => undefined],
  ['emails remove with empty value array is a no-op', 'user', [{ op: 'remove', path: 'emails', value: [] }], () => undefined],
  [
    'emails[type eq "home"] remove',
    'user',
    [{ op: 'remove', path: 'emails[type eq "home"]' }],
    (r) => {
      r.emails.splice(1, 1);
    },
  ],
  ['emails[type eq "other"] remove matches nothing', 'user', [{ op: 'remove', path: 'emails[type eq "other"]' }], () => undefined],
  [
    'emails[type eq "work"].value remove',
    'user',
    [{ op: 'remove', path: 'emails[type eq "work"].value' }],
    (r) => {
      delete r.emails[0].value;
    },
  ],
  [
    'emails[type eq "work"] replace replaces the element',
    'user',
    [{ op: 'replace', path: 'emails[type eq "work"]', value: { value: 'w2@x.com', type: 'work' } }],
    (r) => {
      r.emails[0] = { value: 'w2@x.com', type: 'work' };
    },
  ],
  [
    'emails[type eq "work"] add merges into the element',
    'user',
    [{ op: 'add', path: 'emails[type eq "work"]', value: { display: 'Work' } }],
    (r) => {
      r.emails[0].display = 'Work';
    },
  ],
  [
    'emails[type eq "work"] replace with null removes the element',
    'user',
    [{ op: 'replace', path: 'emails[type eq "work"]', value: null }],
    (r) => {
      r.emails.splice(0, 1);
    },
  ],
  [
    'emails[type eq "WORK"].value: filter compares case-insensitively',
    'user',
    [{ op: 'replace', path: 'emails[type eq "WORK"].value', value: 'w@x.com' }],
    (r) => {
      r.emails[0].value = 'w@x.com';
    },
  ],
  [
    'Emails[Type eq "work"].Value: names case-insensitive',
    'user',
    [{ op: 'replace', path: 'Emails[Type eq "work"].Value', value: 'w@x.com' }],
    (r) => {
      r.emails[0].value = 'w@x.com';
    },
  ],
  [
    'emails[primary eq true].value replace',
    'user',
    [{ op: 'replace', path: 'emails[primary eq true].value', value: 'p@x.com' }],
    (r) => {
      r.emails[0].value = 'p@x.com';
    },
  ],
  [
    'emails[value co "home"].type replace',
    'user',
    [{ op: 'replace', path: 'emails[value co "home"].type', value: 'personal' }],
    (r) => {
      r.emails[1].type = 'personal';
    },
  ],
  [
    'emails[value ew ".com"].display sets all matches',
    'user',
    [{ op: 'add', path: 'emails[value ew ".com"].display', value: 'D' }],
    (r) => {
      r.emails[0].display = 'D';
      r.emails[1].display = 'D';
    },
  ],
  [
    'emails[type eq "work" or type eq "home"] remove',
    'user',
    [{ op: 'remove', path: 'emails[type eq "work" or type eq "home"]' }],
    (r) => {
      delete r.emails;
    },
  ],
  [
    'emails[not (type eq "work")] remove',
    'user',
    [{ op: 'remove', path: 'emails[not (type eq "work")]' }],
    (r) => {
      r.emails.splice(1, 1);
    },
  ],
  [
    'emails[type eq "home"].primary true moves primary',
    'user',
    [{ op: 'replace', path: 'emails[type eq "home"].primary', value: true }],
    (r) => {
      r.emails[0].primary = false;
      r.emails[1].primary = true;
    },
  ],
  [
    'emails[type eq "home"].primary "True" moves primary',
    'user',
    [{ op: 'replace', path: 'emails[type eq "home"].primary', value: 'True' }],
    (r) => {
      r.emails[0].primary = false;
      r.emails[1].primary = true;
    },
  ],
  [
    'emails[type eq "work"].primary false',
    'user',
    [{ op: 'replace', path: 'emails[type eq "work"].primary', value: 'False' }],
    (r) => {
      r.emails[0].primary = false;
    },
  ],
  [
    'add emails[type eq "other"].value creates the element (Entra adds a new email)',
    'user',
    [{ op: 'add', path: 'emails[type eq "other"].value', value: 'o@x.com' }],
    (r) => {
      r.emails.push({ type: 'other', value: 'o@x.com' });
    },
  ],
  [
    'Add phoneNumbers[type eq "mobile"].value creates the element',
    'user',
    [{ op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0199' }],
    (r) => {
      r.phoneNumbers.push({ type: 'mobile', value: '+1 555 0199' });
    },
  ],
  [
    'add phoneNumbers[type eq "fax" and primary eq false].value creates with both',
    'user',
    [{ op: 'add', path: 'phoneNumbers[type eq "fax" and primary eq false].value', value: '1' }],
    (r) => {
      r.phoneNumbers.push({ type: 'fax', primary: false, value: '1' });
    },
  ],
  [
    'add phoneNumbers[type eq "work"].value replaces the matching value',
    'user',
    [{ op: 'add', path: 'phoneNumbers[type eq "work"].value', value: '+1 555 0101' }],
    (r) => {
      r.phoneNumbers[0].value = '+1 555 0101';
    },
  ],
  [
    'add emails[type eq "other"] with an object creates the element',
    'user',
    [{ op: 'add', path: 'emails[type eq "other"]', value: { value: 'o@x.com' } }],
    (r) => {
      r.emails.push({ type: 'other', value: 'o@x.com' });
    },
  ],
  [
    'add emails[type eq "other"].primary true creates and moves primary',
    'user',
    [{ op: 'add', path: 'emails[type eq "other"].primary', value: true }],
    (r) => {
      r.emails[0].primary = false;
      r.emails.push({ type: 'other', primary: true });
    },
  ],
  // Entra sends Replace (and Add) on filtered paths whether or not the element exists: no match creates it.
  [
    'replace emails[type eq "other"].value creates the element',
    'user',
    [{ op: 'replace', path: 'emails[type eq "other"].value', value: 'o@x.com' }],
    (r) => {
      r.emails.push({ type: 'other', value: 'o@x.com' });
    },
  ],
  [
    'Replace phoneNumbers[type eq "mobile"].value creates the element (Entra)',
    'user',
    [{ op: 'Replace', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0100' }],
    (r) => {
      r.phoneNumbers.push({ type: 'mobile', value: '+1 555 0100' });
    },
  ],
  [
    'Replace phoneNumbers[type eq "mobile"].value twice: one element, the new value',
    'user',
    [
      { op: 'Replace', path: 'phoneNumbers[type eq "mobile"].value', value: '1' },
      { op: 'Replace', path: 'phoneNumbers[type eq "mobile"].value', value: '2' },
    ],
    (r) => {
      r.phoneNumbers.push({ type: 'mobile', value: '2' });
    },
  ],
  [
    'Replace then Add on the same filtered path: one element',
    'user',
    [
      { op: 'Replace', path: 'phoneNumbers[type eq "fax"].value', value: '1' },
      { op: 'Add', path: 'phoneNumbers[type eq "fax"].value', value: '2' },
    ],
    (r) => {
      r.phoneNumbers.push({ type: 'fax', value: '2' });
    },
  ],
  [
    'replace emails[type eq "other"] with an object creates the element',
    'user',
    [{ op: 'replace', path: 'emails[type eq "other"]', value: { value: 'o@x.com' } }],
    (r) => {
      r.emails.push({ type: 'other', value: 'o@x.com' });
    },
  ],
  [
    'replace emails[type eq "other"] with an object that repeats the filter',
    'user',
    [{ op: 'replace', path: 'emails[type eq "other"]', value: { type: 'OTHER', value: 'o@x.com' } }],
    (r) => {
      r.emails.push({ type: 'OTHER', value: 'o@x.com' });
    },
  ],
  [
    'replace ims[type eq "aim"].value on an absent attribute creates it',
    'user',
    [{ op: 'replace', path: 'ims[type eq "aim"].value', value: 'x' }],
    (r) => {
      r.ims = [{ type: 'aim', value: 'x' }];
    },
  ],
  [
    'Replace addresses[type eq "work"].streetAddress and .locality: one address',
    'user',
    [
      { op: 'Replace', path: 'addresses[type eq "work"].streetAddress', value: '1 Main St' },
      { op: 'Replace', path: 'addresses[type eq "work"].locality', value: 'Springfield' },
    ],
    (r) => {
      r.addresses = [{ type: 'work', streetAddress: '1 Main St', locality: 'Springfield' }];
    },
  ],
  [
    'Replace entitlements[primary eq "True"].value creates a primary entitlement (SingleAppRoleAssignment)',
    'user',
    [{ op: 'Replace', path: 'entitlements[primary eq "True"].value', value: 'Admin' }],
    (r) => {
      r.entitlements = [{ primary: true, value: 'Admin' }];
    },
  ],
  [
    'Replace roles[primary eq "True"].value updates the primary role',
    'user',
    [{ op: 'Replace', path: 'roles[primary eq "True"].value', value: 'Admin' }],
    (r) => {
      r.roles[0].value = 'Admin';
    },
  ],
  [
    'replace emails[type eq "other" and primary eq "True"].value creates it and moves primary',
    'user',
    [{ op: 'replace', path: 'emails[type eq "other" and primary eq "True"].value', value: 'o@x.com' }],
    (r) => {
      r.emails[0].primary = false;
      r.emails.push({ type: 'other', primary: true, value: 'o@x.com' });
    },
  ],
  [
    'replace emails[type eq "other"].value with null matching nothing is a no-op',
    'user',
    [{ op: 'replace', path: 'emails[type eq "other"].value', value: null }],
    () => undefined,
  ],
  ['add emails[type eq "other"] with null matching nothing is a no-op', 'user', [{ op: 'add', path: 'emails[type eq "other"]', value: null }], () => undefined],
  ['emails[type eq "other"].value remove matches nothing', 'user', [{ op: 'remove', path: 'emails[type eq "other"].value' }], () => undefined],
  [
    'Remove phoneNumbers[type eq "mobile" or type eq "fax"] matches nothing',
    'user',
    [{ op: 'Remove', path: 'phoneNumbers[type eq "mobile" or type eq "fax"]' }],
    () => undefined,
  ],
  [
    'no-path Replace with a filter key matching nothing creates the element',
    'user',
    [{ op: 'Replace', value: { 'phoneNumbers[type eq "mobile"].value': '3' } }],
    (r) => {
      r.phoneNumbers.push({ type: 'mobile', value: '3' });
    },
  ],
  [
    'addresses[type eq "work"].locality created',
    'user',
    [{ op: 'add', path: 'addresses[type eq "work"].locality', value: 'Hollywood' }],
    (r) => {
      r.addresses = [{ type: 'work', locality: 'Hollywood' }];
    },
  ],
  [
    'addresses add',
    'user',
    [{ op: 'add', path: 'addresses', value: [{ type: 'work', streetAddress: '100 Universal City Plaza', postalCode: '91608', country: 'USA' }] }],
    (r) => {
      r.addresses = [{ type: 'work', streetAddress: '100 Universal City Plaza', postalCode: '91608', country: 'USA' }];
    },
  ],
  [
    'emails.type without filter sets every element',
    'user',
    [{ op: 'replace', path: 'emails.type', value: 'other' }],
    (r) => {
      r.emails[0].type = 'other';
      r.emails[1].type = 'other';
    },
  ],
  [
    'emails.display remove without filter',
    'user',
    [
      { op: 'add', path: 'emails.display', value: 'x' },
      { op: 'remove', path: 'emails.display' },
    ],
    () => undefined,
  ],
  [
    'ims.value add without elements creates one',
    'user',
    [{ op: 'add', path: 'ims.value', value: 'aimhandle' }],
    (r) => {
      r.ims = [{ value: 'aimhandle' }];
    },
  ],
  [
    'roles add several',
    'user',
    [
      {
        op: 'add',
        path: 'roles',
        value: [
          { value: 'Writer', type: 'app' },
          { value: 'Admin', type: 'app' },
        ],
      },
    ],
    (r) => {
      r.roles.push({ value: 'Writer', type: 'app' }, { value: 'Admin', type: 'app' });
    },
  ],
  [
    'roles remove by filter',
    'user',
    [{ op: 'remove', path: 'roles[value eq "Reader"]' }],
    (r) => {
      delete r.roles;
    },
  ],
  [
    'roles remove with value array',
    'user',
    [{ op: 'remove', path: 'roles', value: [{ value: 'Reader' }] }],
    (r) => {
      delete r.roles;
    },
  ],
  [
    'roles replace (AppRoleAssignmentsComplex)',
    'user',
    [{ op: 'Replace', path: 'roles', value: [{ primary: 'False', type: 'WindowsAzureActiveDirectoryRole', value: 'Admin' }] }],
    (r) => {
      r.roles = [{ primary: false, type: 'WindowsAzureActiveDirectoryRole', value: 'Admin' }];
    },
  ],
  // App roles as Entra sends them in PATCH (roles: Reader, primary, type app)
  [
    'Add roles with a JSON-encoded assignment (AppRoleAssignmentsComplex PATCH)',
    'user',
    [{ op: 'Add', path: 'roles', value: [{ value: '{"id":"06b07648-ecfe-589f-9d2f-6325724a46ee","value":"Admin","displayName":"Admin"}' }] }],
    (r) => {
      r.roles.push({ value: 'Admin', display: 'Admin' });
    },
  ],
  [
    'Add roles again with a role already held merges into it',
    'user',
    [
      {
        op: 'Add',
        path: 'roles',
        value: [{ value: '{"id":"1","value":"Reader","displayName":"Reader"}' }, { value: '{"id":"2","value":"Writer","displayName":"Writer"}' }],
      },
    ],
    (r) => {
      r.roles[0].display = 'Reader';
      r.roles.push({ value: 'Writer', display: 'Writer' });
    },
  ],
  [
    'Add roles with displayName',
    'user',
    [{ op: 'Add', path: 'roles', value: [{ primary: 'False', type: 'WindowsAzureActiveDirectoryRole', displayName: 'Admin', value: 'Admin' }] }],
    (r) => {
      r.roles.push({ primary: false, type: 'WindowsAzureActiveDirectoryRole', value: 'Admin', display: 'Admin' });
    },
  ],
  [
    'Add roles as a bare name',
    'user',
    [{ op: 'Add', path: 'roles', value: 'Writer' }],
    (r) => {
      r.roles.push({ value: 'Writer' });
    },
  ],
  [
    'Add roles with a primary role moves primary',
    'user',
    [{ op: 'Add', path: 'roles', value: [{ primary: 'True', value: 'Admin' }] }],
    (r) => {
      r.roles[0].primary = false;
      r.roles.push({ primary: true, value: 'Admin' });
    },
  ],
  [
    'Remove roles by a JSON-encoded assignment',
    'user',
    [{ op: 'Remove', path: 'roles', value: [{ value: '{"id":"1","value":"Reader","displayName":"Reader"}' }] }],
    (r) => {
      delete r.roles;
    },
  ],
  [
    'Remove roles by value whatever the display',
    'user',
    [{ op: 'Remove', path: 'roles', value: [{ primary: false, type: 'WindowsAzureActiveDirectoryRole', display: 'Reader', value: 'Reader' }] }],
    (r) => {
      delete r.roles;
    },
  ],
  ['Remove roles of a role not held is a no-op', 'user', [{ op: 'Remove', path: 'roles', value: [{ value: 'Ghost' }] }], () => undefined],
  [
    'Replace roles with the full list (AssertiveAppRoleAssignmentsComplex)',
    'user',
    [
      {
        op: 'Replace',
        path: 'roles',
        value: [
          { primary: 'False', type: 'WindowsAzureActiveDirectoryRole', display: 'User', value: 'User' },
          { primary: 'False', type: 'WindowsAzureActiveDirectoryRole', display: 'Test', value: 'Test' },
        ],
      },
    ],
    (r) => {
      r.roles = [
        { primary: false, type: 'WindowsAzureActiveDirectoryRole', display: 'User', value: 'User' },
        { primary: false, type: 'WindowsAzureActiveDirectoryRole', display: 'Test', value: 'Test' },
      ];
    },
  ],
  [
    'Add entitlements[primary eq "True"].value creates a primary entitlement',
    'user',
    [{ op: 'Add', path: 'entitlements[primary eq "True"].value', value: 'Admin' }],
    (r) => {
      r.entitlements = [{ primary: true, value: 'Admin' }];
    },
  ],
  [
    'emails add of an equal value with another type appends (only app roles merge by value)',
    'user',
    [{ op: 'add', path: 'emails', value: [{ value: 'work@testuser.com', type: 'other' }] }],
    (r) => {
      r.emails.push({ value: 'work@testuser.com', type: 'other' });
    },
  ],
  [
    'no-path add emails appends',
    'user',
    [{ op: 'add', value: { emails: [{ value: 'o@x.com' }] } }],
    (r) => {
      r.emails.push({ value: 'o@x.com' });
    },
  ],
  [
    'no-path replace emails replaces the list',
    'user',
    [{ op: 'replace', value: { emails: [{ value: 'o@x.com' }] } }],
    (r) => {
      r.emails = [{ value: 'o@x.com' }];
    },
  ],
  [
    'no-path filter key replaces',
    'user',
    [{ op: 'replace', value: { 'emails[type eq "home"].value': 'h2@x.com' } }],
    (r) => {
      r.emails[1].value = 'h2@x.com';
    },
  ],

  // ---- custom extension with multi-valued string `folders` ---------------------------------------------
  [
    'custom: add folders creates the extension',
    'user',
    [{ op: 'add', path: `${CUS}:folders`, value: ['Inbox'] }],
    (r) => {
      r[CUS] = { folders: ['Inbox'] };
      r.schemas = [USER_SCHEMA, ENT, CUS];
    },
  ],
  [
    'custom: add folders appends, skipping duplicates',
    'custom',
    [{ op: 'add', path: `${CUS}:folders`, value: ['Sent', 'Archive'] }],
    (r) => {
      r[CUS].folders = ['Inbox', 'Sent', 'Archive'];
    },
  ],
  [
    'custom: add a single folder string',
    'custom',
    [{ op: 'add', path: `${CUS}:folders`, value: 'Archive' }],
    (r) => {
      r[CUS].folders.push('Archive');
    },
  ],
  ['custom: add folder differing only in case is a duplicate', 'custom', [{ op: 'add', path: `${CUS}:folders`, value: ['inbox'] }], () => undefined],
  [
    'custom: replace folders',
    'custom',
    [{ op: 'replace', path: `${CUS}:folders`, value: ['Work'] }],
    (r) => {
      r[CUS].folders = ['Work'];
    },
  ],
  [
    'custom: remove folders[value eq "Inbox"]',
    'custom',
    [{ op: 'remove', path: `${CUS}:folders[value eq "Inbox"]` }],
    (r) => {
      r[CUS].folders = ['Sent'];
    },
  ],
  [
    'custom: remove folders[value sw "S"]',
    'custom',
    [{ op: 'remove', path: `${CUS}:folders[value sw "S"]` }],
    (r) => {
      r[CUS].folders = ['Inbox'];
    },
  ],
  [
    'custom: replace folders[value eq "Inbox"]',
    'custom',
    [{ op: 'replace', path: `${CUS}:folders[value eq "Inbox"]`, value: 'Mail' }],
    (r) => {
      r[CUS].folders = ['Mail', 'Sent'];
    },
  ],
  [
    'custom: remove folders with value array',
    'custom',
    [{ op: 'remove', path: `${CUS}:folders`, value: ['Inbox'] }],
    (r) => {
      r[CUS].folders = ['Sent'];
    },
  ],
  [
    'custom: remove all folders',
    'custom',
    [{ op: 'remove', path: `${CUS}:folders` }],
    (r) => {
      delete r[CUS].folders;
    },
  ],
  [
    'custom: no-path URN object',
    'custom',
    [{ op: 'add', value: { [CUS]: { folders: ['Archive'] } } }],
    (r) => {
      r[CUS].folders.push('Archive');
    },
  ],
  [
    'custom: no-path flattened URN key',
    'custom',
    [{ op: 'replace', value: { [`${CUS}:folders`]: ['Only'] } }],
    (r) => {
      r[CUS].folders = ['Only'];
    },
  ],
  [
    'custom: bare URN path replace',
    'custom',
    [{ op: 'replace', path: CUS, value: { level: 2, vip: 'True' } }],
    (r) => {
      r[CUS].level = 2;
      r[CUS].vip = true;
    },
  ],
  [
    'custom: integer',
    'custom',
    [{ op: 'replace', path: `${CUS}:level`, value: 5 }],
    (r) => {
      r[CUS].level = 5;
    },
  ],
  [
    'custom: decimal',
    'custom',
    [{ op: 'add', path: `${CUS}:score`, value: 9.5 }],
    (r) => {
      r[CUS].score = 9.5;
    },
  ],
  [
    'custom: dateTime',
    'custom',
    [{ op: 'add', path: `${CUS}:hiredAt`, value: '2020-02-29T12:00:00Z' }],
    (r) => {
      r[CUS].hiredAt = '2020-02-29T12:00:00Z';
    },
  ],
  ['custom: immutable badgeId set again to the same value', 'custom', [{ op: 'replace', path: `${CUS}:badgeId`, value: 'B-1' }], () => undefined],
  [
    'custom: immutable badgeId added when unset',
    'user',
    [{ op: 'add', path: `${CUS}:badgeId`, value: 'B-9' }],
    (r) => {
      r[CUS] = { badgeId: 'B-9' };
      r.schemas = [USER_SCHEMA, ENT, CUS];
    },
  ],
  [
    'custom: add then remove the whole extension',
    'user',
    [
      { op: 'add', path: `${CUS}:folders`, value: ['a'] },
      { op: 'remove', path: CUS },
    ],
    () => undefined,
  ],
  [
    'custom: removing the other attributes keeps the immutable one',
    'custom',
    [
      { op: 'remove', path: `${CUS}:folders` },
      { op: 'remove', path: `${CUS}:level` },
    ],
    (r) => {
      r[CUS] = { badgeId: 'B-1' };
    },
  ],

  // ---- Group-like resource: members ----------------------------------------------------------------------
  [
    'team: add several members',
    'team',
    [
      {
        op: 'Add',
        path: 'members',
        value: [
          { $ref: null, value: 'u3' },
          { value: 'u4', type: 'User' },
        ],
      },
    ],
    (r) => {
      r.members.push({ value: 'u3' }, { value: 'u4', type: 'User' });
    },
  ],
  ['team: add an existing member is skipped', 'team', [{ op: 'add', path: 'members', value: [{ value: 'u2' }] }], () => undefined],
  [
    'team: remove by filter',
    'team',
    [{ op: 'remove', path: 'members[value eq "u1"]' }],
    (r) => {
      r.members = [{ value: 'u2' }];
    },
  ],
  [
    'team: remove by filter in other case keeps (value is case-insensitive by default)',
    'team',
    [{ op: 'remove', path: 'members[value eq "U1"]' }],
    (r) => {
      r.members = [{ value: 'u2' }];
    },
  ],
  ['team: remove by filter not matching', 'team', [{ op: 'remove', path: 'members[value eq "u9"]' }], () => undefined],
  [
    'team: remove with value array of several',
    'team',
    [{ op: 'Remove', path: 'members', value: [{ value: 'u1' }, { value: 'u2' }] }],
    (r) => {
      delete r.members;
    },
  ],
  ['team: remove with value array not present', 'team', [{ op: 'Remove', path: 'members', value: [{ value: 'u9' }] }], () => undefined],
  [
    'team: remove all members',
    'team',
    [{ op: 'remove', path: 'members' }],
    (r) => {
      delete r.members;
    },
  ],
  [
    'team: replace members',
    'team',
    [{ op: 'replace', path: 'members', value: [{ value: 'u7' }] }],
    (r) => {
      r.members = [{ value: 'u7' }];
    },
  ],
  [
    'team: add members to none',
    'team',
    [
      { op: 'remove', path: 'members' },
      { op: 'add', path: 'members', value: [{ value: 'u1' }] },
    ],
    (r) => {
      r.members = [{ value: 'u1' }];
    },
  ],
  [
    'team: set an unset immutable member type',
    'team',
    [{ op: 'add', path: 'members[value eq "u2"].type', value: 'User' }],
    (r) => {
      r.members[1].type = 'User';
    },
  ],
  [
    'team: replace element keeping its immutable values',
    'team',
    [{ op: 'replace', path: 'members[value eq "u2"]', value: { value: 'u2', type: 'User' } }],
    (r) => {
      r.members[1].type = 'User';
    },
  ],
  [
    'team: members add and remove in one request',
    'team',
    [
      { op: 'add', path: 'members', value: [{ value: 'u3' }] },
      { op: 'remove', path: 'members[value eq "u1"]' },
    ],
    (r) => {
      r.members = [{ value: 'u2' }, { value: 'u3' }];
    },
  ],
  [
    'team: extension added with its required attribute',
    'team',
    [{ op: 'add', path: TEAM_EXTENSION, value: { costCode: 'C1' } }],
    (r) => {
      r[TEAM_EXTENSION] = { costCode: 'C1' };
      r.schemas = [TEAM_SCHEMA, TEAM_EXTENSION];
    },
  ],
  [
    'team: remove the whole extension (its required attributes bind only while it is used)',
    'teamExtra',
    [{ op: 'remove', path: TEAM_EXTENSION }],
    (r) => {
      delete r[TEAM_EXTENSION];
      r.schemas = [TEAM_SCHEMA];
    },
  ],
  [
    'team: remove every extension attribute one by one',
    'teamExtra',
    [
      { op: 'remove', path: `${TEAM_EXTENSION}:note` },
      { op: 'remove', path: `${TEAM_EXTENSION}:costCode` },
    ],
    (r) => {
      delete r[TEAM_EXTENSION];
      r.schemas = [TEAM_SCHEMA];
    },
  ],
  [
    'team: owner set with its required value',
    'team',
    [{ op: 'add', path: 'owner', value: { value: 'u1', display: 'One' } }],
    (r) => {
      r.owner = { value: 'u1', display: 'One' };
    },
  ],
];

describe('applyPatch — operations', () => {
  it.each(rows)('%s', (_name, start, ops, edit) => {
    const expected = JSON.parse(JSON.stringify(starts[start].doc()));
    edit(expected);
    const { document, changed } = patch(start, ops);
    expect(document).toEqual(expected);
    expect(changed).toBe(JSON.stringify(expected) !== JSON.stringify(starts[start].doc()));
  });
});

type ErrRow = [string, keyof typeof starts, unknown[], string, RegExp];
const errorRows: ErrRow[] = [
  // ---- unknown paths: invalidPath ---------------------------------------------------------------------
  ['unknown attribute', 'user', [{ op: 'replace', path: 'favoriteColor', value: 'blue' }], 'invalidPath', /Unknown attribute 'favoriteColor'/],
  ['unknown attribute on remove', 'user', [{ op: 'remove', path: 'favoriteColor' }], 'invalidPath', /Unknown attribute/],
  [
    'unqualified name of no schema',
    'user',
    [{ op: 'add', path: 'costCentre', value: 'x' }],
    'invalidPath',
    /Unknown attribute 'costCentre' in path 'costCentre'/,
  ],
  [
    'single-valued complex given two values',
    'user',
    [{ op: 'Add', path: `${ENT}:manager`, value: [{ value: 'a' }, { value: 'b' }] }],
    'invalidValue',
    /single-valued; an array was given/,
  ],
  [
    'single-valued simple given an array of one',
    'user',
    [{ op: 'replace', path: 'displayName', value: ['x'] }],
    'invalidValue',
    /single-valued; an array was given/,
  ],
  ['unknown sub-attribute', 'user', [{ op: 'replace', path: 'name.nickname', value: 'x' }], 'invalidPath', /Unknown sub-attribute 'name.nickname'/],
  ['sub-attribute of a simple attribute', 'user', [{ op: 'replace', path: 'userName.value', value: 'x' }], 'invalidPath', /has no sub-attributes/],
  ['filter on a simple single-valued attribute', 'user', [{ op: 'remove', path: 'userName[value eq "x"]' }], 'invalidPath', /value filter needs/],
  [
    'unknown sub-attribute after a filter',
    'user',
    [{ op: 'replace', path: 'emails[type eq "work"].address', value: 'x' }],
    'invalidPath',
    /Unknown sub-attribute 'emails.address'/,
  ],
  [
    'unknown sub-attribute inside a filter',
    'user',
    [{ op: 'remove', path: 'emails[kind eq "work"]' }],
    'invalidPath',
    /Unknown sub-attribute 'emails.kind' in the filter/,
  ],
  ['filter on folders with a name other than value', 'custom', [{ op: 'remove', path: `${CUS}:folders[name eq "x"]` }], 'invalidPath', /in the filter/],
  ['filter comparison that cannot be evaluated', 'user', [{ op: 'remove', path: 'emails[primary gt true]' }], 'invalidPath', /emails\[primary gt true\]/],
  ['unknown schema URN', 'user', [{ op: 'replace', path: 'urn:example:unknown:2.0:User:department', value: 'x' }], 'invalidPath', /Unknown schema/],
  [
    'unknown attribute in the enterprise schema',
    'user',
    [{ op: 'replace', path: `${ENT}:shoeSize`, value: 42 }],
    'invalidPath',
    /Unknown attribute 'shoeSize'/,
  ],
  ['custom extension path on a type without it', 'plainUser', [{ op: 'add', path: `${CUS}:folders`, value: ['a'] }], 'invalidPath', /Unknown schema/],
  ['no-path unknown key', 'user', [{ op: 'replace', value: { favoriteColor: 'blue' } }], 'invalidPath', /Unknown attribute 'favoriteColor'/],
  ['no-path unparsable key', 'user', [{ op: 'replace', value: { 'emails[type eq': 'x' } }], 'invalidPath', /Invalid attribute path/],
  ['no-path unknown key inside a URN object', 'user', [{ op: 'replace', value: { [ENT]: { shoeSize: 1 } } }], 'invalidPath', /Unknown attribute 'shoeSize'/],
  ['no-path unknown URN key', 'user', [{ op: 'replace', value: { 'urn:example:x:1.0:Thing:attr': 1 } }], 'invalidPath', /Unknown schema/],

  // ---- mutability ------------------------------------------------------------------------------------------
  ['replace id', 'user', [{ op: 'replace', path: 'id', value: 'x' }], 'mutability', /'id' is readOnly/],
  ['add meta.resourceType', 'user', [{ op: 'add', path: 'meta.resourceType', value: 'User' }], 'mutability', /'meta(\.resourceType)?' is readOnly/],
  ['replace meta', 'user', [{ op: 'replace', path: 'meta', value: { resourceType: 'User' } }], 'mutability', /'meta' is readOnly/],
  ['add groups', 'user', [{ op: 'add', path: 'groups', value: [{ value: 'g1' }] }], 'mutability', /'groups' is readOnly/],
  ['replace groups', 'user', [{ op: 'replace', path: 'groups', value: [{ value: 'g1' }] }], 'mutability', /'groups' is readOnly/],
  ['no-path id', 'user', [{ op: 'replace', value: { id: 'x' } }], 'mutability', /'id' is readOnly/],
  ['no-path meta', 'user', [{ op: 'replace', value: { displayName: 'ok', meta: { resourceType: 'User' } } }], 'mutability', /'meta' is readOnly/],
  [
    'manager.displayName is readOnly',
    'user',
    [{ op: 'replace', path: `${ENT}:manager.displayName`, value: 'Boss' }],
    'mutability',
    /manager.displayName' is readOnly/,
  ],
  ['custom readOnly attribute', 'custom', [{ op: 'add', path: `${CUS}:computed`, value: 'x' }], 'mutability', /computed' is readOnly/],
  ['custom immutable replaced', 'custom', [{ op: 'replace', path: `${CUS}:badgeId`, value: 'B-2' }], 'mutability', /badgeId' is immutable/],
  ['custom immutable removed', 'custom', [{ op: 'remove', path: `${CUS}:badgeId` }], 'mutability', /badgeId' is immutable/],
  ['custom immutable via URN object', 'custom', [{ op: 'replace', value: { [CUS]: { badgeId: 'B-3' } } }], 'mutability', /badgeId' is immutable/],
  ['custom immutable removed with the extension', 'custom', [{ op: 'remove', path: CUS }], 'mutability', /badgeId' is immutable/],
  [
    'team: immutable member value changed by filter path',
    'team',
    [{ op: 'replace', path: 'members[value eq "u1"].value', value: 'u9' }],
    'mutability',
    /members\[filter\].value' is immutable/,
  ],
  [
    'team: immutable member type changed by element replace',
    'team',
    [{ op: 'replace', path: 'members[value eq "u1"]', value: { value: 'u1', type: 'Group' } }],
    'mutability',
    /members\[filter\].type' is immutable/,
  ],
  [
    'team: immutable member type removed',
    'team',
    [{ op: 'remove', path: 'members[value eq "u1"].type' }],
    'mutability',
    /members\[filter\].type' is immutable/,
  ],
  [
    'team: immutable member values changed without filter',
    'team',
    [{ op: 'replace', path: 'members.type', value: 'Group' }],
    'mutability',
    /members\[\*\].type' is immutable/,
  ],
  ['team: member display is readOnly', 'team', [{ op: 'add', path: 'members[value eq "u2"].display', value: 'Two' }], 'mutability', /display' is readOnly/],
  ['remove userName (required)', 'user', [{ op: 'remove', path: 'userName' }], 'mutability', /'userName' is required and cannot be removed/],
  ['Remove userName capitalised', 'user', [{ op: 'Remove', path: 'USERNAME' }], 'mutability', /'userName' is required/],
  ['replace userName with null', 'user', [{ op: 'replace', path: 'userName', value: null }], 'mutability', /'userName' is required/],
  ['no-path userName null', 'user', [{ op: 'replace', value: { userName: null } }], 'mutability', /'userName' is required/],
  ['remove the core schema', 'user', [{ op: 'remove', path: USER_SCHEMA }], 'mutability', /'userName' is required/],
  [
    'team: remove a required extension attribute',
    'teamExtra',
    [{ op: 'remove', path: `${TEAM_EXTENSION}:costCode` }],
    'mutability',
    /costCode' is required and cannot be removed/,
  ],
  [
    'team: replace a required extension attribute with null',
    'teamExtra',
    [{ op: 'replace', value: { [TEAM_EXTENSION]: { costCode: null } } }],
    'mutability',
    /costCode' is required/,
  ],
  ['team: remove displayName', 'team', [{ op: 'remove', path: 'displayName' }], 'mutability', /'displayName' is required/],
  [
    'team: required extension attribute removed in the same request',
    'team',
    [
      { op: 'add', path: TEAM_EXTENSION, value: { costCode: 'C1', note: 'n' } },
      { op: 'remove', path: `${TEAM_EXTENSION}:costCode` },
    ],
    'invalidValue',
    /costCode' is required/,
  ],

  // ---- values: invalidValue --------------------------------------------------------------------------------
  ['userName empty', 'user', [{ op: 'replace', path: 'userName', value: '' }], 'invalidValue', /'userName' is required and must not be empty/],
  ['userName blank', 'user', [{ op: 'replace', path: 'userName', value: '   ' }], 'invalidValue', /'userName' is required/],
  ['userName number', 'user', [{ op: 'replace', path: 'userName', value: 5 }], 'invalidValue', /'userName' must be a string/],
  ['active "yes"', 'user', [{ op: 'Replace', path: 'active', value: 'yes' }], 'invalidValue', /'active' must be a boolean/],
  ['active 0', 'user', [{ op: 'Replace', path: 'active', value: 0 }], 'invalidValue', /'active' must be a boolean/],
  ['no-path active "No"', 'user', [{ op: 'Replace', value: { active: 'No' } }], 'invalidValue', /'active' must be a boolean/],
  ['displayName a number', 'user', [{ op: 'replace', path: 'displayName', value: 5 }], 'invalidValue', /'displayName' must be a string/],
  ['displayName an array', 'user', [{ op: 'replace', path: 'displayName', value: ['a'] }], 'invalidValue', /'displayName' is single-valued/],
  ['name a string', 'user', [{ op: 'replace', path: 'name', value: 'Babs' }], 'invalidValue', /'name' must be an object/],
  ['name.givenName a number', 'user', [{ op: 'replace', path: 'name.givenName', value: 1 }], 'invalidValue', /'name.givenName' must be a string/],
  [
    'name with an unknown sub-attribute',
    'user',
    [{ op: 'add', path: 'name', value: { nickname: 'x' } }],
    'invalidValue',
    /Unknown sub-attribute 'name.nickname'/,
  ],
  ['emails value a number', 'user', [{ op: 'add', path: 'emails', value: [{ value: 5 }] }], 'invalidValue', /emails\[0\].value' must be a string/],
  ['emails element a string', 'user', [{ op: 'add', path: 'emails', value: ['a@x.com'] }], 'invalidValue', /emails\[0\]' must be an object/],
  [
    'emails with an unknown sub-attribute',
    'user',
    [{ op: 'add', path: 'emails', value: [{ value: 'a', verified: true }] }],
    'invalidValue',
    /Unknown sub-attribute/,
  ],
  [
    'emails add with two primaries',
    'user',
    [
      {
        op: 'add',
        path: 'emails',
        value: [
          { value: 'a', primary: true },
          { value: 'b', primary: true },
        ],
      },
    ],
    'invalidValue',
    /primary true/,
  ],
  [
    'emails replace with two primaries',
    'user',
    [
      {
        op: 'replace',
        path: 'emails',
        value: [
          { value: 'a', primary: true },
          { value: 'b', primary: 'True' },
        ],
      },
    ],
    'invalidValue',
    /primary true/,
  ],
  ['emails.primary true on every element', 'user', [{ op: 'replace', path: 'emails.primary', value: true }], 'invalidValue', /primary true/],
  ['emails[…].primary "maybe"', 'user', [{ op: 'replace', path: 'emails[type eq "work"].primary', value: 'maybe' }], 'invalidValue', /must be a boolean/],
  ['manager a number', 'user', [{ op: 'replace', path: `${ENT}:manager`, value: 5 }], 'invalidValue', /manager.value' must be a string/],
  ['department an object', 'user', [{ op: 'replace', path: `${ENT}:department`, value: { value: 'x' } }], 'invalidValue', /department' must be a string/],
  [
    'employeeNumber a number via no-path URN key',
    'user',
    [{ op: 'replace', value: { [`${ENT}:employeeNumber`]: 7 } }],
    'invalidValue',
    /employeeNumber' must be a string/,
  ],
  ['custom level a string', 'custom', [{ op: 'replace', path: `${CUS}:level`, value: '3' }], 'invalidValue', /level' must be an integer/],
  ['custom folders with a number', 'custom', [{ op: 'add', path: `${CUS}:folders`, value: ['a', 2] }], 'invalidValue', /folders\[1\]' must be a string/],
  ['custom hiredAt not a date', 'custom', [{ op: 'add', path: `${CUS}:hiredAt`, value: 'soon' }], 'invalidValue', /xsd:dateTime/],
  ['no-path value a string', 'user', [{ op: 'replace', value: 'x' }], 'invalidValue', /'value' must be an object/],
  ['no-path value an array', 'user', [{ op: 'add', value: [{ displayName: 'x' }] }], 'invalidValue', /'value' must be an object/],
  ['no-path value null', 'user', [{ op: 'add', value: null }], 'invalidValue', /'value' must be an object/],
  ['extension URN path with a string', 'user', [{ op: 'replace', path: ENT, value: 'x' }], 'invalidValue', /must be an object/],
  ['no-path URN object a string', 'user', [{ op: 'replace', value: { [ENT]: 'x' } }], 'invalidValue', /must be an object/],
  ['add by filter with a non-object value', 'user', [{ op: 'add', path: 'emails[type eq "other"]', value: 'o@x.com' }], 'invalidValue', /must be an object/],
  ['team: owner without its required value', 'team', [{ op: 'add', path: 'owner', value: { display: 'One' } }], 'invalidValue', /'owner.value' is required/],
  [
    'team: extension without its required attribute',
    'team',
    [{ op: 'add', path: `${TEAM_EXTENSION}:note`, value: 'n' }],
    'invalidValue',
    /costCode' is required/,
  ],
  ['team: displayName blank', 'team', [{ op: 'replace', value: { displayName: ' ' } }], 'invalidValue', /'displayName' is required/],

  // ---- targets that do not exist: noTarget ------------------------------------------------------------------
  [
    'replace manager by filter matching nothing',
    'user',
    [{ op: 'replace', path: `${ENT}:manager[value eq "mgr-7"]`, value: { value: 'x' } }],
    'noTarget',
    /manager/,
  ],
  [
    'add by a non-eq filter matching nothing',
    'user',
    [{ op: 'add', path: 'emails[value co "zzz"].display', value: 'x' }],
    'noTarget',
    /does not describe a new value/,
  ],
  [
    'add by an or-filter matching nothing',
    'user',
    [{ op: 'add', path: 'emails[type eq "a" or type eq "b"].value', value: 'x' }],
    'noTarget',
    /does not describe a new value/,
  ],
  [
    'Replace by an or-filter matching nothing',
    'user',
    [{ op: 'Replace', path: 'phoneNumbers[type eq "fax" or type eq "pager"].value', value: '1' }],
    'noTarget',
    /No value of 'phoneNumbers' matches the filter.*only 'eq' comparisons/,
  ],
  [
    'replace by a ne-filter matching nothing',
    'user',
    [{ op: 'replace', path: 'phoneNumbers[type ne "work"].value', value: '1' }],
    'noTarget',
    /does not describe a new value/,
  ],
  [
    'replace by a co-filter matching nothing',
    'user',
    [{ op: 'replace', path: 'emails[value co "zzz"].value', value: 'z@x.com' }],
    'noTarget',
    /does not describe a new value/,
  ],
  [
    'replace by a pr-filter matching nothing',
    'user',
    [{ op: 'replace', path: 'addresses[locality pr].locality', value: 'x' }],
    'noTarget',
    /does not describe a new value/,
  ],
  [
    'replace by a not-filter matching nothing',
    'user',
    [{ op: 'replace', path: 'ims[not (type eq "aim")].value', value: 'x' }],
    'noTarget',
    /does not describe a new value/,
  ],
  [
    'replace by an eq null filter matching nothing',
    'user',
    [{ op: 'replace', path: 'ims[type eq null].value', value: 'x' }],
    'noTarget',
    /does not describe a new value/,
  ],
  [
    'replace by contradicting eq terms',
    'user',
    [{ op: 'replace', path: 'ims[type eq "aim" and type eq "icq"].value', value: 'x' }],
    'noTarget',
    /does not describe a new value/,
  ],
  [
    'replace by filter: the value contradicts the filter',
    'user',
    [{ op: 'replace', path: 'emails[type eq "other"]', value: { type: 'home', value: 'o@x.com' } }],
    'invalidValue',
    /contradicts the path's filter/,
  ],
  [
    'replace by filter: the sub-attribute contradicts the filter',
    'user',
    [{ op: 'replace', path: 'ims[type eq "aim"].type', value: 'icq' }],
    'invalidValue',
    /contradicts/,
  ],
  [
    'replace by filter: a value of the wrong type',
    'user',
    [{ op: 'replace', path: 'phoneNumbers[type eq "mobile"].primary', value: 'yes' }],
    'invalidValue',
    /must be a boolean/,
  ],
  [
    'replace by filter: a filter literal of the wrong type',
    'user',
    [{ op: 'replace', path: 'phoneNumbers[type eq "mobile" and primary eq "yes"].value', value: '1' }],
    'invalidPath',
    /boolean/,
  ],
  [
    'replace readOnly groups by filter matching nothing',
    'user',
    [{ op: 'replace', path: 'groups[value eq "g1"].display', value: 'G' }],
    'mutability',
    /groups/,
  ],
  [
    'add by filter on a single-valued complex matching nothing',
    'user',
    [{ op: 'add', path: 'name[givenName eq "x"].familyName', value: 'y' }],
    'noTarget',
    /'name'/,
  ],
  [
    'custom: replace folders by filter matching nothing',
    'custom',
    [{ op: 'replace', path: `${CUS}:folders[value eq "Nope"]`, value: 'x' }],
    'noTarget',
    /folders/,
  ],
  [
    'custom: add folders by filter matching nothing (simple values)',
    'custom',
    [{ op: 'add', path: `${CUS}:folders[value eq "Nope"]`, value: 'x' }],
    'noTarget',
    /folders/,
  ],
];

describe('applyPatch — errors', () => {
  it.each(errorRows)('%s', (_name, start, ops, scimType, detail) => {
    const before = starts[start].doc();
    const err = errorOf(() => patch(start, ops));
    expect({ status: err.status, scimType: err.scimType }).toEqual({ status: 400, scimType });
    expect(err.detail).toMatch(detail);
    expect(starts[start].doc()).toEqual(before);
  });
});

describe('applyPatch — properties', () => {
  it('does not mutate its input', () => {
    const doc = user();
    const copy = JSON.parse(JSON.stringify(doc));
    const ops = parsePatchRequest(
      request([
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'x@x.com' },
        { op: 'remove', path: `${ENT}:manager` },
        { op: 'add', path: 'name.middleName', value: 'M' },
      ]),
    );
    const opsCopy = JSON.parse(JSON.stringify(ops));
    const { document } = applyPatch(doc, ops, userTypes);
    expect(doc).toEqual(copy);
    expect(ops).toEqual(opsCopy);
    expect(document).not.toBe(doc);
  });

  it('returns changed false for Entra re-sending current values', () => {
    const result = patch('user', [
      { op: 'Replace', path: 'active', value: 'True' },
      { op: 'Replace', path: 'displayName', value: 'Test User' },
      { op: 'Replace', path: `${ENT}:manager`, value: 'mgr-1' },
      { op: 'Replace', value: { 'name.givenName': 'givenName', [`${ENT}:department`]: 'Tour Operations' } },
      { op: 'Add', path: 'emails', value: [{ primary: true, type: 'work', value: 'work@testuser.com' }] },
    ]);
    expect(result.changed).toBe(false);
    expect(result.document).toEqual(user());
  });

  it('returns changed true when anything differs, even only in case', () => {
    expect(patch('user', [{ op: 'replace', path: 'displayName', value: 'TEST USER' }]).changed).toBe(true);
  });

  it('keeps readOnly attributes of the stored document (id, meta, groups) and ignores them for changed', () => {
    const stored = {
      ...user(),
      id: '2819c223',
      groups: [{ value: 'g1', display: 'G' }],
      meta: { resourceType: 'User', created: '2020-01-01T00:00:00Z' },
    };
    const noop = applyPatch(stored, parsePatchRequest(request([{ op: 'replace', path: 'active', value: true }])), userTypes);
    expect(noop.changed).toBe(false);
    expect(noop.document).toEqual(stored);
    const real = applyPatch(stored, parsePatchRequest(request([{ op: 'replace', path: 'active', value: false }])), userTypes);
    expect(real.changed).toBe(true);
    expect(real.document).toMatchObject({ id: '2819c223', groups: stored.groups, meta: stored.meta, active: false });
  });

  it('rejects removing readOnly attributes the stored document has', () => {
    const stored = { ...user(), groups: [{ value: 'g1' }] };
    const err = errorOf(() => applyPatch(stored, parsePatchRequest(request([{ op: 'remove', path: 'groups' }])), userTypes));
    expect(err.scimType).toBe('mutability');
  });

  it('treats remove of an absent readOnly attribute as a no-op', () => {
    expect(patch('user', [{ op: 'remove', path: 'groups' }]).changed).toBe(false);
  });

  it('produces documents that normalizeResource leaves unchanged', () => {
    for (const [, start, ops] of rows) {
      const { document } = patch(start, ops);
      expect(normalizeResource(document, starts[start].types, 'replace')).toEqual(document);
    }
  });

  it('is atomic: a failing later operation leaves nothing applied', () => {
    const doc = user();
    expect(() =>
      applyPatch(
        doc,
        parsePatchRequest(
          request([
            { op: 'replace', path: 'displayName', value: 'X' },
            { op: 'remove', path: 'userName' },
          ]),
        ),
        userTypes,
      ),
    ).toThrow(ScimError);
    expect(doc.displayName).toBe('Test User');
  });

  it('rejects a remove without path when called with hand-built operations', () => {
    const ops: PatchOperation[] = [{ op: 'remove' }];
    expect(errorOf(() => applyPatch(user(), ops, userTypes)).scimType).toBe('noTarget');
  });

  it('works with the plain User resource type (core + enterprise)', () => {
    const { document } = applyPatch(user(), parsePatchRequest(request([{ op: 'Replace', path: 'active', value: 'False' }])), userResourceTypeSchemas);
    expect(document.active).toBe(false);
  });

  it('adds a missing schemas list', () => {
    const { schemas, ...rest } = user();
    void schemas;
    const { document } = applyPatch(rest, parsePatchRequest(request([{ op: 'replace', path: 'title', value: 't' }])), userTypes);
    expect(document.schemas).toEqual([USER_SCHEMA, ENT]);
  });
});
