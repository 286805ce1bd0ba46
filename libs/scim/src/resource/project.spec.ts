import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from '../schema/user.schema';
import { projectResource } from './project';
import { CUSTOM_EXTENSION, userTypes } from './test-fixtures';

const ENT = ENTERPRISE_USER_SCHEMA;

const resource = () => ({
  schemas: [USER_SCHEMA, ENT, CUSTOM_EXTENSION],
  id: '2819c223-7f76-453a-919d-413861904646',
  externalId: 'bjensen',
  userName: 'bjensen@example.com',
  name: { formatted: 'Ms. Barbara J Jensen III', familyName: 'Jensen', givenName: 'Barbara' },
  displayName: 'Babs Jensen',
  active: true,
  password: 'secret',
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  groups: [{ value: 'e9e30dba', display: 'Tour Guides', type: 'direct' }],
  [ENT]: { employeeNumber: '701984', department: 'Tour Operations', manager: { value: '26118915', displayName: 'John Smith' } },
  [CUSTOM_EXTENSION]: { folders: ['Inbox'], nickTag: 'babs', pin: '1234', vip: true },
  meta: { resourceType: 'User', created: '2010-01-23T04:56:22Z', lastModified: '2011-05-13T04:42:34Z', version: 'W/"3694e05e9dff591"' },
});

describe('projectResource', () => {
  it('default set: everything but returned never (password, pin) and returned request (nickTag)', () => {
    const out = projectResource(resource(), userTypes, {});
    const expected = resource() as Record<string, unknown>;
    delete expected.password;
    expected[CUSTOM_EXTENSION] = { folders: ['Inbox'], vip: true };
    expect(out).toEqual(expected);
  });

  it('keeps the resource key order', () => {
    expect(Object.keys(projectResource(resource(), userTypes))).toEqual(Object.keys(resource()).filter((k) => k !== 'password'));
  });

  it('does not mutate the resource', () => {
    const r = resource();
    projectResource(r, userTypes, { attributes: ['userName'] });
    expect(r).toEqual(resource());
  });

  it('drops attributes the definitions do not know', () => {
    expect(projectResource({ ...resource(), favoriteColor: 'blue', 'urn:unknown': { a: 1 } }, userTypes)).not.toHaveProperty('favoriteColor');
  });

  type Row = [string, { attributes?: string[]; excludedAttributes?: string[] }, Record<string, unknown>];
  const base = { schemas: [USER_SCHEMA, ENT, CUSTOM_EXTENSION], id: '2819c223-7f76-453a-919d-413861904646' };
  const rows: Row[] = [
    ['attributes=userName', { attributes: ['userName'] }, { ...base, userName: 'bjensen@example.com' }],
    ['attributes are case-insensitive', { attributes: ['USERNAME'] }, { ...base, userName: 'bjensen@example.com' }],
    ['attributes=name.givenName', { attributes: ['name.givenName'] }, { ...base, name: { givenName: 'Barbara' } }],
    [
      'attributes=name.givenName,name.familyName',
      { attributes: ['name.givenName', 'name.familyName'] },
      { ...base, name: { givenName: 'Barbara', familyName: 'Jensen' } },
    ],
    ['attributes=name and name.givenName', { attributes: ['name', 'name.givenName'] }, { ...base, name: resource().name }],
    ['attributes=emails.value', { attributes: ['emails.value'] }, { ...base, emails: [{ value: 'bjensen@example.com' }, { value: 'babs@jensen.org' }] }],
    ['attributes=emails.primary drops elements without it', { attributes: ['emails.primary'] }, { ...base, emails: [{ primary: true }] }],
    ['attributes=emails', { attributes: ['emails'] }, { ...base, emails: resource().emails }],
    ['attributes=password never returns it', { attributes: ['password'] }, base],
    ['attributes=id only the minimum', { attributes: ['id'] }, base],
    ['attributes=unknown is ignored', { attributes: ['shoeSize'] }, base],
    ['attributes=unknown URN is ignored', { attributes: ['urn:example:x:attr'] }, base],
    ['attributes=meta', { attributes: ['meta'] }, { ...base, meta: resource().meta }],
    ['attributes=meta.lastModified', { attributes: ['meta.lastModified'] }, { ...base, meta: { lastModified: '2011-05-13T04:42:34Z' } }],
    ['attributes=fully-qualified core', { attributes: [`${USER_SCHEMA}:userName`] }, { ...base, userName: 'bjensen@example.com' }],
    ['attributes=enterprise department', { attributes: [`${ENT}:department`] }, { ...base, [ENT]: { department: 'Tour Operations' } }],
    ['attributes=enterprise manager.value', { attributes: [`${ENT}:manager.value`] }, { ...base, [ENT]: { manager: { value: '26118915' } } }],
    ['attributes=enterprise manager', { attributes: [`${ENT}:manager`] }, { ...base, [ENT]: { manager: { value: '26118915', displayName: 'John Smith' } } }],
    ['attributes=whole enterprise extension', { attributes: [ENT] }, { ...base, [ENT]: resource()[ENT] }],
    ['attributes=enterprise URN in upper case', { attributes: [ENT.toUpperCase() + ':DEPARTMENT'] }, { ...base, [ENT]: { department: 'Tour Operations' } }],
    ['attributes=custom folders', { attributes: [`${CUSTOM_EXTENSION}:folders`] }, { ...base, [CUSTOM_EXTENSION]: { folders: ['Inbox'] } }],
    ['attributes=request-only nickTag', { attributes: [`${CUSTOM_EXTENSION}:nickTag`] }, { ...base, [CUSTOM_EXTENSION]: { nickTag: 'babs' } }],
    [
      'attributes=whole custom extension still hides never',
      { attributes: [CUSTOM_EXTENSION] },
      { ...base, [CUSTOM_EXTENSION]: { folders: ['Inbox'], nickTag: 'babs', vip: true } },
    ],
    [
      'attributes=core URN selects core attributes',
      { attributes: [USER_SCHEMA] },
      (() => {
        const r = resource() as Record<string, unknown>;
        delete r.password;
        delete r[ENT];
        delete r[CUSTOM_EXTENSION];
        return r;
      })(),
    ],
    ['attributes with blanks around', { attributes: [' userName '] }, { ...base, userName: 'bjensen@example.com' }],
    ['attributes=groups', { attributes: ['groups'] }, { ...base, groups: resource().groups }],
    [
      'attributes=userName,displayName,active',
      { attributes: ['userName', 'displayName', 'active'] },
      { ...base, userName: 'bjensen@example.com', displayName: 'Babs Jensen', active: true },
    ],
  ];
  it.each(rows)('%s', (_name, opts, expected) => {
    expect(projectResource(resource(), userTypes, opts)).toEqual(expected);
  });

  type ExRow = [string, string[], (r: Record<string, any>) => void];
  const exRows: ExRow[] = [
    ['excludedAttributes=emails', ['emails'], (r) => delete r.emails],
    ['excludedAttributes=EMAILS', ['EMAILS'], (r) => delete r.emails],
    ['excludedAttributes=name.givenName', ['name.givenName'], (r) => delete r.name.givenName],
    ['excludedAttributes=emails.type', ['emails.type'], (r) => r.emails.forEach((e: any) => delete e.type)],
    ['excludedAttributes=id (always) is ignored', ['id'], () => undefined],
    ['excludedAttributes=meta', ['meta'], (r) => delete r.meta],
    ['excludedAttributes=groups', ['groups'], (r) => delete r.groups],
    ['excludedAttributes=enterprise department', [`${ENT}:department`], (r) => delete r[ENT].department],
    ['excludedAttributes=enterprise manager.displayName', [`${ENT}:manager.displayName`], (r) => delete r[ENT].manager.displayName],
    ['excludedAttributes=whole enterprise extension', [ENT], (r) => delete r[ENT]],
    [
      'excludedAttributes=custom folders,vip empties and drops the extension',
      [`${CUSTOM_EXTENSION}:folders`, `${CUSTOM_EXTENSION}:vip`],
      (r) => delete r[CUSTOM_EXTENSION],
    ],
    ['excludedAttributes=unknown is ignored', ['shoeSize'], () => undefined],
    [
      'excludedAttributes=name.formatted,name.familyName,name.givenName drops name',
      ['name.formatted', 'name.familyName', 'name.givenName'],
      (r) => delete r.name,
    ],
  ];
  it.each(exRows)('%s', (_name, excludedAttributes, edit) => {
    const expected = projectResource(resource(), userTypes, {}) as Record<string, any>;
    edit(expected);
    expect(projectResource(resource(), userTypes, { excludedAttributes })).toEqual(expected);
  });

  it('applies excludedAttributes after attributes', () => {
    expect(projectResource(resource(), userTypes, { attributes: ['name'], excludedAttributes: ['name.formatted'] })).toEqual({
      ...base,
      name: { familyName: 'Jensen', givenName: 'Barbara' },
    });
  });

  it('treats empty lists as absent', () => {
    expect(projectResource(resource(), userTypes, { attributes: [], excludedAttributes: [] })).toEqual(projectResource(resource(), userTypes));
  });

  it('omits unassigned values', () => {
    expect(projectResource({ schemas: [USER_SCHEMA], id: 'x', userName: 'u', emails: [], name: {}, title: null }, userTypes)).toEqual({
      schemas: [USER_SCHEMA],
      id: 'x',
      userName: 'u',
    });
  });
});
