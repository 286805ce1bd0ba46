import { ScimError } from '../errors';
import { AttributeDefinition, findAttribute } from '../schema/attribute';
import { isPlainObject } from './values';

export interface CoerceOptions {
  /**
   * PATCH: accept one value where a multi-valued attribute expects an array, and an array of one value where a
   * single-valued complex attribute expects that value.
   */
  wrapSingle?: boolean;
  /** PATCH merge into a complex attribute: keep `null` sub-attributes so the merge can unassign them. */
  keepNulls?: boolean;
}

const invalid = (detail: string) => ScimError.badRequest('invalidValue', detail);

/** xsd:dateTime (RFC 7643 §2.3.5); the value is stored as sent. */
const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * Checks and coerces a client value against its attribute definition and returns the value to store,
 * with sub-attribute names canonicalised. `undefined` means unassigned (null, empty array, empty object).
 * `path` names the attribute in error details.
 */
export function coerceValue(def: AttributeDefinition, value: unknown, path: string, opts: CoerceOptions = {}): unknown {
  if (value === null || value === undefined) return undefined;
  if (def.coerceToString && !def.multiValued) return stringForm(value);
  if (!def.multiValued) {
    if (Array.isArray(value)) {
      // Entra sets the single-valued enterprise manager with an array of one { $ref, value } (tutorial, "Example 5").
      if (opts.wrapSingle && def.type === 'complex' && value.length === 1) return coerceOne(def, value[0], path, opts);
      throw invalid(`Attribute '${path}' is single-valued; an array was given`);
    }
    return coerceOne(def, value, path, opts);
  }
  let list: unknown[];
  if (Array.isArray(value)) list = value;
  else if (opts.wrapSingle || def.appRoles) list = [value];
  else throw invalid(`Attribute '${path}' is multi-valued and must be an array`);
  const out: unknown[] = [];
  list.forEach((item, i) => {
    // keepNulls is for merging into one complex value, never for list elements (Entra sends `"$ref": null`).
    const coerced = coerceOne(def, item, `${path}[${i}]`, { ...opts, keepNulls: false });
    if (coerced !== undefined) out.push(coerced);
  });
  assertSinglePrimary(def, out, path);
  return out.length ? out : undefined;
}

/** RFC 7643 §2.4: the primary value "true" MUST appear no more than once. */
export function assertSinglePrimary(def: AttributeDefinition, list: unknown[], path: string): void {
  const primary = findAttribute(def.subAttributes, 'primary');
  if (!primary) return;
  const count = list.filter((el) => isPlainObject(el) && el[primary.name] === true).length;
  if (count > 1) throw invalid(`Attribute '${path}' has ${count} values with primary true; at most one is allowed`);
}

/** One value of the attribute (the attribute itself if single-valued, one element otherwise). */
export function coerceOne(def: AttributeDefinition, value: unknown, path: string, opts: CoerceOptions = {}): unknown {
  if (value === null || value === undefined) return undefined;
  switch (def.type) {
    case 'complex':
      return coerceComplex(def, def.appRoles ? appRoleElement(value) : value, path, opts);
    case 'string':
    case 'reference':
    case 'binary':
      if (typeof value === 'string') return value;
      if (def.coerceToString) return stringForm(value);
      throw invalid(`Attribute '${path}' must be a string`);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      // Entra sends booleans as "True"/"False" (known issue, fixed only behind the aadOptscim062020 flag).
      if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
      throw invalid(`Attribute '${path}' must be a boolean`);
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      throw invalid(`Attribute '${path}' must be an integer`);
    case 'decimal':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      throw invalid(`Attribute '${path}' must be a number`);
    case 'dateTime':
      if (typeof value === 'string' && DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))) return value;
      throw invalid(`Attribute '${path}' must be an xsd:dateTime string`);
  }
}

/** The string an open schema's attribute stores for any JSON value: strings as they are, others as their JSON text. */
function stringForm(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * One app role as Entra sends it, in the attribute's own shape: `"Admin"` → `{value: "Admin"}`; `displayName` →
 * `display`; a `value` that is Entra's JSON-encoded assignment → its `value` and `displayName` (Entra's documented
 * PATCH form for SingleAppRoleAssignment and AppRoleAssignmentsComplex, whose POST form sends the plain name).
 */
function appRoleElement(value: unknown): unknown {
  if (typeof value === 'string') return appRoleElement({ value });
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = { ...value };
  const keyOf = (name: string) => Object.keys(out).find((k) => k.toLowerCase() === name);
  const displayName = keyOf('displayname');
  if (displayName !== undefined && keyOf('display') === undefined) {
    out.display = out[displayName];
    delete out[displayName];
  }
  const valueKey = keyOf('value');
  const encoded = valueKey !== undefined ? decodedAppRole(out[valueKey]) : undefined;
  if (encoded && valueKey !== undefined) {
    out[valueKey] = encoded.value;
    if (encoded.display !== undefined && keyOf('display') === undefined) out.display = encoded.display;
  }
  return out;
}

function decodedAppRole(value: unknown): { value: string; display?: string } | undefined {
  if (typeof value !== 'string' || !value.trimStart().startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    // not JSON: a role name that happens to start with "{", kept as sent
    return undefined;
  }
  if (!isPlainObject(parsed) || typeof parsed.value !== 'string') return undefined;
  return { value: parsed.value, display: typeof parsed.displayName === 'string' ? parsed.displayName : undefined };
}

function coerceComplex(def: AttributeDefinition, value: unknown, path: string, opts: CoerceOptions): unknown {
  if (!isPlainObject(value)) {
    // Entra sends the enterprise `manager` as the bare manager id; a single-valued complex attribute with a
    // `value` sub-attribute takes a bare value as `{ value }`.
    const valueSub = findAttribute(def.subAttributes, 'value');
    if (!def.multiValued && valueSub && valueSub.type !== 'complex' && !Array.isArray(value) && typeof value !== 'object') {
      // an empty id names no one: unassigned, not a reference to ""
      if (value === '') return undefined;
      return coerceComplex(def, { [valueSub.name]: value }, path, opts);
    }
    throw invalid(`Attribute '${path}' must be an object`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(value)) {
    const sub = findAttribute(def.subAttributes, key);
    if (!sub) throw invalid(`Unknown sub-attribute '${path}.${key}'`);
    if (Object.hasOwn(out, sub.name)) throw invalid(`Sub-attribute '${path}.${sub.name}' is given more than once`);
    // readOnly sub-attributes are ignored on input, like readOnly attributes (RFC 7643 §2.2), unless the whole
    // attribute is readOnly: then the caller must see the attempted write to report a mutability error.
    if (sub.mutability === 'readOnly' && def.mutability !== 'readOnly') {
      out[sub.name] = undefined;
      continue;
    }
    const coerced = coerceValue(sub, raw, `${path}.${sub.name}`, { wrapSingle: opts.wrapSingle });
    if (coerced !== undefined) out[sub.name] = coerced;
    else if (opts.keepNulls && raw === null) out[sub.name] = null;
    else out[sub.name] = undefined;
  }
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
  return Object.keys(out).length ? out : undefined;
}
