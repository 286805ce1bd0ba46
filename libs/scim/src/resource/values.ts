import { AttributeDefinition, findAttribute } from '../schema/attribute';

/** A JSON object: not null, not an array. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The value of an object's own member `key`, else undefined. Attribute names come from clients and tenants and may
 * be `constructor` or `toString` (an open schema's keys are the customer's data): `obj[key]` would read
 * Object.prototype's member instead of "unassigned". Every read of a document member by a name uses this.
 */
export function ownValue(obj: Record<string, unknown> | undefined, key: string): unknown {
  return obj !== undefined && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** RFC 7643 §2.5: unassigned, null and an empty array are the same state. */
export function isAssigned(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainObject(value)) return Object.values(value).some(isAssigned);
  return true;
}

/** Structural JSON equality, ignoring key order and keys whose value is undefined. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) if (!deepEqual(ownValue(a, key), ownValue(b, key))) return false;
    return true;
  }
  return false;
}

/** JSON deep copy (documents are JSON, so this is exact). */
export function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/**
 * Equality as the attribute definition sees it: strings compare case-insensitively unless `caseExact`,
 * complex values compare sub-attribute by sub-attribute, multi-valued ones as unordered sets.
 */
export function valuesEqual(def: AttributeDefinition, a: unknown, b: unknown): boolean {
  if (!isAssigned(a) && !isAssigned(b)) return true;
  if (def.multiValued) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x) => b.some((y) => elementsEqual(def, x, y))) && b.every((y) => a.some((x) => elementsEqual(def, x, y)));
  }
  return elementsEqual(def, a, b);
}

/** Equality of one value (or one element of a multi-valued attribute). */
export function elementsEqual(def: AttributeDefinition, a: unknown, b: unknown): boolean {
  if (def.type === 'complex') {
    if (!isPlainObject(a) || !isPlainObject(b)) return deepEqual(a, b);
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const sub = findAttribute(def.subAttributes, key);
      const x = ownValue(a, key);
      const y = ownValue(b, key);
      if (sub ? !valuesEqual(sub, x, y) : !deepEqual(x, y)) return false;
    }
    return true;
  }
  return scalarsEqual(def, a, b);
}

/**
 * Does `element` match `pattern`? Every sub-attribute assigned in the pattern must be equal in the element;
 * used for Entra's `remove` with a `value` (`[{"value": "id", "$ref": null}]` names the member by its value only).
 */
export function elementMatches(def: AttributeDefinition, element: unknown, pattern: unknown): boolean {
  if (def.type !== 'complex' || !isPlainObject(pattern)) return elementsEqual(def, element, pattern);
  if (!isPlainObject(element)) return false;
  return Object.entries(pattern).every(([key, want]) => {
    if (!isAssigned(want)) return true;
    const sub = findAttribute(def.subAttributes, key);
    return sub ? valuesEqual(sub, ownValue(element, sub.name), want) : deepEqual(ownValue(element, key), want);
  });
}

function scalarsEqual(def: AttributeDefinition, a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string' && !def.caseExact && (def.type === 'string' || def.type === 'reference')) {
    return a.toLowerCase() === b.toLowerCase();
  }
  return deepEqual(a, b);
}
