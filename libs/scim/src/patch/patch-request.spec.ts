import { ScimError } from '../errors';
import { compilePatchMessage, isPatchMessage, parsePatchRequest, PATCH_OP_SCHEMA, patchMessageOf } from './patch-request';

const msg = (ops: unknown[], extra: Record<string, unknown> = {}) => ({ schemas: [PATCH_OP_SCHEMA], Operations: ops, ...extra });

function errorOf(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ScimError) return err;
    throw err;
  }
  throw new Error('expected a ScimError');
}

describe('parsePatchRequest — accepted messages', () => {
  it('parses the tutorial "update user [multi-valued properties]" message', () => {
    const ops = parsePatchRequest(
      msg([
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
        { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
      ]),
    );
    expect(ops).toEqual([
      {
        op: 'replace',
        rawPath: 'emails[type eq "work"].value',
        path: {
          attribute: { attribute: 'emails' },
          valueFilter: { kind: 'compare', attribute: { attribute: 'type' }, op: 'eq', value: 'work' },
          subAttribute: 'value',
        },
        value: 'updatedEmail@microsoft.com',
      },
      { op: 'replace', rawPath: 'name.familyName', path: { attribute: { attribute: 'name', subAttribute: 'familyName' } }, value: 'updatedFamilyName' },
    ]);
  });

  type Row = [string, unknown, Array<{ op: string; rawPath?: string; value?: unknown }>];
  const rows: Row[] = [
    ['op Add', msg([{ op: 'Add', path: 'nickName', value: 'Babs' }]), [{ op: 'add', rawPath: 'nickName', value: 'Babs' }]],
    ['op add', msg([{ op: 'add', path: 'nickName', value: 'Babs' }]), [{ op: 'add', rawPath: 'nickName', value: 'Babs' }]],
    ['op ADD', msg([{ op: 'ADD', path: 'nickName', value: 'Babs' }]), [{ op: 'add', rawPath: 'nickName', value: 'Babs' }]],
    ['op Replace', msg([{ op: 'Replace', path: 'active', value: 'False' }]), [{ op: 'replace', rawPath: 'active', value: 'False' }]],
    ['op Remove', msg([{ op: 'Remove', path: 'nickName' }]), [{ op: 'remove', rawPath: 'nickName' }]],
    [
      'op remove with value (Entra members shape)',
      msg([{ op: 'Remove', path: 'members', value: [{ $ref: null, value: 'f648f8d5ea4e4cd38e9c' }] }]),
      [{ op: 'remove', rawPath: 'members', value: [{ $ref: null, value: 'f648f8d5ea4e4cd38e9c' }] }],
    ],
    ['replace without path (Entra)', msg([{ op: 'Replace', value: { active: 'False' } }]), [{ op: 'replace', value: { active: 'False' } }]],
    ['add without path', msg([{ op: 'add', value: { nickName: 'x' } }]), [{ op: 'add', value: { nickName: 'x' } }]],
    ['value null kept', msg([{ op: 'replace', path: 'title', value: null }]), [{ op: 'replace', rawPath: 'title', value: null }]],
    ['value false kept', msg([{ op: 'replace', path: 'active', value: false }]), [{ op: 'replace', rawPath: 'active', value: false }]],
    ['path null on add is no path', msg([{ op: 'add', path: null, value: { nickName: 'x' } }]), [{ op: 'add', value: { nickName: 'x' } }]],
    ['blank path on add is no path', msg([{ op: 'add', path: '  ', value: { nickName: 'x' } }]), [{ op: 'add', value: { nickName: 'x' } }]],
    ['path trimmed', msg([{ op: 'add', path: ' nickName ', value: 'x' }]), [{ op: 'add', rawPath: 'nickName', value: 'x' }]],
    [
      'lower-case operations key',
      { schemas: [PATCH_OP_SCHEMA], operations: [{ op: 'add', path: 'title', value: 't' }] },
      [{ op: 'add', rawPath: 'title', value: 't' }],
    ],
    [
      'upper-case OPERATIONS key',
      { schemas: [PATCH_OP_SCHEMA], OPERATIONS: [{ op: 'add', path: 'title', value: 't' }] },
      [{ op: 'add', rawPath: 'title', value: 't' }],
    ],
    [
      'Schemas key capitalised',
      { Schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'add', path: 'title', value: 't' }] },
      [{ op: 'add', rawPath: 'title', value: 't' }],
    ],
    ['op object keys capitalised (Op, Path, Value)', msg([{ Op: 'Replace', Path: 'title', Value: 't' }]), [{ op: 'replace', rawPath: 'title', value: 't' }]],
    ['op object keys upper case', msg([{ OP: 'remove', PATH: 'title' }]), [{ op: 'remove', rawPath: 'title' }]],
    [
      'PatchOp URN in other case',
      { schemas: [PATCH_OP_SCHEMA.toUpperCase()], Operations: [{ op: 'remove', path: 'title' }] },
      [{ op: 'remove', rawPath: 'title' }],
    ],
    [
      'extra schema besides PatchOp',
      { schemas: [PATCH_OP_SCHEMA, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'], Operations: [{ op: 'remove', path: 'title' }] },
      [{ op: 'remove', rawPath: 'title' }],
    ],
    ['extra members ignored', msg([{ op: 'remove', path: 'title', extra: 1 }], { id: 'x' }), [{ op: 'remove', rawPath: 'title' }]],
    [
      'enterprise URN path',
      msg([{ op: 'Replace', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager', value: 'm1' }]),
      [{ op: 'replace', rawPath: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager', value: 'm1' }],
    ],
    [
      'bare extension URN path',
      msg([{ op: 'add', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', value: { department: 'x' } }]),
      [{ op: 'add', rawPath: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', value: { department: 'x' } }],
    ],
    [
      'members remove by filter (aadOptscim062020)',
      msg([{ op: 'remove', path: 'members[value eq "7f4bc1a3-285e-48ae-8202-5accb43efb0e"]' }]),
      [{ op: 'remove', rawPath: 'members[value eq "7f4bc1a3-285e-48ae-8202-5accb43efb0e"]' }],
    ],
    [
      'several operations keep their order',
      msg([
        { op: 'add', path: 'a', value: 1 },
        { op: 'remove', path: 'b' },
        { op: 'replace', value: {} },
      ]),
      [
        { op: 'add', rawPath: 'a', value: 1 },
        { op: 'remove', rawPath: 'b' },
        { op: 'replace', value: {} },
      ],
    ],
  ];
  it.each(rows)('%s', (_name, body, expected) => {
    const ops = parsePatchRequest(body);
    expect(ops.map(({ path: _path, ...rest }) => rest)).toEqual(expected);
    ops.forEach((op) => expect(op.path === undefined).toBe(op.rawPath === undefined));
  });

  it('parses URN paths into schema + attribute', () => {
    const [op] = parsePatchRequest(msg([{ op: 'remove', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value' }]));
    expect(op.path).toEqual({
      attribute: { schema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', attribute: 'manager', subAttribute: 'value' },
    });
  });

  it('does not leave a value member on a remove without value', () => {
    const [op] = parsePatchRequest(msg([{ op: 'remove', path: 'title' }]));
    expect('value' in op).toBe(false);
  });
});

describe('parsePatchRequest — rejected messages', () => {
  type Row = [string, unknown, string, RegExp];
  const rows: Row[] = [
    ['body null', null, 'invalidSyntax', /JSON object/],
    ['body an array', [], 'invalidSyntax', /JSON object/],
    ['body a string', 'add', 'invalidSyntax', /JSON object/],
    ['schemas missing', { Operations: [{ op: 'remove', path: 'x' }] }, 'invalidSyntax', /schemas/],
    ['schemas a string', { schemas: PATCH_OP_SCHEMA, Operations: [{ op: 'remove', path: 'x' }] }, 'invalidSyntax', /schemas/],
    [
      'schemas without PatchOp',
      { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], Operations: [{ op: 'remove', path: 'x' }] },
      'invalidSyntax',
      /PatchOp/,
    ],
    ['schemas with a number', { schemas: [PATCH_OP_SCHEMA, 5], Operations: [{ op: 'remove', path: 'x' }] }, 'invalidSyntax', /schemas/],
    ['Operations missing', { schemas: [PATCH_OP_SCHEMA] }, 'invalidSyntax', /Operations/],
    ['Operations empty', msg([]), 'invalidSyntax', /Operations/],
    ['Operations an object', { schemas: [PATCH_OP_SCHEMA], Operations: { op: 'remove', path: 'x' } }, 'invalidSyntax', /Operations/],
    ['Operations and operations both given', { schemas: [PATCH_OP_SCHEMA], Operations: [], operations: [] }, 'invalidSyntax', /more than once/],
    ['operation not an object', msg(['add']), 'invalidSyntax', /Operations\[0\] must be an object/],
    ['operation null', msg([null]), 'invalidSyntax', /Operations\[0\] must be an object/],
    ['op missing', msg([{ path: 'x', value: 1 }]), 'invalidSyntax', /'op' must be one of/],
    ['op unknown', msg([{ op: 'move', path: 'x', value: 1 }]), 'invalidSyntax', /'op' must be one of/],
    ['op not a string', msg([{ op: 1, path: 'x', value: 1 }]), 'invalidSyntax', /'op' must be one of/],
    ['op given twice', msg([{ op: 'add', Op: 'remove', path: 'x', value: 1 }]), 'invalidSyntax', /more than once/],
    ['second operation invalid', msg([{ op: 'remove', path: 'x' }, { op: 'copy' }]), 'invalidSyntax', /Operations\[1\]/],
    ['remove without path', msg([{ op: 'Remove' }]), 'noTarget', /requires a 'path'/],
    ['remove with blank path', msg([{ op: 'remove', path: '' }]), 'noTarget', /requires a 'path'/],
    ['remove with value but no path', msg([{ op: 'remove', value: [{ value: 'x' }] }]), 'noTarget', /requires a 'path'/],
    ['add without value', msg([{ op: 'add', path: 'x' }]), 'invalidValue', /requires a 'value'/],
    ['replace without value', msg([{ op: 'Replace', path: 'x' }]), 'invalidValue', /requires a 'value'/],
    ['path a number', msg([{ op: 'add', path: 5, value: 1 }]), 'invalidPath', /'path' must be a string/],
    ['path an object', msg([{ op: 'remove', path: { attribute: 'x' } }]), 'invalidPath', /'path' must be a string/],
    ['path with unclosed filter', msg([{ op: 'remove', path: 'members[value eq "x"' }]), 'invalidPath', /invalid path/],
    ['path with single quotes', msg([{ op: 'remove', path: "emails[type eq 'work']" }]), 'invalidPath', /invalid path/],
    ['path with two dots', msg([{ op: 'remove', path: 'name.givenName.x' }]), 'invalidPath', /invalid path/],
    ['path with spaces', msg([{ op: 'remove', path: 'user name' }]), 'invalidPath', /invalid path/],
    ['path with empty filter', msg([{ op: 'remove', path: 'members[]' }]), 'invalidPath', /invalid path/],
  ];
  it.each(rows)('%s', (_name, body, scimType, detail) => {
    const err = errorOf(() => parsePatchRequest(body));
    expect(err.status).toBe(400);
    expect(err.scimType).toBe(scimType);
    expect(err.detail).toMatch(detail);
  });
});

describe('the validated message a command carries (patchMessageOf, isPatchMessage, compilePatchMessage)', () => {
  const bodies: [string, unknown][] = [
    ["Entra's capitalised ops with a string boolean", msg([{ op: 'Replace', path: 'active', value: 'False' }])],
    ['a path-less value with dotted keys', msg([{ op: 'Replace', value: { 'name.givenName': 'Ada', title: 'x' } }])],
    [
      "older clients' member names and padded paths",
      { schemas: [PATCH_OP_SCHEMA.toUpperCase()], operations: [{ OP: 'add', Path: ' emails[type eq "work"].value ', Value: 'a@b.c' }] },
    ],
    [
      'a remove by filter and a null value',
      msg([
        { op: 'remove', path: 'members[value eq "1"]' },
        { op: 'add', path: 'title', value: null },
        { op: 'replace', path: null, value: { x: 1 } },
      ]),
    ],
  ];

  it.each(bodies)('%s: the message is validated, and compiles to what parsing the body gives', (_, body) => {
    const message = patchMessageOf(parsePatchRequest(body));
    expect(isPatchMessage(message)).toBe(true);
    expect(JSON.parse(JSON.stringify(message))).toEqual(message); // what travels in the command
    expect(compilePatchMessage(message)).toEqual(parsePatchRequest(body));
    expect(parsePatchRequest(message)).toEqual(parsePatchRequest(body));
  });

  it.each<[string, unknown]>([
    ['a capitalised op', msg([{ op: 'Replace', path: 'active', value: false }])],
    ['a member name spelled otherwise', { schemas: [PATCH_OP_SCHEMA], operations: [{ op: 'add', path: 'title', value: 'x' }] }],
    ['an unknown member', msg([{ op: 'add', path: 'title', value: 'x' }], { extra: 1 })],
    ['a padded path', msg([{ op: 'add', path: ' title', value: 'x' }])],
    ['an empty path', msg([{ op: 'add', path: '', value: 'x' }])],
    ['an add without value', msg([{ op: 'add', path: 'title' }])],
    ['a remove without path', msg([{ op: 'remove' }])],
    ['no operations', msg([])],
    ['no PatchOp schema', { schemas: ['urn:x'], Operations: [{ op: 'add', path: 'title', value: 'x' }] }],
  ])('%s is not a validated message (a reader validates it first)', (_, body) => expect(isPatchMessage(body)).toBe(false));

  it('a path that does not parse is still invalidPath when compiled', () => {
    expect(errorOf(() => compilePatchMessage({ schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'add', path: 'emails[', value: 'x' }] })).scimType).toBe(
      'invalidPath',
    );
  });
});
