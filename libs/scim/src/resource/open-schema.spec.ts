/**
 * Tenant extensions as the workforce product's Entra setup uses them: `…:CustomExtensionName:folders` (a declared
 * multi-valued string) and `…:Metadata:<key>` (an open schema: any key, string values, other JSON types as strings),
 * through validation, PATCH, projection and both filter engines.
 */
import { ScimError } from '../errors';
import { compileFilterToSql, matchesFilter, parseFilter } from '../filter';
import { parsePatchRequest, PATCH_OP_SCHEMA } from '../patch/patch-request';
import { applyPatch } from '../patch/apply-patch';
import { validateSchemaRegistration } from '../schema/schema-registration';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from '../schema/user.schema';
import { normalizeResource } from './normalize';
import { projectResource } from './project';
import { ResourceTypeSchemas, userResourceTypeFor, userResourceTypeSchemas } from './types';

const FOLDERS = 'urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName';
const METADATA = 'urn:ietf:params:scim:schemas:extension:2.0:Metadata';
const folders = validateSchemaRegistration({ id: FOLDERS, name: 'CustomExtensionName', attributes: [{ name: 'folders', type: 'string', multiValued: true }] });
const metadata = validateSchemaRegistration({ id: METADATA, name: 'Metadata', additionalStringAttributes: true });
const types: ResourceTypeSchemas = userResourceTypeFor([folders, metadata]);

/** What Entra sends with the product's custom mappings: flat URN-path keys, a non-string metadata value. */
const entraBody = () => ({
  schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
  userName: 'ada@contoso.example',
  active: true,
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  [`${FOLDERS}:folders`]: ['f1', 'f2'],
  [`${METADATA}:costCode`]: 42,
  [`${METADATA}:region`]: 'EMEA',
  [`${METADATA}:isContractor`]: false,
});

const stored = () => normalizeResource(entraBody(), types, 'create');
const patch = (doc: Record<string, unknown>, ...Operations: object[]) =>
  applyPatch(doc, parsePatchRequest({ schemas: [PATCH_OP_SCHEMA], Operations }), types).document;

function scimError(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ScimError) return e;
    throw e;
  }
  throw new Error('expected a ScimError');
}

describe('normalizeResource with tenant extensions', () => {
  it('stores flat URN keys under their schema, metadata values as strings', () => {
    expect(stored()).toEqual({
      schemas: [USER_SCHEMA, FOLDERS, METADATA],
      userName: 'ada@contoso.example',
      active: true,
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      [FOLDERS]: { folders: ['f1', 'f2'] },
      [METADATA]: { costCode: '42', region: 'EMEA', isContractor: 'false' },
    });
  });

  type Row = [string, unknown, unknown];
  const conversions: Row[] = [
    ['string', 'x', 'x'],
    ['empty string', '', ''],
    ['integer', 7, '7'],
    ['decimal', 1.5, '1.5'],
    ['true', true, 'true'],
    ['object', { a: 1 }, '{"a":1}'],
    ['array', ['a', 1], '["a",1]'],
  ];
  it.each(conversions)('converts a %s metadata value to a string', (_name, value, expected) => {
    const doc = normalizeResource({ schemas: [USER_SCHEMA], userName: 'a', [`${METADATA}:k`]: value }, types, 'create');
    expect(doc[METADATA]).toEqual({ k: expected });
  });

  it('treats a null metadata value as unassigned', () => {
    const doc = normalizeResource({ schemas: [USER_SCHEMA], userName: 'a', [`${METADATA}:k`]: null }, types, 'create');
    expect(doc).not.toHaveProperty(METADATA);
  });

  it('accepts the nested form and the schema URNs in schemas', () => {
    const doc = normalizeResource(
      { schemas: [USER_SCHEMA, FOLDERS, METADATA], userName: 'a', [FOLDERS]: { folders: ['x'] }, [METADATA]: { costCode: 1 } },
      types,
      'create',
    );
    expect(doc).toMatchObject({ [FOLDERS]: { folders: ['x'] }, [METADATA]: { costCode: '1' } });
  });

  type Bad = [string, Record<string, unknown>, RegExp];
  const bad: Bad[] = [
    ['folders as one string', { [`${FOLDERS}:folders`]: 'f1,f2' }, /folders' is multi-valued/],
    ['folders holding a number', { [`${FOLDERS}:folders`]: ['f1', 2] }, /folders\[1\]' must be a string/],
    ['an undeclared attribute of a closed extension', { [`${FOLDERS}:color`]: 'red' }, /Unknown attribute/],
    ['a metadata key that is not an attribute name', { [`${METADATA}:cost code`]: 'x' }, /Unknown attribute/],
    ['a metadata sub-attribute', { [`${METADATA}:cost.code`]: 'x' }, /Unknown attribute/],
  ];
  it.each(bad)('rejects %s', (_name, extra, detail) => {
    const e = scimError(() => normalizeResource({ schemas: [USER_SCHEMA], userName: 'a', ...extra }, types, 'create'));
    expect([e.status, e.scimType]).toEqual([400, 'invalidValue']);
    expect(e.detail).toMatch(detail);
  });

  it('rejects the extensions for a tenant that did not register them', () => {
    const e = scimError(() => normalizeResource(entraBody(), userResourceTypeSchemas, 'create'));
    expect([e.status, e.scimType]).toEqual([400, 'invalidValue']);
    expect(e.detail).toMatch(/Unknown schema in attribute 'urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName:folders'/);
  });
});

describe('applyPatch on tenant extensions', () => {
  type Row = [string, object[], Record<string, unknown> | undefined, Record<string, unknown> | undefined];
  const rows: Row[] = [
    ['replace folders by URN path', [{ op: 'Replace', path: `${FOLDERS}:folders`, value: ['f3'] }], { folders: ['f3'] }, undefined],
    ['add a folder', [{ op: 'Add', path: `${FOLDERS}:folders`, value: ['f3'] }], { folders: ['f1', 'f2', 'f3'] }, undefined],
    ['add one folder as a bare value', [{ op: 'add', path: `${FOLDERS}:folders`, value: 'f3' }], { folders: ['f1', 'f2', 'f3'] }, undefined],
    ['remove one folder by value filter', [{ op: 'Remove', path: `${FOLDERS}:folders[value eq "f1"]` }], { folders: ['f2'] }, undefined],
    ['remove all folders', [{ op: 'Remove', path: `${FOLDERS}:folders` }], undefined, undefined],
    [
      'replace a metadata key with a number',
      [{ op: 'Replace', path: `${METADATA}:costCode`, value: 7 }],
      undefined,
      { costCode: '7', region: 'EMEA', isContractor: 'false' },
    ],
    [
      'add a new metadata key',
      [{ op: 'Add', path: `${METADATA}:site`, value: 'Berlin' }],
      undefined,
      { costCode: '42', region: 'EMEA', isContractor: 'false', site: 'Berlin' },
    ],
    ['remove a metadata key', [{ op: 'Remove', path: `${METADATA}:region` }], undefined, { costCode: '42', isContractor: 'false' }],
    [
      'no-path replace with flat URN keys (Entra)',
      [{ op: 'Replace', value: { [`${METADATA}:costCode`]: 8, [`${FOLDERS}:folders`]: ['a'] } }],
      { folders: ['a'] },
      { costCode: '8', region: 'EMEA', isContractor: 'false' },
    ],
    [
      'replace of the whole open extension',
      [{ op: 'replace', path: METADATA, value: { a: 'x', b: true } }],
      undefined,
      { costCode: '42', region: 'EMEA', isContractor: 'false', a: 'x', b: 'true' },
    ],
    ['remove of the whole open extension', [{ op: 'remove', path: METADATA }], undefined, undefined],
  ];
  it.each(rows)('%s', (_name, ops, expectedFolders, expectedMetadata) => {
    const doc = patch(stored(), ...ops);
    const f = expectedFolders ?? (ops.some((o) => JSON.stringify(o).includes(FOLDERS)) ? undefined : { folders: ['f1', 'f2'] });
    expect(doc[FOLDERS]).toEqual(f);
    const m =
      expectedMetadata ?? (ops.some((o) => JSON.stringify(o).includes(METADATA)) ? undefined : { costCode: '42', region: 'EMEA', isContractor: 'false' });
    expect(doc[METADATA]).toEqual(m);
    // `schemas` lists exactly the extensions that hold data
    expect(doc.schemas).toEqual([USER_SCHEMA, ...(f ? [FOLDERS] : []), ...(m ? [METADATA] : [])]);
  });

  it('keeps the extension data when patching core attributes', () => {
    const doc = patch(stored(), { op: 'Replace', path: 'active', value: 'False' });
    expect(doc).toMatchObject({ active: false, [FOLDERS]: { folders: ['f1', 'f2'] }, [METADATA]: { costCode: '42' } });
  });

  type Bad = [string, object, string, RegExp];
  const bad: Bad[] = [
    ['an undeclared attribute of a closed extension', { op: 'add', path: `${FOLDERS}:color`, value: 'x' }, 'invalidPath', /Unknown attribute 'color'/],
    ['an unknown extension', { op: 'add', path: 'urn:x:y:z', value: 'x' }, 'invalidPath', /Unknown schema/],
    ['a metadata sub-attribute', { op: 'add', path: `${METADATA}:costCode.x`, value: 'x' }, 'invalidPath', /has no sub-attributes/],
    ['folders holding an object', { op: 'add', path: `${FOLDERS}:folders`, value: [{ a: 1 }] }, 'invalidValue', /must be a string/],
  ];
  it.each(bad)('rejects %s', (_name, op, scimType, detail) => {
    const e = scimError(() => patch(stored(), op));
    expect([e.status, e.scimType]).toEqual([400, scimType]);
    expect(e.detail).toMatch(detail);
  });
});

describe('projectResource with tenant extensions', () => {
  const resource = () => ({ id: '1', ...stored() });
  type Row = [string, { attributes?: string[]; excludedAttributes?: string[] }, Record<string, unknown>];
  const rows: Row[] = [
    ['everything by default', {}, { [FOLDERS]: { folders: ['f1', 'f2'] }, [METADATA]: { costCode: '42', region: 'EMEA', isContractor: 'false' } }],
    ['one metadata key', { attributes: [`${METADATA}:costCode`] }, { [METADATA]: { costCode: '42' } }],
    ['the whole open extension', { attributes: [METADATA] }, { [METADATA]: { costCode: '42', region: 'EMEA', isContractor: 'false' } }],
    ['folders only', { attributes: [`${FOLDERS}:folders`] }, { [FOLDERS]: { folders: ['f1', 'f2'] } }],
    [
      'excluding one metadata key',
      { excludedAttributes: [`${METADATA}:region`] },
      { [FOLDERS]: { folders: ['f1', 'f2'] }, [METADATA]: { costCode: '42', isContractor: 'false' } },
    ],
    ['excluding the open extension', { excludedAttributes: [METADATA] }, { [FOLDERS]: { folders: ['f1', 'f2'] } }],
    ['excluding folders', { excludedAttributes: [`${FOLDERS}:folders`] }, { [METADATA]: { costCode: '42', region: 'EMEA', isContractor: 'false' } }],
  ];
  it.each(rows)('%s', (_name, opts, extensions) => {
    const out = projectResource(resource(), types, opts);
    expect({ [FOLDERS]: out[FOLDERS], [METADATA]: out[METADATA] }).toEqual({ [FOLDERS]: undefined, [METADATA]: undefined, ...extensions });
    expect(out.id).toBe('1');
  });
});

describe('filters on tenant extensions', () => {
  const doc = () => ({ id: '1', ...stored() });
  const target = {
    schemas: [types.core, ...types.extensions],
    document: 'u.document',
    columns: {},
  };
  type Row = [string, boolean];
  const rows: Row[] = [
    [`${FOLDERS}:folders eq "f1"`, true],
    [`${FOLDERS}:folders eq "F2"`, true],
    [`${FOLDERS}:folders eq "f3"`, false],
    [`${FOLDERS}:folders sw "f"`, true],
    [`${FOLDERS}:folders pr`, true],
    [`${METADATA}:costCode eq "42"`, true],
    [`${METADATA}:region eq "emea"`, true],
    [`${METADATA}:site pr`, false],
    [`${METADATA}:isContractor eq "false"`, true],
    [`${METADATA}:costCode eq "42" and ${FOLDERS}:folders eq "f2"`, true],
  ];
  it.each(rows)('%s → %s (matcher, and compiles to parameterised SQL)', (filter, expected) => {
    expect(matchesFilter(parseFilter(filter), doc(), { schemas: [types.core, ...types.extensions] })).toBe(expected);
    const sql = compileFilterToSql(parseFilter(filter), target);
    expect(sql.params).toEqual(expect.arrayContaining([expect.stringMatching(/^urn:/)]));
    expect(sql.sql).not.toContain('urn:');
  });

  it('rejects unknown extension attributes in strict SQL', () => {
    const e = scimError(() => compileFilterToSql(parseFilter(`${FOLDERS}:color eq "x"`), target));
    expect([e.status, e.scimType]).toEqual([400, 'invalidFilter']);
  });
});
