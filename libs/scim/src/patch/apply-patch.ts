import { ScimError } from '../errors';
import { formatPatchPath, matchesValueFilter, parsePatchPath } from '../filter';
import { FilterNode, PatchPath } from '../filter/ast';
import { attr as defineAttribute, AttributeDefinition, findAttribute, SchemaDefinition } from '../schema/attribute';
import { coerceOne, coerceValue } from '../resource/coerce';
import { assertMutability, assertRequiredKept, forEachAttribute } from '../resource/mutability';
import { normalizeResource } from '../resource/normalize';
import { attributeOf, attributesWithValues, containerKey, findSchema, onlyExtensionDefining } from '../resource/schema-index';
import { ResourceTypeSchemas, ScimDocument } from '../resource/types';
import { clone, deepEqual, elementMatches, elementsEqual, isAssigned, isPlainObject, ownValue, valuesEqual } from '../resource/values';
import { PatchOperation, PatchOpName } from './patch-request';

export interface PatchResult {
  document: ScimDocument;
  /** false when the patched document equals the input, so the caller can skip the write */
  changed: boolean;
}

/** A resolved PATCH target: one attribute (maybe one sub-attribute, maybe filtered elements). */
interface Target {
  schema: SchemaDefinition;
  /** the extension URN the attribute is nested under; undefined for top-level attributes */
  container?: string;
  attr: AttributeDefinition;
  sub?: AttributeDefinition;
  filter?: FilterNode;
  label: string;
}

type Resolved = Target | { wholeSchema: SchemaDefinition; label: string };

const invalidPath = (detail: string) => ScimError.badRequest('invalidPath', detail);
const invalidValue = (detail: string) => ScimError.badRequest('invalidValue', detail);
const noTarget = (detail: string) => ScimError.badRequest('noTarget', detail);

/**
 * Applies PATCH operations (RFC 7644 §3.5.2) to a stored document (as returned by normalizeResource) and returns
 * a new one; the input is not mutated. The whole request is atomic: any error throws ScimError and nothing applies.
 *
 * Choices where the RFC is open or Entra deviates from it:
 * - `remove` of a filter that matches nothing, or of an absent attribute, is a no-op (Entra retries removals).
 * - `remove` with a `value` on a multi-valued attribute removes the elements matching those values (Entra's
 *   `{"op":"Remove","path":"members","value":[{"value":"id"}]}`); on a single-valued one it removes the value
 *   only if it matches.
 * - `add` and `replace` with a value filter that matches nothing on a multi-valued attribute create the element
 *   the filter describes when it is a conjunction of `eq` comparisons, plus the value (`emails[type eq "work"].value`,
 *   `roles[primary eq "True"].value`): Entra sends both ops for a value the resource may not have yet. The RFC's
 *   400 noTarget for `replace` stays for filters that describe no element (`or`, `ne`, `co`, `pr`, `not`, …).
 * - roles and entitlements (attributes marked `appRoles`) are identified by `value`: `add` of a role the resource
 *   has merges into it, `remove` with a value removes the roles with that value.
 * - `attr.sub` on a multi-valued attribute without a filter applies to every element.
 * - A required attribute that is removed or becomes unassigned is 400 `mutability`, not `invalidValue`: RFC 7644
 *   §3.5.2 says so explicitly ("If an attribute is removed or becomes unassigned and is defined as a required
 *   attribute or a read-only attribute, the server SHALL return … scimType … mutability"). Checked after all
 *   operations, since operations apply in sequence and only the result must be valid. An extension's required
 *   attributes bind only while the extension holds data (as in normalizeResource), so removing a whole extension is fine.
 * - readOnly attributes (id, meta, groups, manager.displayName) named by a path or a no-path key are 400 mutability
 *   when the value would change; readOnly sub-attributes inside a value are ignored, as on PUT.
 * - A single value where a multi-valued attribute expects an array is taken as a one-element array.
 * - `schemas` inside a no-path value is ignored (clients echo it; it is recomputed).
 * - Setting `primary: true` on one element sets it to false on the others (RFC 7644 §3.5.2).
 * - null values mean "unassigned" (RFC 7643 §2.5): `replace` with null removes, null sub-attributes in a merge
 *   unassign them.
 */
export function applyPatch(doc: ScimDocument, ops: PatchOperation[], types: ResourceTypeSchemas): PatchResult {
  const work = clone(doc);
  if (!Array.isArray(work.schemas)) work.schemas = [types.core.id];
  const engine = new PatchEngine(types, work);
  ops.forEach((op, i) => engine.apply(op, i));
  forEachAttribute(types, doc, work, assertRequiredKept, true);
  // Re-validate so a patched document obeys exactly the rules of a PUT body.
  const normalized = normalizeResource(work, types, 'replace');
  const document = keepReadOnly(doc, normalized, types);
  return { document, changed: !deepEqual(doc, document) };
}

/**
 * readOnly attributes (id, meta, groups) cannot be PATCHed and normalizeResource drops them; if the stored document
 * carries them, they stay as they were.
 */
function keepReadOnly(stored: ScimDocument, normalized: ScimDocument, types: ResourceTypeSchemas): ScimDocument {
  const out: ScimDocument = { schemas: normalized.schemas };
  const schemas = [...(normalized.schemas as string[])];
  for (const schema of [types.core, ...types.extensions]) {
    const key = containerKey(types, schema);
    const from = (doc: ScimDocument) => {
      if (!key) return doc;
      const values = ownValue(doc, key);
      return isPlainObject(values) ? values : {};
    };
    const values: Record<string, unknown> = {};
    for (const def of attributesWithValues(types, schema, from(normalized))) {
      const value = ownValue(def.mutability === 'readOnly' ? from(stored) : from(normalized), def.name);
      if (value !== undefined) values[def.name] = value;
    }
    if (!key) Object.assign(out, values);
    else if (Object.keys(values).length) {
      out[key] = values;
      if (!schemas.includes(key)) schemas.push(key);
    }
  }
  out.schemas = schemas;
  return out;
}

class PatchEngine {
  constructor(
    private readonly types: ResourceTypeSchemas,
    private readonly doc: ScimDocument,
  ) {}

  apply(op: PatchOperation, index: number): void {
    const at = `Operations[${index}]`;
    const hasValue = 'value' in op && op.value !== undefined;
    if (!op.path) {
      if (op.op === 'remove') throw noTarget(`${at}: 'remove' requires a 'path'`);
      if (!isPlainObject(op.value)) throw invalidValue(`${at}: without a 'path', 'value' must be an object of attributes`);
      this.applyAttributeMap(op.op, op.value, undefined);
      return;
    }
    const resolved = this.resolve(op.path, op.rawPath ?? formatPatchPath(op.path), this.types.core);
    if ('wholeSchema' in resolved) this.applyToSchema(op.op, resolved.wholeSchema, op.value, resolved.label);
    else this.applyTarget(op.op, resolved, op.value, hasValue);
  }

  /** `add`/`replace` without a path (or with a schema URN path): each key of the value is a path of its own. */
  private applyAttributeMap(op: PatchOpName, map: Record<string, unknown>, schema: SchemaDefinition | undefined): void {
    for (const [key, value] of Object.entries(map)) {
      // Clients echo the resource's `schemas`; it is not an attribute, and normalizeResource recomputes it.
      if (!schema && key.toLowerCase() === 'schemas') continue;
      const wholeSchema = schema ? undefined : findSchema(this.types, key);
      if (wholeSchema) {
        this.applyToSchema(op, wholeSchema, value, key);
        continue;
      }
      const resolved = this.resolve(parsePath(key), key, schema ?? this.types.core);
      if ('wholeSchema' in resolved) this.applyToSchema(op, resolved.wholeSchema, value, key);
      else this.applyTarget(op, resolved, value, true);
    }
  }

  private applyToSchema(op: PatchOpName, schema: SchemaDefinition, value: unknown, label: string): void {
    if (op === 'remove') {
      const container = containerKey(this.types, schema);
      const values = container ? ownValue(this.doc, container) : this.doc;
      for (const attr of attributesWithValues(this.types, schema, values)) {
        this.applyTarget('remove', { schema, container, attr, label: `${label}:${attr.name}` }, undefined, false);
      }
      return;
    }
    if (value === null) {
      // null means unassigned (RFC 7643 §2.5): replacing an extension with null clears it, adding null adds nothing.
      if (op === 'replace') this.applyToSchema('remove', schema, undefined, label);
      return;
    }
    if (!isPlainObject(value)) throw invalidValue(`'${label}' must be an object holding the schema's attributes`);
    this.applyAttributeMap(op, value, schema);
  }

  /** Resolves a parsed path against the definitions; `schema` is where unqualified names are looked up. */
  private resolve(path: PatchPath, label: string, schema: SchemaDefinition): Resolved {
    const whole = findSchema(this.types, label);
    if (whole) return { wholeSchema: whole, label };
    const ref = path.attribute;
    if (ref.schema !== undefined) {
      const named = findSchema(this.types, ref.schema);
      if (!named) {
        // The parser reads a bare `urn:…:2.0:User` as schema `urn:…:2.0` + attribute `User`.
        const bare = findSchema(this.types, `${ref.schema}:${ref.attribute}`);
        if (bare && !ref.subAttribute && !path.valueFilter && !path.subAttribute) return { wholeSchema: bare, label };
        throw invalidPath(`Unknown schema '${ref.schema}' in path '${label}'`);
      }
      schema = named;
    }
    let attr = attributeOf(this.types, schema, ref.attribute);
    if (!attr && ref.schema === undefined && schema === this.types.core) {
      // Entra names the enterprise manager by the bare path `manager` (tutorial, "Example 5"); an unqualified name
      // that no core attribute has is the one extension attribute of that name, as in filters.
      const ext = onlyExtensionDefining(this.types, ref.attribute);
      if (ext) {
        schema = ext;
        attr = attributeOf(this.types, ext, ref.attribute);
      }
    }
    if (!attr) throw invalidPath(`Unknown attribute '${ref.attribute}' in path '${label}'`);
    const subName = path.subAttribute ?? ref.subAttribute;
    let sub: AttributeDefinition | undefined;
    if (subName !== undefined) {
      if (attr.type !== 'complex') throw invalidPath(`Attribute '${attr.name}' has no sub-attributes (path '${label}')`);
      sub = findAttribute(attr.subAttributes, subName);
      if (!sub) throw invalidPath(`Unknown sub-attribute '${attr.name}.${subName}' in path '${label}'`);
    }
    if (path.valueFilter) {
      if (!attr.multiValued && attr.type !== 'complex') {
        throw invalidPath(`A value filter needs a multi-valued or complex attribute; '${attr.name}' is neither (path '${label}')`);
      }
      assertFilterAttributes(path.valueFilter, attr, label);
    }
    return { schema, container: containerKey(this.types, schema), attr, sub, filter: path.valueFilter, label };
  }

  private applyTarget(op: PatchOpName, t: Target, value: unknown, hasValue: boolean): void {
    const holder = this.holder(t, op !== 'remove');
    if (!holder) return;
    const before = clone(ownValue(holder, t.attr.name));
    if (t.filter) this.applyFiltered(op, t, value, holder);
    else if (t.sub) this.applySub(op, t, t.sub, value, holder);
    else this.applyWhole(op, t, value, hasValue, holder);
    if (!isAssigned(ownValue(holder, t.attr.name))) delete holder[t.attr.name];
    assertMutability(t.attr, before, ownValue(holder, t.attr.name), this.qualified(t));
  }

  /** The object holding the target attribute: the document, or the extension object under its URN. */
  private holder(t: Target, create: boolean): Record<string, unknown> | undefined {
    if (!t.container) return this.doc;
    const existing = ownValue(this.doc, t.container);
    if (isPlainObject(existing)) return existing;
    if (!create) return undefined;
    const made: Record<string, unknown> = {};
    this.doc[t.container] = made;
    return made;
  }

  private qualified(t: Target): string {
    return t.container ? `${t.container}:${t.attr.name}` : t.attr.name;
  }

  // ---- path = attribute -------------------------------------------------------------------------------

  private applyWhole(op: PatchOpName, t: Target, raw: unknown, hasValue: boolean, holder: Record<string, unknown>): void {
    const { attr } = t;
    const current = ownValue(holder, attr.name);
    if (op === 'remove') {
      if (hasValue && raw !== null) this.removeValues(t, raw, holder);
      else delete holder[attr.name];
      return;
    }
    const value = coerceValue(attr, raw, t.label, { wrapSingle: true, keepNulls: true });
    if (attr.multiValued) {
      const given = (value as unknown[] | undefined) ?? [];
      if (op === 'replace') {
        holder[attr.name] = given;
        clearOtherPrimaries(attr, given, given);
        return;
      }
      // add: append, skipping values already present (RFC 7644 §3.5.2.1 leaves duplicates to the server);
      // a role already held takes the added element's sub-attributes instead.
      const list = Array.isArray(current) ? [...current] : [];
      const added: unknown[] = [];
      for (const el of given) {
        const held = attr.appRoles ? list.findIndex((existing) => sameAppRole(attr, existing, el)) : -1;
        if (held >= 0) {
          const merged = isPlainObject(list[held]) && isPlainObject(el) ? merge(list[held] as Record<string, unknown>, el) : el;
          list[held] = merged;
          added.push(merged);
        } else if (!list.some((existing) => elementsEqual(attr, existing, el))) {
          list.push(el);
          added.push(el);
        }
      }
      holder[attr.name] = list;
      clearOtherPrimaries(attr, list, added);
      return;
    }
    if (attr.type === 'complex' && value !== undefined) {
      // Both add and replace merge the given sub-attributes and leave the others (RFC 7644 §3.5.2.1, §3.5.2.3).
      holder[attr.name] = merge(isPlainObject(current) ? current : {}, value as Record<string, unknown>);
      return;
    }
    if (value === undefined) delete holder[attr.name];
    else holder[attr.name] = value;
  }

  /** Entra's remove-with-value: drop the elements (or the single value) matching the given values. */
  private removeValues(t: Target, raw: unknown, holder: Record<string, unknown>): void {
    const { attr } = t;
    const current = ownValue(holder, attr.name);
    const patterns = (Array.isArray(raw) ? raw : [raw]).map((p, i) => coerceOne(attr, p, `${t.label}[${i}]`)).filter((p) => p !== undefined);
    if (!patterns.length) return;
    if (attr.multiValued) {
      if (!Array.isArray(current)) return;
      const matches = (el: unknown, p: unknown) => (attr.appRoles && roleValue(p) !== undefined ? sameAppRole(attr, el, p) : elementMatches(attr, el, p));
      holder[attr.name] = current.filter((el) => !patterns.some((p) => matches(el, p)));
    } else if (patterns.some((p) => elementMatches(attr, current, p))) {
      delete holder[attr.name];
    }
  }

  // ---- path = attribute.subAttribute ------------------------------------------------------------------

  private applySub(op: PatchOpName, t: Target, sub: AttributeDefinition, raw: unknown, holder: Record<string, unknown>): void {
    const { attr } = t;
    const value = op === 'remove' ? undefined : coerceValue(sub, raw, t.label, { wrapSingle: true });
    if (!attr.multiValued) {
      const held = ownValue(holder, attr.name);
      const current = isPlainObject(held) ? held : undefined;
      if (op === 'remove' && !current) return;
      const next = withSub(current ?? {}, sub, value, op);
      holder[attr.name] = next;
      assertMutability(sub, ownValue(current, sub.name), ownValue(next, sub.name), `${this.qualified(t)}.${sub.name}`);
      return;
    }
    // No filter on a multi-valued attribute: every element.
    const held = ownValue(holder, attr.name);
    const list = Array.isArray(held) ? held : [];
    if (!list.length) {
      if (value !== undefined) holder[attr.name] = [{ [sub.name]: value }];
      return;
    }
    const next = list.map((el) => withSub(isPlainObject(el) ? el : {}, sub, value, op));
    list.forEach((el, i) => this.assertElement(t, el, next[i], sub));
    holder[attr.name] = next;
    if (op !== 'remove') clearOtherPrimaries(attr, next, next);
  }

  // ---- path = attribute[filter] or attribute[filter].subAttribute ---------------------------------------

  private applyFiltered(op: PatchOpName, t: Target, raw: unknown, holder: Record<string, unknown>): void {
    const { attr, sub } = t;
    const current = ownValue(holder, attr.name);
    const single = !attr.multiValued;
    const elements: unknown[] = single ? (isAssigned(current) ? [current] : []) : Array.isArray(current) ? [...current] : [];
    const matched = new Set(elements.filter((el) => this.matches(t, el)));
    const write = (list: unknown[]) => {
      holder[attr.name] = single ? list[0] : list;
    };

    if (op === 'remove') {
      if (!matched.size) return;
      if (!sub) return write(elements.filter((el) => !matched.has(el)));
      const next = elements.map((el) => (matched.has(el) && isPlainObject(el) ? withSub(el, sub, undefined, op) : el));
      elements.forEach((el, i) => matched.has(el) && this.assertElement(t, el, next[i], sub));
      return write(next);
    }

    if (!matched.size) {
      if (single) throw noTarget(`No value of '${this.qualified(t)}' matches the filter in path '${t.label}'`);
      const created = this.createFromFilter(t, raw);
      if (created === undefined) return;
      const next = [...elements, created];
      clearOtherPrimaries(attr, next, [created]);
      return write(next);
    }

    const touched: unknown[] = [];
    const next = elements.map((el) => {
      if (!matched.has(el)) return el;
      let replacement: unknown;
      if (sub) {
        replacement = withSub(isPlainObject(el) ? el : {}, sub, coerceValue(sub, raw, t.label, { wrapSingle: true }), op);
      } else {
        const value = coerceOne(attr, raw, t.label, { keepNulls: op === 'add' });
        // RFC 7644 §3.5.2.3: replace replaces the matching values; add merges into them.
        replacement = op === 'add' && isPlainObject(el) && isPlainObject(value) ? merge(el, value) : value;
      }
      this.assertElement(t, el, replacement, sub);
      touched.push(replacement);
      return replacement;
    });
    const kept = next.filter((el) => el !== undefined);
    clearOtherPrimaries(attr, kept, touched);
    write(kept);
  }

  /**
   * `add`/`replace` with a filter matching nothing: the new element is what the filter's `eq` comparisons describe
   * plus the value; undefined (nothing to do) when the value is null, as there is nothing to unassign.
   */
  private createFromFilter(t: Target, raw: unknown): Record<string, unknown> | undefined {
    const seed = t.attr.type === 'complex' && t.filter ? seedFromFilter(t.filter, t.attr) : undefined;
    if (!seed) {
      throw noTarget(
        `No value of '${this.qualified(t)}' matches the filter in path '${t.label}', and the filter does not describe a new value ` +
          `(only 'eq' comparisons of sub-attributes joined by 'and' do, e.g. type eq "work")`,
      );
    }
    const base = coerceOne(t.attr, seed, t.label) as Record<string, unknown>;
    let given: Record<string, unknown> | undefined;
    if (t.sub) {
      const value = coerceValue(t.sub, raw, t.label, { wrapSingle: true });
      if (value === undefined) return undefined;
      assertMutability(t.sub, undefined, value, `${this.qualified(t)}[filter].${t.sub.name}`);
      given = { [t.sub.name]: value };
    } else {
      const value = coerceOne(t.attr, raw, t.label);
      if (value === undefined) return undefined;
      if (!isPlainObject(value)) throw invalidValue(`'${t.label}' needs an object value`);
      given = value;
    }
    // The value cannot contradict the filter it was addressed by (`emails[type eq "work"]` with type "home").
    for (const [key, want] of Object.entries(base)) {
      const sub = findAttribute(t.attr.subAttributes, key);
      if (Object.hasOwn(given, key) && sub && !valuesEqual(sub, given[key], want)) {
        throw invalidValue(`'${t.label}': the value's '${key}' contradicts the path's filter`);
      }
    }
    return { ...base, ...given };
  }

  private matches(t: Target, element: unknown): boolean {
    if (!t.filter) return true;
    try {
      if (t.attr.type === 'complex') return matchesValueFilter(t.filter, element, t.attr);
      // A simple multi-valued attribute's elements are addressed as `value` (`folders[value eq "x"]`).
      const asComplex = defineAttribute(t.attr.name, 'complex', {
        multiValued: true,
        subAttributes: [defineAttribute('value', t.attr.type, { caseExact: t.attr.caseExact })],
      });
      return matchesValueFilter(t.filter, { value: element }, asComplex);
    } catch (err) {
      // A filter that cannot be evaluated makes the PATCH path invalid (RFC 7644 §3.12 invalidPath).
      if (err instanceof ScimError) throw invalidPath(`${err.detail} (path '${t.label}')`);
      throw err;
    }
  }

  /**
   * In-place edits of an existing element: an explicitly targeted sub-attribute must respect its mutability;
   * otherwise immutable sub-attributes must keep their values. Adding and removing whole elements is free.
   */
  private assertElement(t: Target, before: unknown, after: unknown, sub: AttributeDefinition | undefined): void {
    if (!isPlainObject(before) || after === undefined) return;
    const afterObj = isPlainObject(after) ? after : {};
    const label = `${this.qualified(t)}[${t.filter ? 'filter' : '*'}]`;
    if (sub) return assertMutability(sub, ownValue(before, sub.name), ownValue(afterObj, sub.name), `${label}.${sub.name}`);
    for (const s of t.attr.subAttributes ?? []) {
      if (s.mutability === 'immutable') assertMutability(s, ownValue(before, s.name), ownValue(afterObj, s.name), `${label}.${s.name}`);
    }
  }
}

/** Value filters name sub-attributes of the filtered attribute (`value` for a simple multi-valued one); others are typos. */
function assertFilterAttributes(node: FilterNode, attr: AttributeDefinition, label: string): void {
  switch (node.kind) {
    case 'and':
    case 'or':
      assertFilterAttributes(node.left, attr, label);
      assertFilterAttributes(node.right, attr, label);
      return;
    case 'not':
      return assertFilterAttributes(node.filter, attr, label);
    case 'valuePath':
      throw invalidPath(`Value filters cannot be nested (path '${label}')`);
    default: {
      const name = node.attribute.attribute;
      const known = attr.type === 'complex' ? findAttribute(attr.subAttributes, name) : name.toLowerCase() === 'value';
      if (!known) throw invalidPath(`Unknown sub-attribute '${attr.name}.${name}' in the filter of path '${label}'`);
    }
  }
}

/** `type eq "work" and primary eq true` → `{ type: "work", primary: true }`; undefined for any other filter. */
function seedFromFilter(node: FilterNode, attr: AttributeDefinition): Record<string, unknown> | undefined {
  if (node.kind === 'compare') {
    if (node.op !== 'eq' || node.value === null || node.attribute.schema || node.attribute.subAttribute) return undefined;
    const sub = findAttribute(attr.subAttributes, node.attribute.attribute);
    return sub && { [sub.name]: node.value };
  }
  if (node.kind === 'and') {
    const left = seedFromFilter(node.left, attr);
    const right = seedFromFilter(node.right, attr);
    if (!left || !right || Object.keys(right).some((k) => Object.hasOwn(left, k) && !deepEqual(left[k], right[k]))) return undefined;
    return { ...left, ...right };
  }
  return undefined;
}

/** An app role (roles, entitlements) is one role per `value`, whatever display, type or primary come with it. */
function sameAppRole(attr: AttributeDefinition, a: unknown, b: unknown): boolean {
  const valueDef = findAttribute(attr.subAttributes, 'value');
  const x = roleValue(a);
  const y = roleValue(b);
  return valueDef !== undefined && x !== undefined && y !== undefined && valuesEqual(valueDef, x, y);
}

function roleValue(element: unknown): unknown {
  return isPlainObject(element) ? ownValue(element, 'value') : undefined;
}

/** Sets (or, with undefined, unassigns) one sub-attribute; `add` appends to a multi-valued sub-attribute. */
function withSub(el: Record<string, unknown>, sub: AttributeDefinition, value: unknown, op: PatchOpName): Record<string, unknown> {
  const next = { ...el };
  const held = ownValue(next, sub.name);
  if (value === undefined) delete next[sub.name];
  else if (op === 'add' && sub.multiValued && Array.isArray(held)) {
    const list = held as unknown[];
    next[sub.name] = [...list, ...(value as unknown[]).filter((v) => !list.some((x) => elementsEqual(sub, x, v)))];
  } else next[sub.name] = value;
  return next;
}

/** Merges sub-attributes into a complex value; null unassigns (RFC 7643 §2.5). */
function merge(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = value;
  }
  return out;
}

/** RFC 7644 §3.5.2: setting primary true on some values sets it false on the others. */
function clearOtherPrimaries(attr: AttributeDefinition, list: unknown[], touched: unknown[]): void {
  const primary = findAttribute(attr.subAttributes, 'primary');
  if (!primary || !touched.some((el) => isPlainObject(el) && el[primary.name] === true)) return;
  list.forEach((el, i) => {
    if (isPlainObject(el) && el[primary.name] === true && !touched.includes(el)) list[i] = { ...el, [primary.name]: false };
  });
}

function parsePath(key: string): PatchPath {
  try {
    return parsePatchPath(key);
  } catch (err) {
    throw invalidPath(`Invalid attribute path '${key}' in value: ${err instanceof Error ? err.message : String(err)}`);
  }
}
