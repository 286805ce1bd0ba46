import { ScimError } from '../errors';
import { AttributeDefinition, findAttribute, SchemaDefinition } from '../schema/attribute';
import { coerceValue } from './coerce';
import { attributeOf, attributesOf, extensionDefining, findExtension, findSchema, splitSchemaPrefix } from './schema-index';
import { ResourceTypeSchemas, ScimDocument } from './types';
import { isAssigned, isPlainObject, ownValue } from './values';

const invalid = (detail: string) => ScimError.badRequest('invalidValue', detail);

/** Raw input gathered for one attribute, possibly from several keys (`manager` and flattened `…:manager.value`). */
interface Gathered {
  def: AttributeDefinition;
  label: string;
  whole?: { raw: unknown };
  subs: Map<string, { sub: AttributeDefinition; raw: unknown; label: string }>;
}

/**
 * Validates a POST (`create`) or PUT (`replace`) body and returns the document to store: canonical attribute names,
 * extension attributes under their URN, coerced values, readOnly attributes dropped, `schemas` = core + extensions
 * present. Never contains `id` or `meta`. Throws ScimError 400 (invalidSyntax / invalidValue).
 *
 * Both modes validate identically; PUT's "immutable values must match" rule needs the stored resource, see
 * `assertImmutableUnchanged`. The mode only shows in error details.
 */
export function normalizeResource(body: unknown, types: ResourceTypeSchemas, mode: 'create' | 'replace'): ScimDocument {
  if (!isPlainObject(body)) throw ScimError.badRequest('invalidSyntax', `The ${mode} request body must be a JSON object`);
  checkSchemas(body, types);

  const gathered = new Map<SchemaDefinition, Map<string, Gathered>>();
  const gather = (schema: SchemaDefinition, name: string, raw: unknown, label: string, allowSub: boolean) => {
    const [attrName, subName, ...rest] = allowSub ? name.split('.') : [name];
    const def = attributeOf(types, schema, attrName);
    if (!def || rest.length) throw invalid(unknownAttributeDetail(types, schema, label, attrName));
    // readOnly attributes (id, meta, groups, …) are ignored on input (RFC 7643 §2.2), whatever their value.
    if (def.mutability === 'readOnly') return;
    const bySchema = gathered.get(schema) ?? new Map<string, Gathered>();
    gathered.set(schema, bySchema);
    const entry: Gathered = bySchema.get(def.name) ?? { def, label, subs: new Map() };
    bySchema.set(def.name, entry);
    if (subName === undefined) {
      if (entry.whole) throw invalid(`Attribute '${label}' is given more than once`);
      entry.whole = { raw };
      return;
    }
    const sub = def.type === 'complex' && !def.multiValued ? findAttribute(def.subAttributes, subName) : undefined;
    if (!sub) throw invalid(`Unknown attribute '${label}'`);
    if (entry.subs.has(sub.name)) throw invalid(`Attribute '${label}' is given more than once`);
    entry.subs.set(sub.name, { sub, raw, label });
  };

  for (const [key, raw] of Object.entries(body)) {
    if (key.toLowerCase() === 'schemas') continue;
    const extension = findExtension(types, key);
    if (extension) {
      if (raw === null) continue;
      if (!isPlainObject(raw)) throw invalid(`'${key}' must be an object holding the extension's attributes`);
      for (const [name, value] of Object.entries(raw)) gather(extension, name, value, `${extension.id}:${name}`, false);
      continue;
    }
    // Entra's flattened form: `"urn:…:enterprise:2.0:User:department": "x"`; also fully-qualified core names.
    const prefixed = splitSchemaPrefix(types, key);
    if (prefixed) {
      gather(prefixed.schema, prefixed.rest, raw, key, true);
      continue;
    }
    if (/^urn:/i.test(key)) throw invalid(`Unknown schema in attribute '${key}'`);
    gather(types.core, key, raw, key, false);
  }

  const out: ScimDocument = {};
  const present: string[] = [];
  for (const schema of [types.core, ...types.extensions]) {
    const values: Record<string, unknown> = {};
    const given = gathered.get(schema);
    if (given) {
      // declared attributes in the schema's order, then an open schema's undeclared ones as far as the body uses them
      const declared = attributesOf(types, schema);
      for (const def of declared) {
        const entry = given.get(def.name);
        const value = entry && coerceValue(def, combine(entry), entry.label);
        if (value !== undefined) values[def.name] = value;
      }
      if (schema.additionalStringAttributes) {
        for (const entry of given.values()) {
          if (declared.includes(entry.def)) continue;
          const value = coerceValue(entry.def, combine(entry), entry.label);
          if (value !== undefined) values[entry.def.name] = value;
        }
      }
    }
    const hasData = Object.keys(values).length > 0;
    // An extension's required attributes only bind when the extension is used at all.
    if (schema === types.core || hasData) {
      for (const def of attributesOf(types, schema)) assertRequired(def, ownValue(values, def.name), qualify(types, schema, def.name));
    }
    if (schema === types.core) Object.assign(out, values);
    else if (hasData) out[schema.id] = values;
    if (hasData || schema === types.core) present.push(schema.id);
  }
  return { schemas: present, ...out };
}

/** `schemas` must list the core schema; extension URNs must be known. Data without its URN listed is fine (Entra). */
function checkSchemas(body: Record<string, unknown>, types: ResourceTypeSchemas): void {
  const key = Object.keys(body).find((k) => k.toLowerCase() === 'schemas');
  const schemas = key === undefined ? undefined : ownValue(body, key);
  if (!Array.isArray(schemas) || !schemas.every((s) => typeof s === 'string')) {
    throw invalid(`'schemas' must be an array of schema URIs including '${types.core.id}'`);
  }
  for (const urn of schemas as string[]) {
    if (!findSchema(types, urn)) throw invalid(`Unknown schema '${urn}' in 'schemas'`);
  }
  if (!schemas.some((s) => (s as string).toLowerCase() === types.core.id.toLowerCase())) {
    throw invalid(`'schemas' must include '${types.core.id}'`);
  }
}

function combine(entry: Gathered): unknown {
  if (!entry.subs.size) return entry.whole?.raw;
  const base = entry.whole?.raw;
  if (base !== undefined && base !== null && !isPlainObject(base)) throw invalid(`Attribute '${entry.label}' must be an object`);
  const merged: Record<string, unknown> = { ...(base ?? {}) };
  for (const { sub, raw, label } of entry.subs.values()) {
    if (Object.keys(merged).some((k) => k.toLowerCase() === sub.name.toLowerCase())) {
      throw invalid(`Attribute '${label}' is given more than once`);
    }
    merged[sub.name] = raw;
  }
  return merged;
}

/** Required attributes must be assigned; required strings must not be blank (userName). Recurses into complex values. */
export function assertRequired(def: AttributeDefinition, value: unknown, label: string): void {
  if (def.required && (!isAssigned(value) || (typeof value === 'string' && value.trim() === ''))) {
    throw invalid(`Attribute '${label}' is required and must not be empty`);
  }
  if (def.type !== 'complex' || !isAssigned(value)) return;
  const elements = def.multiValued ? (value as unknown[]) : [value];
  elements.forEach((el, i) => {
    if (!isPlainObject(el)) return;
    const at = def.multiValued ? `${label}[${i}]` : label;
    for (const sub of def.subAttributes ?? []) assertRequired(sub, ownValue(el, sub.name), `${at}.${sub.name}`);
  });
}

function qualify(types: ResourceTypeSchemas, schema: SchemaDefinition, name: string): string {
  return schema === types.core ? name : `${schema.id}:${name}`;
}

function unknownAttributeDetail(types: ResourceTypeSchemas, schema: SchemaDefinition, label: string, name: string): string {
  const hint = schema === types.core ? extensionDefining(types, name) : undefined;
  return hint
    ? `Unknown attribute '${label}' in schema '${schema.id}'; did you mean '${hint.id}:${name}'?`
    : `Unknown attribute '${label}' in schema '${schema.id}'`;
}
