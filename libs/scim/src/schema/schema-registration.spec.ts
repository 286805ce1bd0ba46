import { ScimError } from '../errors';
import { incompatibleChanges, SCHEMA_SCHEMA, schemaRegistration, validateSchemaRegistration } from './schema-registration';
import { ENTERPRISE_USER_SCHEMA, enterpriseUserSchema, USER_SCHEMA, userSchema } from './user.schema';

const FOLDERS = 'urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName';
const METADATA = 'urn:ietf:params:scim:schemas:extension:2.0:Metadata';

const folders = () => ({
  id: FOLDERS,
  name: 'CustomExtensionName',
  description: 'Folders',
  attributes: [{ name: 'folders', type: 'string', multiValued: true }],
});

function problems(input: unknown, known: string[] = [USER_SCHEMA, ENTERPRISE_USER_SCHEMA]): string {
  try {
    validateSchemaRegistration(input, known);
  } catch (e) {
    expect(e).toBeInstanceOf(ScimError);
    expect((e as ScimError).status).toBe(400);
    expect((e as ScimError).scimType).toBe('invalidValue');
    return (e as ScimError).detail;
  }
  throw new Error('expected the registration to be rejected');
}

describe('validateSchemaRegistration: accepted', () => {
  it('fills in the RFC 7643 §2.2 defaults', () => {
    expect(validateSchemaRegistration(folders())).toEqual({
      id: FOLDERS,
      name: 'CustomExtensionName',
      description: 'Folders',
      attributes: [
        {
          name: 'folders',
          type: 'string',
          multiValued: true,
          required: false,
          caseExact: false,
          mutability: 'readWrite',
          returned: 'default',
          uniqueness: 'none',
        },
      ],
    });
  });

  it('accepts an open schema without attributes (Entra Metadata:<key> mappings)', () => {
    expect(validateSchemaRegistration({ id: METADATA, name: 'Metadata', additionalStringAttributes: true })).toEqual({
      id: METADATA,
      name: 'Metadata',
      description: '',
      attributes: [],
      additionalStringAttributes: true,
    });
  });

  it('accepts the representation /Schemas returns (schemas and meta members)', () => {
    const body = { schemas: [SCHEMA_SCHEMA], ...folders(), meta: { resourceType: 'Schema', location: 'x' } };
    expect(validateSchemaRegistration(body).id).toBe(FOLDERS);
  });

  type Row = [string, Record<string, unknown>, Record<string, unknown>];
  const rows: Row[] = [
    ['integer', { name: 'level', type: 'integer' }, { type: 'integer' }],
    ['decimal', { name: 'score', type: 'decimal' }, { type: 'decimal' }],
    ['boolean', { name: 'vip', type: 'boolean' }, { type: 'boolean' }],
    ['dateTime', { name: 'hiredAt', type: 'dateTime' }, { type: 'dateTime' }],
    ['binary', { name: 'photo', type: 'binary' }, { type: 'binary' }],
    ['reference', { name: 'site', type: 'reference', referenceTypes: ['external'] }, { referenceTypes: ['external'] }],
    ['caseExact, required', { name: 'badge', type: 'string', caseExact: true, required: true }, { caseExact: true, required: true }],
    ['immutable', { name: 'badge', type: 'string', mutability: 'immutable' }, { mutability: 'immutable' }],
    ['writeOnly gets returned never', { name: 'pin', type: 'string', mutability: 'writeOnly' }, { returned: 'never' }],
    ['returned request', { name: 'nick', type: 'string', returned: 'request' }, { returned: 'request' }],
    ['canonicalValues', { name: 'tier', type: 'string', canonicalValues: ['Premium', 'Standard'] }, { canonicalValues: ['Premium', 'Standard'] }],
    ['uniqueness none', { name: 'code', type: 'string', uniqueness: 'none' }, { uniqueness: 'none' }],
    ['name with digits, - and _', { name: 'cost_Code-2', type: 'string' }, { name: 'cost_Code-2' }],
    ['description', { name: 'a', type: 'string', description: 'An attribute' }, { description: 'An attribute' }],
    [
      'complex with sub-attributes',
      {
        name: 'badge',
        type: 'complex',
        subAttributes: [
          { name: 'value', type: 'string' },
          { name: 'issued', type: 'dateTime' },
        ],
      },
      { type: 'complex', subAttributes: [expect.objectContaining({ name: 'value' }), expect.objectContaining({ name: 'issued', type: 'dateTime' })] },
    ],
  ];
  it.each(rows)('%s', (_name, attribute, expected) => {
    const schema = validateSchemaRegistration({ id: FOLDERS, name: 'X', attributes: [attribute] });
    expect(schema.attributes[0]).toMatchObject(expected);
  });

  it('accepts ids of other URN namespaces', () => {
    expect(validateSchemaRegistration({ ...folders(), id: 'urn:contoso:scim:schemas:1.0:Employee' }).id).toBe('urn:contoso:scim:schemas:1.0:Employee');
  });
});

describe('validateSchemaRegistration: rejected', () => {
  type Row = [string, unknown, RegExp];
  const rows: Row[] = [
    ['not an object', [folders()], /must be a JSON object/],
    ['no id', { ...folders(), id: undefined }, /id: must be a URN/],
    ['id not a URN', { ...folders(), id: 'CustomExtensionName' }, /id: must be a URN/],
    ['id with a space', { ...folders(), id: 'urn:x:y z' }, /id: must be a URN/],
    ['id ending with a colon', { ...folders(), id: 'urn:x:y:' }, /id: must be a URN/],
    ['id of the core User schema', { ...folders(), id: USER_SCHEMA }, /reserved/],
    ['id under the core namespace', { ...folders(), id: 'urn:ietf:params:scim:schemas:core:2.0:Device' }, /reserved/],
    ['id of the enterprise extension', { ...folders(), id: ENTERPRISE_USER_SCHEMA }, /reserved/],
    ['id of an API message', { ...folders(), id: 'urn:ietf:params:scim:api:messages:2.0:PatchOp' }, /reserved/],
    ['id too long', { ...folders(), id: `urn:x:${'a'.repeat(300)}` }, /at most 256/],
    ['no name', { ...folders(), name: '' }, /name: must be a non-empty string/],
    ['name not a string', { ...folders(), name: 3 }, /name: must be a non-empty string/],
    ['description not a string', { ...folders(), description: ['x'] }, /description: must be a string/],
    ['unknown member', { ...folders(), extra: 1 }, /extra: unknown member/],
    ['wrong schemas member', { ...folders(), schemas: ['urn:x'] }, /schemas: must be omitted/],
    ['additionalStringAttributes not boolean', { ...folders(), additionalStringAttributes: 'yes' }, /additionalStringAttributes: must be true or false/],
    ['attributes not an array', { ...folders(), attributes: {} }, /attributes: must be an array/],
    ['no attributes and closed', { ...folders(), attributes: [] }, /at least one attribute/],
    ['too many attributes', { ...folders(), attributes: Array.from({ length: 101 }, (_, i) => ({ name: `a${i}`, type: 'string' })) }, /at most 100 attributes/],
    ['attribute not an object', { ...folders(), attributes: ['folders'] }, /attributes\[0\]: must be an object/],
    ['attribute name starting with a digit', { ...folders(), attributes: [{ name: '1folders', type: 'string' }] }, /attributes\[0\]\.name/],
    ['attribute name with a dot', { ...folders(), attributes: [{ name: 'a.b', type: 'string' }] }, /attributes\[0\]\.name/],
    ['attribute name with a colon', { ...folders(), attributes: [{ name: 'a:b', type: 'string' }] }, /attributes\[0\]\.name/],
    ['attribute name $ref', { ...folders(), attributes: [{ name: '$ref', type: 'reference' }] }, /attributes\[0\]\.name/],
    ['attribute without type', { ...folders(), attributes: [{ name: 'a' }] }, /attributes\[0\]\.type: must be one of/],
    ['unknown type', { ...folders(), attributes: [{ name: 'a', type: 'text' }] }, /attributes\[0\]\.type: must be one of/],
    ['multiValued not boolean', { ...folders(), attributes: [{ name: 'a', type: 'string', multiValued: 'true' }] }, /multiValued: must be true or false/],
    ['caseExact not boolean', { ...folders(), attributes: [{ name: 'a', type: 'string', caseExact: 1 }] }, /caseExact: must be true or false/],
    ['required not boolean', { ...folders(), attributes: [{ name: 'a', type: 'string', required: 'no' }] }, /required: must be true or false/],
    ['misspelled member', { ...folders(), attributes: [{ name: 'a', type: 'string', multivalued: true }] }, /attributes\[0\]\.multivalued: unknown member/],
    ['unknown mutability', { ...folders(), attributes: [{ name: 'a', type: 'string', mutability: 'writeable' }] }, /mutability: must be one of/],
    ['unknown returned', { ...folders(), attributes: [{ name: 'a', type: 'string', returned: 'sometimes' }] }, /returned: must be one of/],
    [
      'writeOnly returned',
      { ...folders(), attributes: [{ name: 'a', type: 'string', mutability: 'writeOnly', returned: 'default' }] },
      /must be 'never' for a writeOnly/,
    ],
    ['uniqueness server', { ...folders(), attributes: [{ name: 'a', type: 'string', uniqueness: 'server' }] }, /only 'none' is supported/],
    [
      'duplicate names',
      {
        ...folders(),
        attributes: [
          { name: 'a', type: 'string' },
          { name: 'A', type: 'integer' },
        ],
      },
      /'A' is given more than once/,
    ],
    ['complex without sub-attributes', { ...folders(), attributes: [{ name: 'a', type: 'complex' }] }, /needs a non-empty array of sub-attributes/],
    ['complex with empty sub-attributes', { ...folders(), attributes: [{ name: 'a', type: 'complex', subAttributes: [] }] }, /needs a non-empty array/],
    [
      'nested complex',
      {
        ...folders(),
        attributes: [{ name: 'a', type: 'complex', subAttributes: [{ name: 'b', type: 'complex', subAttributes: [{ name: 'c', type: 'string' }] }] }],
      },
      /subAttributes\[0\]\.type: a sub-attribute cannot be complex/,
    ],
    [
      'sub-attributes on a string',
      { ...folders(), attributes: [{ name: 'a', type: 'string', subAttributes: [{ name: 'b', type: 'string' }] }] },
      /only a 'complex' attribute has sub-attributes/,
    ],
    [
      'duplicate sub-attributes',
      {
        ...folders(),
        attributes: [
          {
            name: 'a',
            type: 'complex',
            subAttributes: [
              { name: 'b', type: 'string' },
              { name: 'B', type: 'string' },
            ],
          },
        ],
      },
      /'B' is given more than once/,
    ],
    [
      'referenceTypes on a string',
      { ...folders(), attributes: [{ name: 'a', type: 'string', referenceTypes: ['User'] }] },
      /only a 'reference' attribute has referenceTypes/,
    ],
    [
      'canonicalValues not strings',
      { ...folders(), attributes: [{ name: 'a', type: 'string', canonicalValues: [1] }] },
      /canonicalValues: must be an array of non-empty strings/,
    ],
  ];
  it.each(rows)('%s', (_name, input, detail) => {
    expect(problems(input)).toMatch(detail);
  });

  it('reports every problem at once', () => {
    const detail = problems({ id: 'x', name: '', attributes: [{ name: '1', type: 'nope' }] });
    expect(detail).toMatch(/id: must be a URN/);
    expect(detail).toMatch(/name: must be a non-empty/);
    expect(detail).toMatch(/attributes\[0\]\.name/);
    expect(detail).toMatch(/attributes\[0\]\.type/);
  });

  type KnownRow = [string, string, string[], RegExp];
  const knownRows: KnownRow[] = [
    ['the same id', FOLDERS, [FOLDERS], /already exists/],
    ['the same id in other case', FOLDERS.toLowerCase(), [FOLDERS], /already exists/],
    ['a prefix of a known id', 'urn:ietf:params:scim:schemas:extension:2.0', [FOLDERS], /overlaps/],
    ['an id below a known id', `${FOLDERS}:sub`, [FOLDERS], /overlaps/],
  ];
  it.each(knownRows)('rejects %s', (_name, id, known, detail) => {
    expect(problems({ ...folders(), id }, known)).toMatch(detail);
  });
});

describe('incompatibleChanges', () => {
  const base = validateSchemaRegistration({
    id: FOLDERS,
    name: 'X',
    attributes: [
      { name: 'folders', type: 'string', multiValued: true },
      { name: 'badge', type: 'complex', subAttributes: [{ name: 'value', type: 'string' }] },
    ],
  });
  const next = (attributes: unknown[], extra: Record<string, unknown> = {}) => validateSchemaRegistration({ id: FOLDERS, name: 'X', attributes, ...extra });
  const same = () => [
    { name: 'folders', type: 'string', multiValued: true },
    { name: 'badge', type: 'complex', subAttributes: [{ name: 'value', type: 'string' }] },
  ];

  it('allows the same schema, new optional attributes, and changed descriptions or caseExact', () => {
    expect(incompatibleChanges(base, next(same()))).toEqual([]);
    expect(incompatibleChanges(base, next([...same(), { name: 'level', type: 'integer' }]))).toEqual([]);
    expect(incompatibleChanges(base, next([{ name: 'Folders', type: 'string', multiValued: true, caseExact: true, description: 'd' }, same()[1]]))).toEqual([]);
  });

  type Row = [string, unknown[], RegExp];
  const rows: Row[] = [
    ['removing an attribute', [same()[0]], /'badge' cannot be removed/],
    ['changing a type', [{ name: 'folders', type: 'integer', multiValued: true }, same()[1]], /'folders' cannot change its type/],
    ['changing multiValued', [{ name: 'folders', type: 'string' }, same()[1]], /'folders' cannot change its type or multiValued/],
    ['making an attribute required', [{ name: 'folders', type: 'string', multiValued: true, required: true }, same()[1]], /'folders' cannot become required/],
    ['a required new attribute', [...same(), { name: 'level', type: 'integer', required: true }], /new attribute 'level' cannot be required/],
    [
      'removing a sub-attribute',
      [same()[0], { name: 'badge', type: 'complex', subAttributes: [{ name: 'other', type: 'string' }] }],
      /'badge\.value' cannot be removed/,
    ],
  ];
  it.each(rows)('rejects %s', (_name, attributes, reason) => {
    expect(incompatibleChanges(base, next(attributes)).join('; ')).toMatch(reason);
  });

  it('keeps an open schema open', () => {
    const open = validateSchemaRegistration({ id: METADATA, name: 'Metadata', additionalStringAttributes: true });
    const closed = validateSchemaRegistration({ id: METADATA, name: 'Metadata', attributes: [{ name: 'a', type: 'string' }] });
    expect(incompatibleChanges(open, closed)).toEqual(['additionalStringAttributes cannot be switched off']);
    expect(incompatibleChanges(closed, open)).toEqual(["attribute 'a' cannot be removed"]);
  });
});

describe('schemaRegistration', () => {
  const builtIn = [userSchema, enterpriseUserSchema];
  const registered = validateSchemaRegistration(folders());

  it('adds a schema with a new id', () => {
    expect(schemaRegistration({ ...folders(), id: METADATA }, builtIn, [registered])).toEqual({
      schema: validateSchemaRegistration({ ...folders(), id: METADATA }),
    });
  });

  it('replaces the registered schema of the same id (any case), keeping its spelling', () => {
    const update = { ...folders(), id: FOLDERS.toUpperCase(), description: 'Folders, renamed' };
    expect(schemaRegistration(update, builtIn, [registered])).toEqual({ schema: { ...registered, description: 'Folders, renamed' }, replaces: registered });
  });

  it('refuses an incompatible change with 409, and the id of a built-in schema with 400', () => {
    const incompatible = { ...folders(), attributes: [{ name: 'folders', type: 'integer', multiValued: true }] };
    expect(() => schemaRegistration(incompatible, builtIn, [registered])).toThrow(
      new ScimError(
        409,
        `Schema ${FOLDERS} cannot be changed this way, stored users may hold its data: attribute 'folders' cannot change its type or multiValued`,
      ),
    );
    expect(
      problems(
        { ...folders(), id: `${ENTERPRISE_USER_SCHEMA}:Sub` },
        builtIn.map((s) => s.id),
      ),
    ).toMatch(/reserved|overlaps/);
    expect(() => schemaRegistration({ ...folders(), id: `${ENTERPRISE_USER_SCHEMA}:Sub` }, builtIn, [])).toThrow(ScimError);
  });
});
