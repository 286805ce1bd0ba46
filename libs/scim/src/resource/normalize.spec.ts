import { ScimError } from '../errors';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from '../schema/user.schema';
import { normalizeResource } from './normalize';
import { CUSTOM_EXTENSION, TEAM_EXTENSION, TEAM_SCHEMA, teamTypes, userTypes } from './test-fixtures';
import { userResourceTypeSchemas } from './types';

const ENT = ENTERPRISE_USER_SCHEMA;

/** The create-user request of Microsoft's "Develop and plan provisioning for a SCIM endpoint" tutorial. */
const entraCreateUser = () => ({
  schemas: [USER_SCHEMA, ENT],
  externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
  userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
  active: true,
  emails: [{ primary: true, type: 'work', value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com' }],
  meta: { resourceType: 'User' },
  name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
  roles: [],
});

const entraCreateUserStored = {
  schemas: [USER_SCHEMA],
  externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
  userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
  name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
  active: true,
  emails: [{ primary: true, type: 'work', value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com' }],
};

const omit = (obj: Record<string, unknown>, key: string) => Object.fromEntries(Object.entries(obj).filter(([k]) => k !== key));

const minimal = (extra: Record<string, unknown> = {}) => ({ schemas: [USER_SCHEMA], userName: 'bjensen', ...extra });

function expectScimError(fn: () => unknown, status: number, scimType: string | undefined, detail?: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ScimError);
  const e = caught as ScimError;
  expect({ status: e.status, scimType: e.scimType }).toEqual({ status, scimType });
  if (detail) expect(e.detail).toMatch(detail);
}

describe('normalizeResource — Entra request bodies', () => {
  it('stores the tutorial create-user body (meta and empty roles dropped, enterprise URN dropped as it has no data)', () => {
    expect(normalizeResource(entraCreateUser(), userResourceTypeSchemas, 'create')).toEqual(entraCreateUserStored);
  });

  it('returns attributes in definition order with schemas first', () => {
    const doc = normalizeResource(entraCreateUser(), userResourceTypeSchemas, 'create');
    expect(Object.keys(doc)).toEqual(['schemas', 'externalId', 'userName', 'name', 'active', 'emails']);
  });

  it('is idempotent: normalizing a stored document returns it unchanged', () => {
    const doc = normalizeResource(entraCreateUser(), userResourceTypeSchemas, 'create');
    expect(normalizeResource(doc, userResourceTypeSchemas, 'replace')).toEqual(doc);
  });

  it('does not mutate the body', () => {
    const body = entraCreateUser();
    const copy = JSON.parse(JSON.stringify(body));
    normalizeResource(body, userResourceTypeSchemas, 'create');
    expect(body).toEqual(copy);
  });

  type Row = [string, Record<string, unknown>, Record<string, unknown>];
  const base = entraCreateUser();
  const rows: Row[] = [
    ['active "True" string', { ...base, active: 'True' }, { active: true }],
    ['active "False" string', { ...base, active: 'False' }, { active: false }],
    ['active "true" string', { ...base, active: 'true' }, { active: true }],
    ['active "false" string', { ...base, active: 'false' }, { active: false }],
    ['active "FALSE" string', { ...base, active: 'FALSE' }, { active: false }],
    ['active false boolean', { ...base, active: false }, { active: false }],
    [
      'primary "True" string in emails',
      { ...base, emails: [{ primary: 'True', type: 'work', value: 'a@x.com' }] },
      { emails: [{ primary: true, type: 'work', value: 'a@x.com' }] },
    ],
    [
      'enterprise extension object',
      { ...base, [ENT]: { employeeNumber: '701984', department: 'Tour Operations', manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d' } } },
      {
        schemas: [USER_SCHEMA, ENT],
        [ENT]: { employeeNumber: '701984', department: 'Tour Operations', manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d' } },
      },
    ],
    [
      'flattened enterprise attribute (Entra form)',
      { ...base, [`${ENT}:department`]: 'Sales' },
      { schemas: [USER_SCHEMA, ENT], [ENT]: { department: 'Sales' } },
    ],
    [
      'several flattened enterprise attributes',
      { ...base, [`${ENT}:department`]: 'Sales', [`${ENT}:employeeNumber`]: '42', [`${ENT}:costCenter`]: 'CC-1' },
      { schemas: [USER_SCHEMA, ENT], [ENT]: { employeeNumber: '42', costCenter: 'CC-1', department: 'Sales' } },
    ],
    ['flattened manager.value', { ...base, [`${ENT}:manager.value`]: 'mgr-1' }, { schemas: [USER_SCHEMA, ENT], [ENT]: { manager: { value: 'mgr-1' } } }],
    [
      'flattened manager as bare id (Entra sends the id)',
      { ...base, [`${ENT}:manager`]: 'mgr-1' },
      { schemas: [USER_SCHEMA, ENT], [ENT]: { manager: { value: 'mgr-1' } } },
    ],
    [
      'flattened and nested enterprise attributes together',
      { ...base, [ENT]: { department: 'Sales' }, [`${ENT}:division`]: 'EMEA' },
      { schemas: [USER_SCHEMA, ENT], [ENT]: { division: 'EMEA', department: 'Sales' } },
    ],
    [
      'enterprise data without its URN in schemas (Entra)',
      { ...base, schemas: [USER_SCHEMA], [ENT]: { department: 'Sales' } },
      { schemas: [USER_SCHEMA, ENT], [ENT]: { department: 'Sales' } },
    ],
    ['enterprise URN key in other case', { ...base, [ENT.toUpperCase()]: { Department: 'x' } }, { schemas: [USER_SCHEMA, ENT], [ENT]: { department: 'x' } }],
    ['enterprise object null', { ...base, [ENT]: null }, {}],
    ['enterprise object empty', { ...base, [ENT]: {} }, {}],
    [
      'enterprise manager displayName (readOnly) ignored',
      { ...base, [ENT]: { manager: { value: 'm', displayName: 'Boss' } } },
      { schemas: [USER_SCHEMA, ENT], [ENT]: { manager: { value: 'm' } } },
    ],
    ['fully-qualified core attribute', { ...omit(base, 'userName'), [`${USER_SCHEMA}:userName`]: 'fq' }, { userName: 'fq' }],
    ['fully-qualified core sub-attribute', { ...base, [`${USER_SCHEMA}:name.middleName`]: 'M' }, { name: { ...base.name, middleName: 'M' } }],
    ['USERNAME in upper case', { ...omit(base, 'userName'), USERNAME: 'upper' }, { userName: 'upper' }],
    [
      'Emails[].Value in other case',
      { ...omit(base, 'emails'), Emails: [{ Value: 'a@x.com', TYPE: 'work', Primary: true }] },
      { emails: [{ value: 'a@x.com', type: 'work', primary: true }] },
    ],
    ['NAME.GIVENNAME in other case', { ...base, name: { GIVENNAME: 'G' } }, { name: { givenName: 'G' } }],
    [
      'custom email type (canonical values not enforced)',
      { ...base, emails: [{ type: 'corporate', value: 'c@x.com' }] },
      { emails: [{ type: 'corporate', value: 'c@x.com' }] },
    ],
    ['id ignored', { ...base, id: 'client-chosen' }, {}],
    ['id of wrong type ignored too', { ...base, id: 12 }, {}],
    ['meta with created ignored', { ...base, meta: { resourceType: 'User', created: '2020-01-01T00:00:00Z' } }, {}],
    ['groups ignored', { ...base, groups: [{ value: 'g1', display: 'G' }] }, {}],
    ['null attribute dropped', { ...base, displayName: null }, {}],
    ['empty emails dropped', { ...base, emails: [] }, { emails: undefined }],
    ['null email element dropped', { ...base, emails: [null, { value: 'a@x.com' }] }, { emails: [{ value: 'a@x.com' }] }],
    ['null sub-attribute dropped', { ...base, emails: [{ value: 'a@x.com', display: null }] }, { emails: [{ value: 'a@x.com' }] }],
    ['name with only nulls dropped', { ...base, name: { givenName: null } }, { name: undefined }],
    ['strings kept as sent (no trim)', { ...base, displayName: '  Babs  ' }, { displayName: '  Babs  ' }],
    ['empty string kept', { ...base, title: '' }, { title: '' }],
    ['password kept (writeOnly)', { ...base, password: 't1meMa$heen' }, { password: 't1meMa$heen' }],
    [
      'phoneNumbers, addresses, ims, photos',
      {
        ...base,
        phoneNumbers: [
          { value: '555-555-8377', type: 'work' },
          { value: '+1 555', type: 'mobile' },
        ],
        addresses: [
          { type: 'work', streetAddress: '100 Universal City Plaza', locality: 'Hollywood', region: 'CA', postalCode: '91608', country: 'USA', primary: true },
        ],
        ims: [{ value: 'someaimhandle', type: 'aim' }],
        photos: [{ value: 'https://photos.example.com/profilephoto/72930000000Ccne/F', type: 'photo' }],
      },
      {
        phoneNumbers: [
          { value: '555-555-8377', type: 'work' },
          { value: '+1 555', type: 'mobile' },
        ],
        addresses: [
          { type: 'work', streetAddress: '100 Universal City Plaza', locality: 'Hollywood', region: 'CA', postalCode: '91608', country: 'USA', primary: true },
        ],
        ims: [{ value: 'someaimhandle', type: 'aim' }],
        photos: [{ value: 'https://photos.example.com/profilephoto/72930000000Ccne/F', type: 'photo' }],
      },
    ],
    [
      'roles with values (AppRoleAssignmentsComplex)',
      { ...base, roles: [{ primary: 'False', type: 'WindowsAzureActiveDirectoryRole', value: 'Admin', display: 'Admin' }] },
      { roles: [{ primary: false, type: 'WindowsAzureActiveDirectoryRole', value: 'Admin', display: 'Admin' }] },
    ],
    ['entitlements', { ...base, entitlements: [{ value: 'e1' }] }, { entitlements: [{ value: 'e1' }] }],
    // App roles in every shape Entra sends them (SingleAppRoleAssignment, AppRoleAssignmentsComplex, Assertive…)
    [
      'roles from SingleAppRoleAssignment (one primary role)',
      { ...base, roles: [{ primary: true, type: 'WindowsAzureActiveDirectoryRole', value: 'Admin' }] },
      { roles: [{ primary: true, type: 'WindowsAzureActiveDirectoryRole', value: 'Admin' }] },
    ],
    [
      'roles with primary "True" (no aadOptscim062020 flag)',
      { ...base, roles: [{ primary: 'True', value: 'Admin' }] },
      { roles: [{ primary: true, value: 'Admin' }] },
    ],
    ['roles as one bare name', { ...base, roles: 'Admin' }, { roles: [{ value: 'Admin' }] }],
    ['entitlements as one bare name', { ...base, entitlements: 'Admin' }, { entitlements: [{ value: 'Admin' }] }],
    ['entitlements as a list of names', { ...base, entitlements: ['Admin', 'Auditor_RO'] }, { entitlements: [{ value: 'Admin' }, { value: 'Auditor_RO' }] }],
    ['roles as one object instead of a list', { ...base, roles: { value: 'Admin' } }, { roles: [{ value: 'Admin' }] }],
    [
      'roles with displayName (AppRoleAssignmentsComplex POST)',
      { ...base, roles: [{ primary: false, type: 'WindowsAzureActiveDirectoryRole', displayName: 'Admin', value: 'Admin' }] },
      { roles: [{ primary: false, type: 'WindowsAzureActiveDirectoryRole', value: 'Admin', display: 'Admin' }] },
    ],
    [
      'roles with a JSON-encoded assignment as value (Entra PATCH form)',
      { ...base, roles: [{ value: '{"id":"06b07648-ecfe-589f-9d2f-6325724a46ee","value":"Admin","displayName":"Administrator"}' }] },
      { roles: [{ value: 'Admin', display: 'Administrator' }] },
    ],
    [
      'entitlements with a JSON-encoded assignment keep a given display',
      { ...base, entitlements: [{ value: '{"id":"1","value":"Admin","displayName":"x"}', display: 'Admin' }] },
      { entitlements: [{ value: 'Admin', display: 'Admin' }] },
    ],
    [
      'roles value starting with { that is not an assignment kept as sent',
      { ...base, roles: [{ value: '{not json' }, { value: '{"id":"1"}' }] },
      { roles: [{ value: '{not json' }, { value: '{"id":"1"}' }] },
    ],
    [
      'two emails, one primary',
      {
        ...base,
        emails: [
          { value: 'a@x.com', primary: true },
          { value: 'b@x.com', primary: false },
        ],
      },
      {
        emails: [
          { value: 'a@x.com', primary: true },
          { value: 'b@x.com', primary: false },
        ],
      },
    ],
    ['userName with surrounding spaces kept', { ...base, userName: ' padded ' }, { userName: ' padded ' }],
    ['profileUrl reference', { ...base, profileUrl: 'https://login.example.com/bjensen' }, { profileUrl: 'https://login.example.com/bjensen' }],
    [
      'x509Certificates',
      { ...base, x509Certificates: [{ value: 'MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAw' }] },
      { x509Certificates: [{ value: 'MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAw' }] },
    ],
  ];

  it.each(rows)('%s', (_name, body, expectedDiff) => {
    const expected: Record<string, unknown> = { ...entraCreateUserStored, ...expectedDiff };
    for (const key of Object.keys(expected)) if (expected[key] === undefined) delete expected[key];
    expect(normalizeResource(body, userResourceTypeSchemas, 'create')).toEqual(expected);
    expect(normalizeResource(body, userResourceTypeSchemas, 'replace')).toEqual(expected);
  });

  it('keeps the enterprise URN in schemas only when its data is present', () => {
    const doc = normalizeResource({ ...entraCreateUser(), [ENT]: { department: 'x' } }, userResourceTypeSchemas, 'create');
    expect(doc.schemas).toEqual([USER_SCHEMA, ENT]);
    expect(Object.keys(doc).pop()).toBe(ENT);
  });
});

describe('normalizeResource — custom extension', () => {
  it('accepts a tenant extension nested and flattened', () => {
    const doc = normalizeResource(minimal({ [CUSTOM_EXTENSION]: { folders: ['Inbox', 'Archive'] }, [`${CUSTOM_EXTENSION}:level`]: 3 }), userTypes, 'create');
    expect(doc).toEqual({ schemas: [USER_SCHEMA, CUSTOM_EXTENSION], userName: 'bjensen', [CUSTOM_EXTENSION]: { folders: ['Inbox', 'Archive'], level: 3 } });
  });

  it('orders extensions as the resource type lists them', () => {
    const doc = normalizeResource(minimal({ [CUSTOM_EXTENSION]: { vip: true }, [ENT]: { department: 'd' } }), userTypes, 'create');
    expect(doc.schemas).toEqual([USER_SCHEMA, ENT, CUSTOM_EXTENSION]);
  });

  type Row = [string, Record<string, unknown>, Record<string, unknown>];
  const rows: Row[] = [
    ['integer', { level: 7 }, { level: 7 }],
    ['decimal', { score: 2.5 }, { score: 2.5 }],
    ['decimal accepts integers', { score: 3 }, { score: 3 }],
    ['dateTime', { hiredAt: '2008-01-23T04:56:22Z' }, { hiredAt: '2008-01-23T04:56:22Z' }],
    ['dateTime with offset and fraction', { hiredAt: '2008-01-23T04:56:22.123+02:00' }, { hiredAt: '2008-01-23T04:56:22.123+02:00' }],
    ['boolean string', { vip: 'TRUE' }, { vip: true }],
    ['binary', { photo: 'aGVsbG8=' }, { photo: 'aGVsbG8=' }],
    ['readOnly attribute ignored', { computed: 'x', vip: false }, { vip: false }],
    ['writeOnly kept', { pin: '1234' }, { pin: '1234' }],
    ['empty folders dropped', { folders: [], vip: true }, { vip: true }],
    ['folders with null element', { folders: ['a', null] }, { folders: ['a'] }],
  ];
  it.each(rows)('%s', (_name, ext, expected) => {
    expect(normalizeResource(minimal({ [CUSTOM_EXTENSION]: ext }), userTypes, 'create')[CUSTOM_EXTENSION]).toEqual(expected);
  });
});

describe('normalizeResource — Group-like resource with a required extension attribute', () => {
  it('accepts a Team with members', () => {
    const doc = normalizeResource(
      {
        schemas: [TEAM_SCHEMA],
        displayName: 'Ops',
        members: [
          { value: 'u1', $ref: null, display: 'ignored' },
          { value: 'u2', type: 'User' },
        ],
      },
      teamTypes,
      'create',
    );
    expect(doc).toEqual({ schemas: [TEAM_SCHEMA], displayName: 'Ops', members: [{ value: 'u1' }, { value: 'u2', type: 'User' }] });
  });

  it('binds an extension required attribute only when the extension has data', () => {
    expect(() => normalizeResource({ schemas: [TEAM_SCHEMA, TEAM_EXTENSION], displayName: 'Ops' }, teamTypes, 'create')).not.toThrow();
    expectScimError(
      () => normalizeResource({ schemas: [TEAM_SCHEMA], displayName: 'Ops', [TEAM_EXTENSION]: { note: 'n' } }, teamTypes, 'create'),
      400,
      'invalidValue',
      /costCode.*required/,
    );
  });

  it('enforces required sub-attributes of present complex values', () => {
    expectScimError(
      () => normalizeResource({ schemas: [TEAM_SCHEMA], displayName: 'Ops', owner: { display: 'x' } }, teamTypes, 'create'),
      400,
      'invalidValue',
      /owner\.value.*required/,
    );
  });
});

describe('normalizeResource — invalid bodies', () => {
  type Row = [string, unknown, string, RegExp];
  const rows: Row[] = [
    ['array body', [], 'invalidSyntax', /JSON object/],
    ['string body', 'x', 'invalidSyntax', /JSON object/],
    ['null body', null, 'invalidSyntax', /JSON object/],
    ['schemas missing', { userName: 'a' }, 'invalidValue', /schemas/],
    ['roles as a number', { schemas: [USER_SCHEMA], userName: 'a', roles: [7] }, 'invalidValue', /'roles\[0\]' must be an object/],
    [
      'roles with two primaries',
      {
        schemas: [USER_SCHEMA],
        userName: 'a',
        roles: [
          { value: 'A', primary: 'True' },
          { value: 'B', primary: true },
        ],
      },
      'invalidValue',
      /primary true/,
    ],
    ['roles with an unknown sub-attribute', { schemas: [USER_SCHEMA], userName: 'a', roles: [{ value: 'A', id: 'x' }] }, 'invalidValue', /roles\[0\]\.id/],
    ['emails as a bare string (only app roles take names)', { schemas: [USER_SCHEMA], userName: 'a', emails: 'a@x.com' }, 'invalidValue', /multi-valued/],
    ['schemas a string', { schemas: USER_SCHEMA, userName: 'a' }, 'invalidValue', /schemas/],
    ['schemas with a number', { schemas: [USER_SCHEMA, 1], userName: 'a' }, 'invalidValue', /schemas/],
    ['schemas without the core schema', { schemas: [ENT], userName: 'a' }, 'invalidValue', /must include/],
    ['schemas empty', { schemas: [], userName: 'a' }, 'invalidValue', /must include/],
    [
      'unknown extension URN in schemas',
      { schemas: [USER_SCHEMA, 'urn:example:unknown:2.0:User'], userName: 'a' },
      'invalidValue',
      /Unknown schema 'urn:example:unknown:2.0:User'/,
    ],
    ['Group schema in a User body', { schemas: [USER_SCHEMA, 'urn:ietf:params:scim:schemas:core:2.0:Group'], userName: 'a' }, 'invalidValue', /Unknown schema/],
    ['userName missing', { schemas: [USER_SCHEMA] }, 'invalidValue', /'userName' is required/],
    ['userName null', { schemas: [USER_SCHEMA], userName: null }, 'invalidValue', /'userName' is required/],
    ['userName empty', { schemas: [USER_SCHEMA], userName: '' }, 'invalidValue', /'userName' is required/],
    ['userName blank', { schemas: [USER_SCHEMA], userName: '   ' }, 'invalidValue', /'userName' is required/],
    ['userName number', { schemas: [USER_SCHEMA], userName: 42 }, 'invalidValue', /'userName' must be a string/],
    ['userName array', { schemas: [USER_SCHEMA], userName: ['a'] }, 'invalidValue', /'userName' is single-valued/],
    ['emails given twice in different case', minimal({ emails: [], Emails: [] }), 'invalidValue', /more than once/],
    ['userName given twice in different case', { schemas: [USER_SCHEMA], userName: 'a', UserName: 'b' }, 'invalidValue', /more than once/],
    ['unknown core attribute', minimal({ favoriteColor: 'blue' }), 'invalidValue', /Unknown attribute 'favoriteColor'/],
    [
      'enterprise attribute unqualified',
      minimal({ department: 'x' }),
      'invalidValue',
      /Unknown attribute 'department'.*did you mean 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department'/,
    ],
    ['unknown enterprise attribute', minimal({ [ENT]: { shoeSize: 42 } }), 'invalidValue', /Unknown attribute .*shoeSize/],
    ['unknown flattened enterprise attribute', minimal({ [`${ENT}:shoeSize`]: 42 }), 'invalidValue', /Unknown attribute .*shoeSize/],
    ['unknown URN attribute key', minimal({ 'urn:example:ext:1.0:Thing:x': 1 }), 'invalidValue', /Unknown schema in attribute/],
    ['enterprise object not an object', minimal({ [ENT]: 'x' }), 'invalidValue', /must be an object/],
    ['enterprise object an array', minimal({ [ENT]: [{ department: 'x' }] }), 'invalidValue', /must be an object/],
    ['department nested and flattened', minimal({ [ENT]: { department: 'a' }, [`${ENT}:department`]: 'b' }), 'invalidValue', /more than once/],
    [
      'manager nested and manager.value flattened',
      minimal({ [ENT]: { manager: { value: 'a' } }, [`${ENT}:manager.value`]: 'b' }),
      'invalidValue',
      /more than once/,
    ],
    ['flattened sub-attribute of a simple attribute', minimal({ [`${ENT}:department.x`]: 'b' }), 'invalidValue', /Unknown attribute/],
    ['flattened too deep', minimal({ [`${ENT}:manager.value.x`]: 'b' }), 'invalidValue', /Unknown attribute/],
    [
      'flattened manager.value with manager not an object',
      minimal({ [`${ENT}:manager`]: 5, [`${ENT}:manager.value`]: 'b' }),
      'invalidValue',
      /must be an object/,
    ],
    ['active number', minimal({ active: 1 }), 'invalidValue', /'active' must be a boolean/],
    ['active "yes"', minimal({ active: 'yes' }), 'invalidValue', /'active' must be a boolean/],
    ['active empty string', minimal({ active: '' }), 'invalidValue', /'active' must be a boolean/],
    ['active object', minimal({ active: {} }), 'invalidValue', /'active' must be a boolean/],
    ['displayName number', minimal({ displayName: 5 }), 'invalidValue', /'displayName' must be a string/],
    ['displayName boolean', minimal({ displayName: true }), 'invalidValue', /'displayName' must be a string/],
    ['externalId number', minimal({ externalId: 5 }), 'invalidValue', /'externalId' must be a string/],
    ['name a string', minimal({ name: 'Babs Jensen' }), 'invalidValue', /'name' must be an object/],
    ['name an array', minimal({ name: [{ givenName: 'a' }] }), 'invalidValue', /'name' is single-valued/],
    ['unknown name sub-attribute', minimal({ name: { nickname: 'x' } }), 'invalidValue', /Unknown sub-attribute 'name.nickname'/],
    ['name sub-attribute twice', minimal({ name: { givenName: 'a', GivenName: 'b' } }), 'invalidValue', /more than once/],
    ['givenName a number', minimal({ name: { givenName: 1 } }), 'invalidValue', /'name.givenName' must be a string/],
    ['emails an object', minimal({ emails: { value: 'a@x.com' } }), 'invalidValue', /'emails' is multi-valued/],
    ['emails a string', minimal({ emails: 'a@x.com' }), 'invalidValue', /'emails' is multi-valued/],
    ['emails element a string', minimal({ emails: ['a@x.com'] }), 'invalidValue', /'emails\[0\]' must be an object/],
    ['emails value a number', minimal({ emails: [{ value: 1 }] }), 'invalidValue', /'emails\[0\].value' must be a string/],
    ['emails primary "yes"', minimal({ emails: [{ value: 'a', primary: 'yes' }] }), 'invalidValue', /'emails\[0\].primary' must be a boolean/],
    [
      'two primary emails',
      minimal({
        emails: [
          { value: 'a', primary: true },
          { value: 'b', primary: true },
        ],
      }),
      'invalidValue',
      /'emails' has 2 values with primary true/,
    ],
    [
      'two primary emails via strings',
      minimal({
        emails: [
          { value: 'a', primary: 'True' },
          { value: 'b', primary: 'true' },
        ],
      }),
      'invalidValue',
      /primary/,
    ],
    [
      'two primary addresses',
      minimal({
        addresses: [
          { locality: 'a', primary: true },
          { locality: 'b', primary: true },
        ],
      }),
      'invalidValue',
      /'addresses' has 2/,
    ],
    ['unknown email sub-attribute', minimal({ emails: [{ value: 'a', verified: true }] }), 'invalidValue', /Unknown sub-attribute 'emails\[0\].verified'/],
    ['manager a number', minimal({ [ENT]: { manager: 5 } }), 'invalidValue', /manager.value' must be a string/],
    ['manager an array', minimal({ [ENT]: { manager: [{ value: 'm' }] } }), 'invalidValue', /manager' is single-valued/],
    ['employeeNumber a number', minimal({ [ENT]: { employeeNumber: 701984 } }), 'invalidValue', /employeeNumber' must be a string/],
    ['flattened employeeNumber a number', minimal({ [`${ENT}:employeeNumber`]: 701984 }), 'invalidValue', /employeeNumber' must be a string/],
  ];

  it.each(rows)('%s', (_name, body, scimType, detail) => {
    expectScimError(() => normalizeResource(body, userResourceTypeSchemas, 'create'), 400, scimType, detail);
  });

  type CustomRow = [string, Record<string, unknown>, RegExp];
  const customRows: CustomRow[] = [
    ['folders a string', { folders: 'Inbox' }, /folders' is multi-valued/],
    ['folders with a number', { folders: ['a', 1] }, /folders\[1\]' must be a string/],
    ['level a string', { level: '3' }, /level' must be an integer/],
    ['level a fraction', { level: 3.5 }, /level' must be an integer/],
    ['score a string', { score: '2.5' }, /score' must be a number/],
    ['score NaN-ish', { score: 'NaN' }, /score' must be a number/],
    ['hiredAt not a date', { hiredAt: 'yesterday' }, /hiredAt' must be an xsd:dateTime/],
    ['hiredAt date only', { hiredAt: '2008-01-23' }, /hiredAt' must be an xsd:dateTime/],
    ['hiredAt impossible month', { hiredAt: '2008-13-23T00:00:00Z' }, /hiredAt' must be an xsd:dateTime/],
    ['vip a number', { vip: 0 }, /vip' must be a boolean/],
    ['photo a number', { photo: 1 }, /photo' must be a string/],
  ];
  it.each(customRows)('custom extension: %s', (_name, ext, detail) => {
    expectScimError(() => normalizeResource(minimal({ [CUSTOM_EXTENSION]: ext }), userTypes, 'create'), 400, 'invalidValue', detail);
  });

  it('rejects the custom extension URN for a resource type that does not allow it', () => {
    expectScimError(
      () => normalizeResource({ schemas: [USER_SCHEMA, CUSTOM_EXTENSION], userName: 'a' }, userResourceTypeSchemas, 'create'),
      400,
      'invalidValue',
      /Unknown schema/,
    );
    expectScimError(
      () => normalizeResource(minimal({ [CUSTOM_EXTENSION]: { folders: ['a'] } }), userResourceTypeSchemas, 'create'),
      400,
      'invalidValue',
      /Unknown schema/,
    );
  });

  it('names the mode in the syntax error', () => {
    expectScimError(() => normalizeResource(1, userResourceTypeSchemas, 'replace'), 400, 'invalidSyntax', /replace request body/);
  });
});
