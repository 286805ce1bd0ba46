/**
 * Property tests (fast-check): whatever PATCH body a client sends, parsePatchRequest + applyPatch either succeed or
 * throw a ScimError with a 4xx status, so the ingress and the reconciler never answer 5xx for a bad PATCH.
 */
import fc from 'fast-check';
import { ScimError } from '../errors';
import { normalizeResource } from '../resource/normalize';
import { teamTypes } from '../resource/test-fixtures';
import { ResourceTypeSchemas, ScimDocument, userResourceTypeFor } from '../resource/types';
import { validateSchemaRegistration } from '../schema/schema-registration';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from '../schema/user.schema';
import { applyPatch } from './apply-patch';
import { parsePatchRequest, PATCH_OP_SCHEMA } from './patch-request';

const FOLDERS = 'urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName';
const METADATA = 'urn:ietf:params:scim:schemas:extension:2.0:Metadata';
const userTypes: ResourceTypeSchemas = userResourceTypeFor([
  validateSchemaRegistration({
    id: FOLDERS,
    name: 'Folders',
    attributes: [
      { name: 'folders', type: 'string', multiValued: true },
      { name: 'badge', type: 'string', mutability: 'immutable' },
    ],
  }),
  validateSchemaRegistration({ id: METADATA, name: 'Metadata', additionalStringAttributes: true }),
]);

const user: ScimDocument = normalizeResource(
  {
    schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
    userName: 'ada@contoso.example',
    externalId: 'ext-ada',
    active: true,
    displayName: 'Ada',
    name: { givenName: 'Ada', familyName: 'Lovelace' },
    emails: [
      { type: 'work', value: 'ada@contoso.example', primary: true },
      { type: 'home', value: 'ada@home.example' },
    ],
    phoneNumbers: [{ type: 'mobile', value: '+1 555 0100' }],
    [ENTERPRISE_USER_SCHEMA]: { department: 'Engines', manager: { value: 'm1' } },
    [`${FOLDERS}:folders`]: ['f1', 'f2'],
    [`${METADATA}:costCode`]: 42,
  },
  userTypes,
  'create',
);
const team: ScimDocument = { schemas: ['urn:scimflow:test:schemas:Team'], displayName: 'Ops', members: [{ value: 'u1', type: 'User' }, { value: 'u2' }] };

// ---- generators -------------------------------------------------------------------------------------------------

const names = fc.constantFrom(
  'userName',
  'active',
  'displayName',
  'name',
  'emails',
  'phoneNumbers',
  'addresses',
  'roles',
  'groups',
  'id',
  'meta',
  'externalId',
  'password',
  'members',
  'owner',
  'value',
  'type',
  'primary',
  'display',
  'givenName',
  'familyName',
  'folders',
  'badge',
  'costCode',
  'manager',
  'department',
  'x',
  'USERNAME',
  '$ref',
  '',
);
const urns = fc.constantFrom(USER_SCHEMA, ENTERPRISE_USER_SCHEMA, FOLDERS, METADATA, 'urn:x:y', 'urn:ietf:params:scim:schemas:core:2.0', '');
const literal = fc.oneof(
  fc.constantFrom('"work"', '"f1"', 'true', 'false', 'null', '1', '"u1"', '"m1"', '"2024-01-01T00:00:00Z"'),
  fc.string({ maxLength: 6 }).map((s) => JSON.stringify(s)),
);
const op = fc.constantFrom('eq', 'ne', 'co', 'sw', 'pr', 'gt', 'le', 'xx');
const valueFilter = fc.oneof(
  fc.tuple(names, op, literal).map(([n, o, v]) => (o === 'pr' ? `${n} pr` : `${n} ${o} ${v}`)),
  fc.tuple(names, literal, names, literal).map(([a, v, b, w]) => `${a} eq ${v} and ${b} eq ${w}`),
  fc.tuple(names, literal).map(([a, v]) => `not (${a} eq ${v})`),
  fc.string({ maxLength: 12 }),
);
const path = fc.oneof(
  names,
  fc.tuple(names, names).map(([a, b]) => `${a}.${b}`),
  fc.tuple(urns, names).map(([u, a]) => `${u}:${a}`),
  urns,
  fc.tuple(names, valueFilter).map(([a, f]) => `${a}[${f}]`),
  fc.tuple(names, valueFilter, names).map(([a, f, s]) => `${a}[${f}].${s}`),
  fc.tuple(urns, names, valueFilter).map(([u, a, f]) => `${u}:${a}[${f}]`),
  fc.string({ maxLength: 20 }),
);
const scalar = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('True', 'False', 'work', 'u1'),
);
const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.oneof(names, path), tie('v'), { maxKeys: 3 })),
})).v;
const opName = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom('add', 'replace', 'remove', 'Add', 'Replace', 'Remove', 'REMOVE') },
  { weight: 1, arbitrary: fc.constantFrom('move', '', 1, null) },
);
const operation = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: opName, path, value }, { requiredKeys: ['op'] }) },
  { weight: 1, arbitrary: fc.record({ OP: opName, Path: path, Value: value }, { requiredKeys: [] }) },
  { weight: 3, arbitrary: fc.record({ op: opName, value: fc.dictionary(fc.oneof(names, path), value, { maxKeys: 4 }) }) },
  { weight: 1, arbitrary: value },
);
/** Operations Entra and other clients really send, with random values: these mostly succeed. */
const plausible = fc.oneof(
  fc.record({ op: fc.constantFrom('Replace', 'replace'), path: fc.constant('active'), value: fc.oneof(fc.boolean(), fc.constantFrom('True', 'False')) }),
  fc.record({
    op: fc.constantFrom('Add', 'Replace'),
    path: fc.constantFrom('emails[type eq "work"].value', 'displayName', 'name.familyName', 'title'),
    value: fc.string({ maxLength: 8 }),
  }),
  fc.record({
    op: fc.constantFrom('Add', 'Replace', 'Remove'),
    path: fc.constant(`${FOLDERS}:folders`),
    value: fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
  }),
  fc.record({
    op: fc.constantFrom('Add', 'Replace', 'Remove'),
    path: fc.tuple(fc.constantFrom('costCode', 'site', 'a-b_1'), fc.constant(METADATA)).map(([k, u]) => `${u}:${k}`),
    value: scalar,
  }),
  fc.record({
    op: fc.constant('Remove'),
    path: fc.constantFrom('phoneNumbers[type eq "mobile"]', 'emails[type eq "home"]', `${ENTERPRISE_USER_SCHEMA}:manager`),
  }),
  fc.record({
    op: fc.constant('Replace'),
    value: fc.record(
      { 'name.givenName': fc.string({ maxLength: 5 }), [`${METADATA}:k`]: scalar, [`${ENTERPRISE_USER_SCHEMA}:department`]: fc.string({ maxLength: 5 }) },
      { requiredKeys: [] },
    ),
  }),
);
const body = fc.oneof(
  { weight: 3, arbitrary: fc.record({ schemas: fc.constant([PATCH_OP_SCHEMA]), Operations: fc.array(plausible, { minLength: 1, maxLength: 3 }) }) },
  { weight: 5, arbitrary: fc.record({ schemas: fc.constant([PATCH_OP_SCHEMA]), Operations: fc.array(operation, { minLength: 1, maxLength: 4 }) }) },
  {
    weight: 1,
    arbitrary: fc.record(
      { schemas: fc.oneof(fc.constant([PATCH_OP_SCHEMA]), value), operations: fc.oneof(fc.array(operation, { maxLength: 3 }), value) },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue() },
);

function outcome(doc: ScimDocument, types: ResourceTypeSchemas, input: unknown): 'ok' | number {
  try {
    applyPatch(doc, parsePatchRequest(input), types);
    return 'ok';
  } catch (e) {
    if (!(e instanceof ScimError)) throw e;
    return e.status;
  }
}

describe('PATCH properties', () => {
  it('a random PATCH of a user is applied or answered with a 4xx ScimError, never anything else', () => {
    fc.assert(
      fc.property(body, (input) => {
        const result = outcome(user, userTypes, input);
        if (result !== 'ok') expect(result >= 400 && result < 500).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('the same holds for a group-like resource with members', () => {
    fc.assert(
      fc.property(body, (input) => {
        const result = outcome(team, teamTypes, input);
        if (result !== 'ok') expect(result >= 400 && result < 500).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });

  it('a successful PATCH yields a document that validates as a PUT body and patches idempotently to itself', () => {
    fc.assert(
      fc.property(body, (input) => {
        let ops;
        let patched;
        try {
          ops = parsePatchRequest(input);
          patched = applyPatch(user, ops, userTypes).document;
        } catch (e) {
          if (e instanceof ScimError) return;
          throw e;
        }
        expect(normalizeResource(patched, userTypes, 'replace')).toEqual(patched);
        expect(applyPatch(patched, [], userTypes).changed).toBe(false);
      }),
      { numRuns: 1500 },
    );
  });

  it('the input document is never mutated', () => {
    const before = JSON.stringify(user);
    fc.assert(
      fc.property(body, (input) => {
        outcome(user, userTypes, input);
      }),
      { numRuns: 500 },
    );
    expect(JSON.stringify(user)).toBe(before);
  });
});
