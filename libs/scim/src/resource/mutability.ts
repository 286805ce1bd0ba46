import { ScimError } from '../errors';
import { AttributeDefinition } from '../schema/attribute';
import { attributesOf, containerKey } from './schema-index';
import { ResourceTypeSchemas, ScimDocument } from './types';
import { isAssigned, isPlainObject, ownValue, valuesEqual } from './values';

const mutability = (detail: string) => ScimError.badRequest('mutability', detail);

/**
 * RFC 7644 §3.5.2: a client MUST NOT modify a readOnly or immutable attribute, but MAY set an immutable one that had
 * no value. Single-valued complex attributes are checked sub-attribute by sub-attribute while they stay assigned;
 * there a readOnly sub-attribute may drop out (it is server-computed and goes stale when its parent is rewritten),
 * but not take a client value. Elements of multi-valued attributes may be added and removed freely (in-place edits
 * of elements are checked by PATCH itself).
 */
export function assertMutability(def: AttributeDefinition, before: unknown, after: unknown, label: string, viaParent = false): void {
  if (valuesEqual(def, before, after)) return;
  if (def.mutability === 'readOnly' && !(viaParent && !isAssigned(after))) throw mutability(`Attribute '${label}' is readOnly`);
  if (def.mutability === 'immutable' && isAssigned(before)) throw mutability(`Attribute '${label}' is immutable and already set`);
  if (def.type === 'complex' && !def.multiValued && isPlainObject(before) && isPlainObject(after)) {
    for (const sub of def.subAttributes ?? []) assertMutability(sub, ownValue(before, sub.name), ownValue(after, sub.name), `${label}.${sub.name}`, true);
  }
}

/**
 * RFC 7644 §3.5.2: an attribute that is required (or readOnly) must not be removed or become unassigned; the error
 * is `mutability`. Recurses into single-valued complex attributes that stay assigned.
 */
export function assertRequiredKept(def: AttributeDefinition, before: unknown, after: unknown, label: string): void {
  if (def.required && isAssigned(before) && !isAssigned(after)) {
    throw mutability(`Attribute '${label}' is required and cannot be removed`);
  }
  if (def.type === 'complex' && !def.multiValued && isPlainObject(before) && isPlainObject(after)) {
    for (const sub of def.subAttributes ?? []) assertRequiredKept(sub, ownValue(before, sub.name), ownValue(after, sub.name), `${label}.${sub.name}`);
  }
}

/**
 * Calls `visit` for every attribute of every schema with its value in the two documents.
 * `usedAfter`: only extensions that still hold data in `after` (an extension's required attributes bind only
 * while the extension is used, as in normalizeResource).
 */
export function forEachAttribute(
  types: ResourceTypeSchemas,
  before: ScimDocument,
  after: ScimDocument,
  visit: (def: AttributeDefinition, before: unknown, after: unknown, label: string) => void,
  usedAfter = false,
): void {
  for (const schema of [types.core, ...types.extensions]) {
    const key = containerKey(types, schema);
    const b = key ? ownValue(before, key) : before;
    const a = key ? ownValue(after, key) : after;
    if (usedAfter && key && !isAssigned(a)) continue;
    for (const def of attributesOf(types, schema)) {
      visit(
        def,
        isPlainObject(b) ? ownValue(b, def.name) : undefined,
        isPlainObject(a) ? ownValue(a, def.name) : undefined,
        key ? `${key}:${def.name}` : def.name,
      );
    }
  }
}

/**
 * For PUT (RFC 7644 §3.5.1): immutable attributes that are already set must keep their value. Both documents are
 * normalized (readOnly attributes are not compared: PUT ignores them).
 */
export function assertImmutableUnchanged(stored: ScimDocument, next: ScimDocument, types: ResourceTypeSchemas): void {
  forEachAttribute(types, stored, next, (def, before, after, label) => {
    if (def.mutability !== 'readOnly') assertMutability(def, before, after, label);
  });
}
