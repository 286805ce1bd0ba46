import fc from 'fast-check';
import { ScimError } from '../errors';
import { attr as def, SchemaDefinition } from '../schema/attribute';
import { enterpriseUserSchema, userSchema } from '../schema/user.schema';
import { DATE_TIME_PATTERN } from './semantics';
import { compareSortKeys, compileSortToSql, parseSort, sortKeyValue, SortSpec } from './sort';
import { SqlFilterTarget } from './sql';
import { ENTERPRISE } from './test-helpers';

const CUSTOM = 'urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName';
const METADATA = 'urn:ietf:params:scim:schemas:extension:2.0:Metadata';
const customSchema: SchemaDefinition = {
  id: CUSTOM,
  name: 'Custom',
  description: '',
  attributes: [
    def('folders', 'string', { multiValued: true }),
    def('level', 'integer'),
    def('badge', 'string', { caseExact: true }),
    def('hiredAt', 'dateTime'),
    def('verified', 'boolean'),
    def('photo', 'binary'),
  ],
};
const metadataSchema: SchemaDefinition = { id: METADATA, name: 'Metadata', description: '', attributes: [], additionalStringAttributes: true };

const target: SqlFilterTarget = {
  schemas: [userSchema, enterpriseUserSchema, customSchema, metadataSchema],
  document: 'u.document',
  columns: {
    id: { sql: 'u.id::text', type: 'string', caseExact: true },
    username: { sql: 'u.user_name', type: 'string', caseExact: false },
    externalid: { sql: 'u.external_id', type: 'string', caseExact: true },
    active: { sql: 'u.active', type: 'boolean', caseExact: false },
    'meta.created': { sql: 'u.created_at', type: 'dateTime', caseExact: false },
    'meta.lastmodified': { sql: 'u.updated_at', type: 'dateTime', caseExact: false },
  },
};

const sort = (sortBy: string, sortOrder?: string) => parseSort(sortBy, sortOrder) as SortSpec;
const compile = (sortBy: string, sortOrder?: string, offset = 0, lenient = false) => compileSortToSql(sort(sortBy, sortOrder), target, offset, lenient);

function scimError(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ScimError) return e;
    throw e;
  }
  throw new Error('expected a ScimError');
}

const ELEMENT = (expr: string) =>
  `(SELECT s.v FROM jsonb_array_elements((CASE WHEN jsonb_typeof(${expr}) = 'array' THEN ${expr} ` +
  `WHEN jsonb_typeof(${expr}) IN ('object', 'string', 'number', 'boolean') THEN jsonb_build_array(${expr}) ELSE '[]'::jsonb END)) ` +
  `WITH ORDINALITY AS s(v, n) ORDER BY (CASE WHEN jsonb_typeof(s.v) = 'object' AND s.v -> 'primary' = 'true'::jsonb THEN 0 ELSE 1 END), s.n LIMIT 1)`;
const TEXT = (e: string) => `(CASE WHEN jsonb_typeof(${e}) = 'string' THEN ${e} #>> '{}' END)`;

describe('parseSort', () => {
  type Row = [string, unknown, unknown, SortSpec | undefined];
  const rows: Row[] = [
    ['no sortBy', undefined, undefined, undefined],
    ['empty sortBy', '', undefined, undefined],
    ['sortOrder alone', undefined, 'descending', undefined],
    ['attribute, default order', 'userName', undefined, { attribute: { attribute: 'userName' }, order: 'ascending' }],
    ['ascending', 'userName', 'ascending', { attribute: { attribute: 'userName' }, order: 'ascending' }],
    ['descending', 'userName', 'descending', { attribute: { attribute: 'userName' }, order: 'descending' }],
    ['order is case-insensitive', 'userName', 'Descending', { attribute: { attribute: 'userName' }, order: 'descending' }],
    ['empty order', 'userName', '', { attribute: { attribute: 'userName' }, order: 'ascending' }],
    ['sub-attribute', 'name.familyName', undefined, { attribute: { attribute: 'name', subAttribute: 'familyName' }, order: 'ascending' }],
    ['surrounding spaces', ' userName ', undefined, { attribute: { attribute: 'userName' }, order: 'ascending' }],
    [
      'extension URN',
      `${ENTERPRISE}:manager.value`,
      'descending',
      { attribute: { schema: ENTERPRISE, attribute: 'manager', subAttribute: 'value' }, order: 'descending' },
    ],
  ];
  it.each(rows)('%s', (_name, sortBy, sortOrder, expected) => {
    expect(parseSort(sortBy, sortOrder)).toEqual(expected);
  });

  type Bad = [string, unknown, unknown, RegExp];
  const bad: Bad[] = [
    ['unknown order', 'userName', 'up', /sortOrder must be "ascending" or "descending"/],
    ['order not a string', 'userName', 1, /sortOrder must be/],
    ['sortBy not a string', ['userName'], undefined, /sortBy must be a string/],
    ['a value filter', 'emails[type eq "work"].value', undefined, /cannot hold a filter/],
    ['a space inside', 'user Name', undefined, /Invalid sortBy 'user Name'/],
    ['an expression', 'userName eq "x"', undefined, /Invalid sortBy/],
    ['a bad character', 'user;Name', undefined, /Invalid sortBy/],
    ['a quote', "userName'--", undefined, /Invalid sortBy/],
    ['three parts', 'a.b.c', undefined, /Invalid sortBy/],
  ];
  it.each(bad)('rejects %s with 400 invalidValue', (_name, sortBy, sortOrder, detail) => {
    const e = scimError(() => parseSort(sortBy, sortOrder));
    expect([e.status, e.scimType]).toEqual([400, 'invalidValue']);
    expect(e.detail).toMatch(detail);
  });
});

describe('compileSortToSql', () => {
  type Row = [string, string, string | undefined, string, unknown[], string];
  const rows: Row[] = [
    ['userName column, case-insensitive', 'userName', undefined, `(lower(u.user_name) COLLATE "C") ASC NULLS LAST`, [], 'string'],
    ['userName descending', 'userName', 'descending', `(lower(u.user_name) COLLATE "C") DESC NULLS FIRST`, [], 'string'],
    ['attribute names are case-insensitive', 'USERNAME', undefined, `(lower(u.user_name) COLLATE "C") ASC NULLS LAST`, [], 'string'],
    ['id column, case-exact', 'id', undefined, `(u.id::text COLLATE "C") ASC NULLS LAST`, [], 'string'],
    ['externalId column, case-exact', 'externalId', 'descending', `(u.external_id COLLATE "C") DESC NULLS FIRST`, [], 'string'],
    ['meta.created column', 'meta.created', undefined, `u.created_at ASC NULLS LAST`, [], 'dateTime'],
    ['meta.lastModified column', 'meta.lastModified', 'descending', `u.updated_at DESC NULLS FIRST`, [], 'dateTime'],
    ['active column', 'active', undefined, `u.active ASC NULLS LAST`, [], 'boolean'],
    [
      'fully qualified core name',
      'urn:ietf:params:scim:schemas:core:2.0:User:userName',
      undefined,
      `(lower(u.user_name) COLLATE "C") ASC NULLS LAST`,
      [],
      'string',
    ],
    [
      'jsonb string, case-insensitive',
      'displayName',
      undefined,
      `(lower(${TEXT('(u.document -> $1::text)')}) COLLATE "C") ASC NULLS LAST`,
      ['displayName'],
      'string',
    ],
    [
      'sub-attribute of a complex attribute',
      'name.familyName',
      'descending',
      `(lower(${TEXT('((u.document -> $1::text) -> $2::text)')}) COLLATE "C") DESC NULLS FIRST`,
      ['name', 'familyName'],
      'string',
    ],
    [
      'multi-valued complex: primary or first value',
      'emails',
      undefined,
      `(lower(${TEXT(`(${ELEMENT('(u.document -> $1::text)')} -> $2::text)`)}) COLLATE "C") ASC NULLS LAST`,
      ['emails', 'value'],
      'string',
    ],
    [
      'sub-attribute of a multi-valued attribute',
      'emails.type',
      undefined,
      `(lower(${TEXT(`(${ELEMENT('(u.document -> $1::text)')} -> $2::text)`)}) COLLATE "C") ASC NULLS LAST`,
      ['emails', 'type'],
      'string',
    ],
    [
      'enterprise attribute',
      `${ENTERPRISE}:department`,
      undefined,
      `(lower(${TEXT('((u.document -> $1::text) -> $2::text)')}) COLLATE "C") ASC NULLS LAST`,
      [ENTERPRISE, 'department'],
      'string',
    ],
    [
      'unqualified enterprise attribute',
      'employeeNumber',
      undefined,
      `(lower(${TEXT('((u.document -> $1::text) -> $2::text)')}) COLLATE "C") ASC NULLS LAST`,
      [ENTERPRISE, 'employeeNumber'],
      'string',
    ],
    [
      'multi-valued string of a tenant extension',
      `${CUSTOM}:folders`,
      undefined,
      `(lower(${TEXT(ELEMENT('((u.document -> $1::text) -> $2::text)'))}) COLLATE "C") ASC NULLS LAST`,
      [CUSTOM, 'folders'],
      'string',
    ],
    [
      'case-exact string',
      `${CUSTOM}:badge`,
      undefined,
      `(${TEXT('((u.document -> $1::text) -> $2::text)')} COLLATE "C") ASC NULLS LAST`,
      [CUSTOM, 'badge'],
      'string',
    ],
    [
      'binary is case-exact',
      `${CUSTOM}:photo`,
      undefined,
      `(${TEXT('((u.document -> $1::text) -> $2::text)')} COLLATE "C") ASC NULLS LAST`,
      [CUSTOM, 'photo'],
      'string',
    ],
    [
      'integer',
      `${CUSTOM}:level`,
      'descending',
      `(CASE WHEN jsonb_typeof(((u.document -> $1::text) -> $2::text)) = 'number' THEN (((u.document -> $1::text) -> $2::text) #>> '{}')::numeric END) DESC NULLS FIRST`,
      [CUSTOM, 'level'],
      'number',
    ],
    [
      'boolean in the document (also "True"/"False")',
      `${CUSTOM}:verified`,
      undefined,
      `(CASE WHEN lower(((u.document -> $1::text) -> $2::text) #>> '{}') IN ('true', 'false') THEN lower(((u.document -> $1::text) -> $2::text) #>> '{}')::boolean END) ASC NULLS LAST`,
      [CUSTOM, 'verified'],
      'boolean',
    ],
    [
      'dateTime in the document',
      `${CUSTOM}:hiredAt`,
      undefined,
      `(CASE WHEN jsonb_typeof(((u.document -> $1::text) -> $2::text)) = 'string' AND (((u.document -> $1::text) -> $2::text) #>> '{}') ~ '${DATE_TIME_PATTERN}' THEN (((u.document -> $1::text) -> $2::text) #>> '{}')::timestamptz END) ASC NULLS LAST`,
      [CUSTOM, 'hiredAt'],
      'dateTime',
    ],
    [
      "an open schema's undeclared attribute",
      `${METADATA}:costCode`,
      undefined,
      `(lower(${TEXT('((u.document -> $1::text) -> $2::text)')}) COLLATE "C") ASC NULLS LAST`,
      [METADATA, 'costCode'],
      'string',
    ],
  ];
  it.each(rows)('%s', (_name, sortBy, sortOrder, orderBy, params, kind) => {
    const compiled = compile(sortBy, sortOrder);
    expect(compiled.orderBy).toBe(orderBy);
    expect(compiled.params).toEqual(params);
    expect(compiled.kind).toBe(kind);
    expect(orderBy.startsWith(compiled.expression)).toBe(true);
  });

  it('numbers placeholders after the filter parameters', () => {
    const compiled = compile('name.givenName', undefined, 3);
    expect(compiled.expression).toContain('$4::text');
    expect(compiled.expression).toContain('$5::text');
    expect(compiled.expression).not.toContain('$1::');
  });

  type Bad = [string, string, RegExp];
  const bad: Bad[] = [
    ['unknown attribute', 'nickname2', /unknown attribute 'nickname2'/],
    ['unknown sub-attribute', 'name.nick', /has no sub-attribute 'nick'/],
    ['sub-attribute of a simple attribute', 'displayName.x', /has no sub-attributes/],
    ['unknown schema', 'urn:x:y:userName', /unknown schema 'urn:x:y'/],
    ['unknown attribute of an extension', `${ENTERPRISE}:floor`, /unknown attribute 'floor'/],
    ['a single-valued complex attribute', 'name', /'name' is complex; sort by one of its sub-attributes/],
    ['enterprise manager without sub-attribute', `${ENTERPRISE}:manager`, /'manager' is complex/],
    ['meta.version (not stored in the document)', 'meta.version', /cannot be used for sorting/],
    ['meta (not stored in the document)', 'meta.resourceType', /cannot be used for sorting/],
  ];
  it.each(bad)('rejects %s with 400 invalidValue', (_name, sortBy, detail) => {
    const e = scimError(() => compile(sortBy));
    expect([e.status, e.scimType]).toEqual([400, 'invalidValue']);
    expect(e.detail).toMatch(detail);
  });

  it('sorts an unknown attribute as having no value when lenient (search across resource types)', () => {
    expect(compile('members.value', undefined, 0, true)).toEqual({ expression: 'NULL::text', orderBy: 'NULL::text ASC NULLS LAST', params: [], kind: 'none' });
    expect(compile('members.value', 'descending', 0, true).orderBy).toBe('NULL::text DESC NULLS FIRST');
  });

  it('never puts client text into the SQL: names only choose templates, JSON keys are parameters', () => {
    const nameChars = fc.constantFrom(...'abcXYZ019_-'.split(''));
    const name = fc.tuple(fc.constantFrom('a', 'Q', 'z'), fc.string({ unit: nameChars, maxLength: 10 })).map(([h, t]) => h + t);
    fc.assert(
      fc.property(name, fc.option(name, { nil: undefined }), fc.constantFrom('ascending', 'descending'), (attribute, sub, order) => {
        const sortBy = `${METADATA}:${attribute}${sub ? `.${sub}` : ''}`;
        let compiled;
        try {
          compiled = compileSortToSql(sort(sortBy, order), target);
        } catch (e) {
          expect(e).toBeInstanceOf(ScimError);
          expect((e as ScimError).status).toBe(400);
          return;
        }
        expect(compiled.params).toContain(attribute);
        // The only identifiers in the SQL are our own: the marker 'zz' never is one of them.
        expect(compiled.orderBy.replace(/\$\d+::text/g, '')).not.toContain(`'${attribute}'`);
        expect(compiled.orderBy).not.toMatch(new RegExp(`[^$A-Za-z0-9_]${attribute}[^A-Za-z0-9_]`));
      }),
      { numRuns: 300 },
    );
  });
});

describe('compareSortKeys', () => {
  type Row = [string, unknown[], 'ascending' | 'descending', unknown[]];
  const rows: Row[] = [
    ['strings by code point', ['b', 'B', 'a', 'é', 'z'], 'ascending', ['B', 'a', 'b', 'z', 'é']],
    ['strings descending', ['b', 'a', 'c'], 'descending', ['c', 'b', 'a']],
    ['nulls last ascending', ['b', null, 'a', undefined], 'ascending', ['a', 'b', null, undefined]],
    ['nulls first descending', ['b', null, 'a'], 'descending', [null, 'b', 'a']],
    ['numbers', [10, 9, -1, 2.5], 'ascending', [-1, 2.5, 9, 10]],
    ['booleans false first', [true, false, true], 'ascending', [false, true, true]],
    ['astral code points after the BMP', ['\uffff', '😀', 'a'], 'ascending', ['a', '\uffff', '😀']],
  ];
  it.each(rows)('%s', (_name, input, order, expected) => {
    expect([...input].sort((a, b) => compareSortKeys(a, b, order))).toEqual(expected);
  });

  it('reads keys as node-postgres returns them', () => {
    expect(sortKeyValue('12.50', 'number')).toBe(12.5);
    expect(sortKeyValue(new Date('2024-01-01T00:00:00Z'), 'dateTime')).toBe(Date.parse('2024-01-01T00:00:00Z'));
    expect(sortKeyValue(null, 'string')).toBeNull();
    expect(sortKeyValue('abc', 'string')).toBe('abc');
    const keys = ['10', '9', '100'].map((k) => sortKeyValue(k, 'number'));
    expect(keys.sort((a, b) => compareSortKeys(a, b, 'ascending'))).toEqual([9, 10, 100]);
  });
});
