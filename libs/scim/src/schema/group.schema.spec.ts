import { ScimError } from '../errors';
import { parsePatchRequest } from '../patch/patch-request';
import { applyPatch } from '../patch/apply-patch';
import { normalizeResource } from '../resource/normalize';
import { projectResource } from '../resource/project';
import { ENTRA_GROUP_EXTENSION, GROUP_SCHEMA, groupResourceTypeSchemas as groupTypes } from './group.schema';

/** The create-group request of Microsoft's "Develop and plan provisioning for a SCIM endpoint" tutorial. */
const entraCreateGroup = () => ({
  schemas: [GROUP_SCHEMA, ENTRA_GROUP_EXTENSION],
  externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
  displayName: 'displayName',
  meta: { resourceType: 'Group' },
});

function scimErrorOf(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ScimError) return e;
    throw e;
  }
  throw new Error('expected a ScimError');
}

describe('Group schema: normalizing POST/PUT bodies', () => {
  it("stores Entra's create-group body without the ADSCIM schema URN and without meta", () => {
    expect(normalizeResource(entraCreateGroup(), groupTypes, 'create')).toEqual({
      schemas: [GROUP_SCHEMA],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'displayName',
    });
  });

  const accepted: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['minimal', { schemas: [GROUP_SCHEMA], displayName: 'Ops' }, { schemas: [GROUP_SCHEMA], displayName: 'Ops' }],
    ['schema URN in another case', { schemas: [GROUP_SCHEMA.toUpperCase()], displayName: 'Ops' }, { schemas: [GROUP_SCHEMA], displayName: 'Ops' }],
    [
      'ADSCIM URN in another case',
      { schemas: [GROUP_SCHEMA, ENTRA_GROUP_EXTENSION.toLowerCase()], displayName: 'Ops' },
      { schemas: [GROUP_SCHEMA], displayName: 'Ops' },
    ],
    [
      'an empty ADSCIM object is accepted and dropped',
      { schemas: [GROUP_SCHEMA], displayName: 'Ops', [ENTRA_GROUP_EXTENSION]: {} },
      { schemas: [GROUP_SCHEMA], displayName: 'Ops' },
    ],
    [
      'a null ADSCIM member is ignored',
      { schemas: [GROUP_SCHEMA], displayName: 'Ops', [ENTRA_GROUP_EXTENSION]: null },
      { schemas: [GROUP_SCHEMA], displayName: 'Ops' },
    ],
    [
      'attribute names are case-insensitive',
      { schemas: [GROUP_SCHEMA], DisplayName: 'Ops', EXTERNALID: 'e1' },
      { schemas: [GROUP_SCHEMA], externalId: 'e1', displayName: 'Ops' },
    ],
    [
      'id and meta are readOnly and ignored',
      { schemas: [GROUP_SCHEMA], id: 'x', meta: { version: 'W/"9"' }, displayName: 'Ops' },
      { schemas: [GROUP_SCHEMA], displayName: 'Ops' },
    ],
    [
      'members keep value, $ref and type; display (readOnly) is dropped',
      { schemas: [GROUP_SCHEMA], displayName: 'Ops', members: [{ value: 'u1', $ref: 'https://x/Users/u1', display: 'Ada', type: 'User' }] },
      { schemas: [GROUP_SCHEMA], displayName: 'Ops', members: [{ value: 'u1', $ref: 'https://x/Users/u1', type: 'User' }] },
    ],
    [
      "Entra's `$ref: null` member shape",
      { schemas: [GROUP_SCHEMA], displayName: 'Ops', members: [{ $ref: null, value: 'u1' }] },
      { schemas: [GROUP_SCHEMA], displayName: 'Ops', members: [{ value: 'u1' }] },
    ],
    ['an empty members array is unassigned', { schemas: [GROUP_SCHEMA], displayName: 'Ops', members: [] }, { schemas: [GROUP_SCHEMA], displayName: 'Ops' }],
    ['null members are unassigned', { schemas: [GROUP_SCHEMA], displayName: 'Ops', members: null }, { schemas: [GROUP_SCHEMA], displayName: 'Ops' }],
    [
      'member sub-attribute names are case-insensitive',
      { schemas: [GROUP_SCHEMA], displayName: 'Ops', members: [{ VALUE: 'u1' }] },
      { schemas: [GROUP_SCHEMA], displayName: 'Ops', members: [{ value: 'u1' }] },
    ],
    [
      'URN-qualified core attribute names',
      { schemas: [GROUP_SCHEMA], [`${GROUP_SCHEMA}:displayName`]: 'Ops' },
      { schemas: [GROUP_SCHEMA], displayName: 'Ops' },
    ],
  ];
  it.each(accepted)('%s', (_name, body, stored) => {
    expect(normalizeResource(body, groupTypes, 'create')).toEqual(stored);
    expect(normalizeResource(body, groupTypes, 'replace')).toEqual(stored);
  });

  const rejected: [string, unknown, string, RegExp][] = [
    ['no displayName', { schemas: [GROUP_SCHEMA] }, 'invalidValue', /displayName.*required/],
    ['blank displayName', { schemas: [GROUP_SCHEMA], displayName: '   ' }, 'invalidValue', /displayName.*required/],
    ['null displayName', { schemas: [GROUP_SCHEMA], displayName: null }, 'invalidValue', /displayName.*required/],
    ['displayName not a string', { schemas: [GROUP_SCHEMA], displayName: 42 }, 'invalidValue', /displayName/],
    ['schemas missing', { displayName: 'Ops' }, 'invalidValue', /schemas/],
    ['only the ADSCIM schema', { schemas: [ENTRA_GROUP_EXTENSION], displayName: 'Ops' }, 'invalidValue', /must include/],
    ['the User schema instead', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], displayName: 'Ops' }, 'invalidValue', /Unknown schema/],
    ['an unknown attribute', { schemas: [GROUP_SCHEMA], displayName: 'Ops', userName: 'x' }, 'invalidValue', /userName/],
    ['attributes under the ADSCIM URN', { schemas: [GROUP_SCHEMA], displayName: 'Ops', [ENTRA_GROUP_EXTENSION]: { foo: 1 } }, 'invalidValue', /foo/],
    ['members not an array', { schemas: [GROUP_SCHEMA], displayName: 'Ops', members: { value: 'u1' } }, 'invalidValue', /multi-valued/],
    ['a member that is a string', { schemas: [GROUP_SCHEMA], displayName: 'Ops', members: ['u1'] }, 'invalidValue', /members/],
    ['a member value that is a number', { schemas: [GROUP_SCHEMA], displayName: 'Ops', members: [{ value: 7 }] }, 'invalidValue', /members\[0\]\.value/],
    ['an unknown member sub-attribute', { schemas: [GROUP_SCHEMA], displayName: 'Ops', members: [{ value: 'u1', role: 'owner' }] }, 'invalidValue', /role/],
    ['not an object', [], 'invalidSyntax', /object/],
  ];
  it.each(rejected)('rejects %s', (_name, body, scimType, detail) => {
    const e = scimErrorOf(() => normalizeResource(body, groupTypes, 'create'));
    expect(e.status).toBe(400);
    expect(e.scimType).toBe(scimType);
    expect(e.detail).toMatch(detail);
  });
});

describe('Group schema: PATCH of the group’s own attributes', () => {
  const stored = { schemas: [GROUP_SCHEMA], externalId: 'e1', displayName: 'Ops' };
  const patch = (...Operations: object[]) =>
    applyPatch(stored, parsePatchRequest({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations }), groupTypes);

  const cases: [string, object[], Record<string, unknown>][] = [
    ['Replace displayName by path', [{ op: 'Replace', path: 'displayName', value: 'Ops 2' }], { ...stored, displayName: 'Ops 2' }],
    ['no-path Replace of displayName', [{ op: 'Replace', value: { displayName: 'Ops 3' } }], { ...stored, displayName: 'Ops 3' }],
    ['Add externalId', [{ op: 'add', path: 'externalId', value: 'e2' }], { ...stored, externalId: 'e2' }],
    ['Remove externalId', [{ op: 'remove', path: 'externalId' }], { schemas: [GROUP_SCHEMA], displayName: 'Ops' }],
  ];
  it.each(cases)('%s', (_name, ops, expected) => {
    expect(patch(...ops).document).toEqual(expected);
  });

  it('refuses to remove the required displayName (mutability)', () => {
    const e = scimErrorOf(() => patch({ op: 'remove', path: 'displayName' }));
    expect([e.status, e.scimType]).toEqual([400, 'mutability']);
  });
});

describe('Group schema: projection', () => {
  const group = {
    schemas: [GROUP_SCHEMA],
    id: 'g1',
    externalId: 'e1',
    displayName: 'Ops',
    members: [{ value: 'u1', $ref: 'https://x/Users/u1', display: 'Ada', type: 'User' }],
    meta: { resourceType: 'Group', version: 'W/"1"' },
  };
  const cases: [string, { attributes?: string[]; excludedAttributes?: string[] }, string[]][] = [
    ['everything by default', {}, ['schemas', 'id', 'externalId', 'displayName', 'members', 'meta']],
    ['excludedAttributes=members (Entra)', { excludedAttributes: ['members'] }, ['schemas', 'id', 'externalId', 'displayName', 'meta']],
    ['attributes=displayName keeps id', { attributes: ['displayName'] }, ['schemas', 'id', 'displayName']],
    ['attributes=members.value', { attributes: ['members.value'] }, ['schemas', 'id', 'members']],
  ];
  it.each(cases)('%s', (_name, opts, keys) => {
    expect(Object.keys(projectResource(group, groupTypes, opts))).toEqual(keys);
  });
});
