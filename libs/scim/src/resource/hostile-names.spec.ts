/**
 * Names that are also members of Object.prototype (`constructor`, `toString`, …) are data where a schema makes them
 * attributes (an open schema's keys, a tenant's declared attribute) and unknown attributes (400) elsewhere;
 * `__proto__` and other names that are not attribute names (RFC 7643 §2.1) are refused with 400 everywhere.
 */
import { ScimError } from '../errors';
import { compileFilterToSql, compileSortToSql, matchesFilter, parseFilter, parseSort } from '../filter';
import { applyPatch } from '../patch/apply-patch';
import { parsePatchRequest, PATCH_OP_SCHEMA } from '../patch/patch-request';
import { validateSchemaRegistration } from '../schema/schema-registration';
import { USER_SCHEMA } from '../schema/user.schema';
import { assertImmutableUnchanged } from './mutability';
import { normalizeResource } from './normalize';
import { projectResource } from './project';
import { userResourceTypeFor } from './types';
import { deepEqual, elementsEqual, ownValue, valuesEqual } from './values';

const METADATA = 'urn:ietf:params:scim:schemas:extension:2.0:Metadata';
const TRAPS = 'urn:example:params:scim:schemas:extension:Traps';
const metadata = validateSchemaRegistration({ id: METADATA, name: 'Metadata', additionalStringAttributes: true });
/** A tenant's closed extension whose declared names are prototype members. */
const traps = validateSchemaRegistration({
  id: TRAPS,
  name: 'Traps',
  attributes: [
    { name: 'constructor', type: 'string', required: true },
    { name: 'valueOf', type: 'string', mutability: 'immutable' },
    {
      name: 'toString',
      type: 'complex',
      subAttributes: [
        { name: 'hasOwnProperty', type: 'string' },
        { name: 'isPrototypeOf', type: 'string', mutability: 'immutable' },
      ],
    },
  ],
});
const types = userResourceTypeFor([metadata, traps]);
const schemas = [types.core, ...types.extensions];

/** Prototype members that are valid attribute names: data in an open schema. */
const DATA_NAMES = ['constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', 'toJSON'];
/** Not attribute names (ATTRNAME starts with a letter): refused wherever a name is accepted. */
const REFUSED_NAMES = ['__proto__', '__defineGetter__', '__lookupSetter__'];

const base = () => normalizeResource({ schemas: [USER_SCHEMA], userName: 'ada' }, types, 'create');
const patch = (doc: Record<string, unknown>, ...Operations: unknown[]) => applyPatch(doc, parsePatchRequest({ schemas: [PATCH_OP_SCHEMA], Operations }), types);
/** Builds from JSON text so `__proto__` is an own member, as the HTTP body parser makes it. */
const json = (text: string) => JSON.parse(text) as Record<string, unknown>;

function scimError(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ScimError) return e;
    throw e;
  }
  throw new Error('expected a ScimError');
}

describe('ownValue', () => {
  it.each(DATA_NAMES)('reads %s as unassigned unless the object has it', (name) => {
    expect(ownValue({}, name)).toBeUndefined();
    expect(ownValue(json(`{"${name}":"x"}`), name)).toBe('x');
    expect(ownValue(undefined, name)).toBeUndefined();
  });
});

describe.each(DATA_NAMES)('metadata key %s is data', (name) => {
  const stored = { [METADATA]: { [name]: 'x' } };

  it('on POST, flat and nested', () => {
    expect(normalizeResource(json(`{"schemas":["${USER_SCHEMA}"],"userName":"a","${METADATA}:${name}":"x"}`), types, 'create')).toMatchObject(stored);
    expect(normalizeResource(json(`{"schemas":["${USER_SCHEMA}"],"userName":"a","${METADATA}":{"${name}":7}}`), types, 'create')).toMatchObject({
      [METADATA]: { [name]: '7' },
    });
  });

  it('by PATCH path (replace, add), by no-path key and as the extension object', () => {
    for (const op of ['replace', 'add']) expect(patch(base(), { op, path: `${METADATA}:${name}`, value: 'x' }).document).toMatchObject(stored);
    expect(patch(base(), { op: 'replace', value: json(`{"${METADATA}:${name}":"x"}`) }).document).toMatchObject(stored);
    expect(patch(base(), { op: 'replace', value: json(`{"${METADATA}":{"${name}":"x"}}`) }).document).toMatchObject(stored);
    expect(patch(base(), { op: 'replace', path: METADATA, value: json(`{"${name}":"x"}`) }).document).toMatchObject(stored);
  });

  it('replaced, unchanged and removed by PATCH', () => {
    const doc = patch(base(), { op: 'replace', path: `${METADATA}:${name}`, value: 'x' }).document;
    expect(patch(doc, { op: 'replace', path: `${METADATA}:${name}`, value: 'y' }).document).toMatchObject({ [METADATA]: { [name]: 'y' } });
    expect(patch(doc, { op: 'replace', path: `${METADATA}:${name}`, value: 'x' }).changed).toBe(false);
    const removed = patch(doc, { op: 'remove', path: `${METADATA}:${name}` });
    expect([removed.changed, removed.document[METADATA]]).toEqual([true, undefined]);
    expect(patch(base(), { op: 'remove', path: `${METADATA}:${name}` }).changed).toBe(false);
    expect(patch(base(), { op: 'replace', path: `${METADATA}:${name}`, value: null }).changed).toBe(false);
  });

  it('projected, filtered in memory and compiled to SQL and ORDER BY', () => {
    const resource: Record<string, unknown> = {
      id: '1',
      ...normalizeResource({ schemas: [USER_SCHEMA], userName: 'a', [`${METADATA}:${name}`]: 'x' }, types, 'create'),
    };
    expect(projectResource(resource, types, { attributes: [`${METADATA}:${name}`] })).toEqual({ schemas: resource.schemas, id: '1', ...stored });
    expect(projectResource(resource, types, { excludedAttributes: [`${METADATA}:${name}`] })[METADATA]).toBeUndefined();
    expect(projectResource(resource, types, { attributes: [name] })[METADATA]).toBeUndefined();
    expect(matchesFilter(parseFilter(`${METADATA}:${name} eq "X"`), resource, { schemas })).toBe(true);
    expect(matchesFilter(parseFilter(`${METADATA}:${name} pr`), { id: '2', ...base() }, { schemas })).toBe(false);
    const sql = compileFilterToSql(parseFilter(`${METADATA}:${name} eq "x"`), { schemas, document: 'u.document', columns: {} });
    expect(sql.params).toEqual(expect.arrayContaining([name]));
    expect(sql.sql).not.toContain(name);
    const sort = compileSortToSql(parseSort(`${METADATA}:${name}`, undefined)!, { schemas, document: 'u.document', columns: {} });
    expect([sort.kind, sort.params]).toEqual(['string', [METADATA, name]]);
  });
});

describe('declared attributes named like prototype members', () => {
  const withTraps = () =>
    normalizeResource(
      { schemas: [USER_SCHEMA], userName: 'a', [TRAPS]: { constructor: 'c', valueOf: 'v', toString: { hasOwnProperty: 'h', isPrototypeOf: 'i' } } },
      types,
      'create',
    );

  it('are stored; a required one is required, not found on the prototype', () => {
    expect(withTraps()[TRAPS]).toEqual({ constructor: 'c', valueOf: 'v', toString: { hasOwnProperty: 'h', isPrototypeOf: 'i' } });
    const e = scimError(() => normalizeResource({ schemas: [USER_SCHEMA], userName: 'a', [TRAPS]: { valueOf: 'v' } }, types, 'create'));
    expect([e.status, e.detail]).toEqual([400, `Attribute '${TRAPS}:constructor' is required and must not be empty`]);
  });

  it('a sub-attribute given once is not "given more than once"', () => {
    expect(
      normalizeResource({ schemas: [USER_SCHEMA], userName: 'a', [`${TRAPS}:constructor`]: 'c', [`${TRAPS}:toString.hasOwnProperty`]: 'h' }, types, 'create')[
        TRAPS
      ],
    ).toEqual({
      constructor: 'c',
      toString: { hasOwnProperty: 'h' },
    });
  });

  it('immutable ones may be set once by PATCH and PUT, then not changed', () => {
    const doc = normalizeResource({ schemas: [USER_SCHEMA], userName: 'a', [`${TRAPS}:constructor`]: 'c' }, types, 'create');
    const set = patch(doc, { op: 'add', path: `${TRAPS}:valueOf`, value: 'v' }, { op: 'add', path: `${TRAPS}:toString.isPrototypeOf`, value: 'i' }).document;
    expect(set[TRAPS]).toEqual({ constructor: 'c', valueOf: 'v', toString: { isPrototypeOf: 'i' } });
    expect(scimError(() => patch(set, { op: 'replace', path: `${TRAPS}:valueOf`, value: 'w' })).scimType).toBe('mutability');
    expect(scimError(() => patch(set, { op: 'replace', path: `${TRAPS}:toString.isPrototypeOf`, value: 'j' })).scimType).toBe('mutability');
    expect(() => assertImmutableUnchanged(doc, set, types)).not.toThrow();
    expect(scimError(() => assertImmutableUnchanged(set, doc, types)).scimType).toBe('mutability');
  });

  it('removing the required one is a mutability error', () => {
    expect(scimError(() => patch(withTraps(), { op: 'remove', path: `${TRAPS}:constructor` })).scimType).toBe('mutability');
  });

  it('are projected by sub-attribute', () => {
    const out = projectResource({ id: '1', ...withTraps() }, types, { attributes: [`${TRAPS}:toString.hasOwnProperty`] });
    expect(out[TRAPS]).toEqual({ toString: { hasOwnProperty: 'h' } });
  });
});

describe('core names that are prototype members are unknown attributes', () => {
  // without the Traps extension, whose declared `constructor` an unqualified filter or sortBy would find
  const workforce = userResourceTypeFor([metadata]);
  const coreSchemas = [workforce.core, ...workforce.extensions];
  const patchCore = (...Operations: unknown[]) => applyPatch(base(), parsePatchRequest({ schemas: [PATCH_OP_SCHEMA], Operations }), workforce);
  it.each(DATA_NAMES)('%s: 400 on POST, PATCH path, no-path key, sub-attribute; no match in filters', (name) => {
    const post = scimError(() => normalizeResource(json(`{"schemas":["${USER_SCHEMA}"],"userName":"a","${name}":"x"}`), workforce, 'create'));
    expect([post.status, post.scimType]).toEqual([400, 'invalidValue']);
    expect(scimError(() => normalizeResource(json(`{"schemas":["${USER_SCHEMA}"],"userName":"a","name":{"${name}":"x"}}`), workforce, 'create')).scimType).toBe(
      'invalidValue',
    );
    for (const path of [name, `name.${name}`, `emails[${name} eq "x"]`])
      expect(scimError(() => patchCore({ op: 'replace', path, value: 'x' })).scimType).toBe('invalidPath');
    expect(scimError(() => patchCore({ op: 'replace', value: json(`{"${name}":"x"}`) })).scimType).toBe('invalidPath');
    expect(scimError(() => patchCore({ op: 'replace', path: 'name', value: json(`{"${name}":"x"}`) })).scimType).toBe('invalidValue');
    expect(matchesFilter(parseFilter(`${name} pr or name.${name} pr`), { id: '1', ...base() }, { schemas: coreSchemas })).toBe(false);
    expect(scimError(() => compileFilterToSql(parseFilter(`${name} eq "x"`), { schemas: coreSchemas, document: 'u.document', columns: {} })).scimType).toBe(
      'invalidFilter',
    );
    expect(scimError(() => compileSortToSql(parseSort(name, undefined)!, { schemas: coreSchemas, document: 'u.document', columns: {} })).scimType).toBe(
      'invalidValue',
    );
    expect(projectResource({ id: '1', ...base() }, workforce, { attributes: [name, `name.${name}`] })).toEqual({ schemas: [USER_SCHEMA], id: '1' });
  });
});

describe.each(REFUSED_NAMES)('%s is refused with 400', (name) => {
  it('on POST (flat, nested metadata, core, sub-attribute)', () => {
    for (const body of [
      `{"schemas":["${USER_SCHEMA}"],"userName":"a","${METADATA}:${name}":"x"}`,
      `{"schemas":["${USER_SCHEMA}"],"userName":"a","${METADATA}":{"${name}":"x"}}`,
      `{"schemas":["${USER_SCHEMA}"],"userName":"a","${name}":{"userName":"b"}}`,
      `{"schemas":["${USER_SCHEMA}"],"userName":"a","name":{"${name}":{"givenName":"x"}}}`,
    ]) {
      expect(scimError(() => normalizeResource(json(body), types, 'create')).status).toBe(400);
    }
  });

  it('in PATCH paths, no-path keys and object values', () => {
    expect(scimError(() => patch(base(), { op: 'replace', path: `${METADATA}:${name}`, value: 'x' })).scimType).toBe('invalidPath');
    expect(scimError(() => patch(base(), { op: 'replace', value: json(`{"${METADATA}:${name}":"x"}`) })).scimType).toBe('invalidPath');
    expect(scimError(() => patch(base(), { op: 'replace', value: json(`{"${name}":{"userName":"b"}}`) })).scimType).toBe('invalidPath');
    expect(scimError(() => patch(base(), { op: 'replace', path: METADATA, value: json(`{"${name}":"x"}`) })).scimType).toBe('invalidPath');
  });

  it('in filters and sortBy', () => {
    expect(scimError(() => parseFilter(`${METADATA}:${name} eq "x"`)).scimType).toBe('invalidFilter');
    expect(scimError(() => parseSort(`${METADATA}:${name}`, undefined)).status).toBe(400);
  });
});

describe('equality with prototype member names', () => {
  const def = types.core.attributes.find((a) => a.name === 'name')!;
  it('an absent key is unassigned, not the prototype member', () => {
    expect(deepEqual({}, json('{"__proto__":{}}'))).toBe(false);
    expect(deepEqual({ a: 1 }, json('{"a":1,"constructor":{}}'))).toBe(false);
    expect(deepEqual(json('{"toString":{}}'), json('{"valueOf":{}}'))).toBe(false);
    expect(elementsEqual(def, json('{"constructor":"x"}'), {})).toBe(false);
    expect(valuesEqual(def, json('{"hasOwnProperty":"x"}'), json('{"hasOwnProperty":"x"}'))).toBe(true);
  });
});
