import { additionalAttribute, AttributeDefinition, findAttribute, SchemaDefinition } from '../schema/attribute';
import { commonAttributes } from '../schema/user.schema';
import { ResourceTypeSchemas } from './types';

/** Attributes that live at the top level of a document: the common ones (RFC 7643 §3.1) plus the core schema's. */
export function topLevelAttributes(types: ResourceTypeSchemas): readonly AttributeDefinition[] {
  let list = topLevel.get(types.core);
  if (!list) topLevel.set(types.core, (list = [...commonAttributes, ...types.core.attributes]));
  return list;
}

/** One list per core schema: the same array each time, so findAttribute's index of it is built once. */
const topLevel = new WeakMap<SchemaDefinition, readonly AttributeDefinition[]>();

/** Schema ids lower-cased once (URNs compare case-insensitively; lower-casing per lookup allocated per key). */
const lowerIds = new WeakMap<SchemaDefinition, string>();
function lowerId(schema: SchemaDefinition): string {
  let id = lowerIds.get(schema);
  if (id === undefined) lowerIds.set(schema, (id = schema.id.toLowerCase()));
  return id;
}

/** The attributes addressable under a schema: for the core schema that includes the common attributes. */
export function attributesOf(types: ResourceTypeSchemas, schema: SchemaDefinition): readonly AttributeDefinition[] {
  return schema === types.core ? topLevelAttributes(types) : schema.attributes;
}

/** One attribute addressable under a schema (see attributesOf), including an open schema's undeclared ones. */
export function attributeOf(types: ResourceTypeSchemas, schema: SchemaDefinition, name: string): AttributeDefinition | undefined {
  return findAttribute(attributesOf(types, schema), name) ?? additionalAttribute(schema, name);
}

/**
 * The attributes of a schema that a set of values may hold: the declared ones, and for an open schema also the
 * undeclared keys present in `values` (the extension object of a document).
 */
export function attributesWithValues(types: ResourceTypeSchemas, schema: SchemaDefinition, values: unknown): readonly AttributeDefinition[] {
  const declared = attributesOf(types, schema);
  if (!schema.additionalStringAttributes || typeof values !== 'object' || values === null || Array.isArray(values)) return declared;
  const extra = Object.keys(values)
    .filter((key) => !findAttribute(declared, key))
    .map((key) => additionalAttribute(schema, key))
    .filter((def): def is AttributeDefinition => def !== undefined);
  return extra.length ? [...declared, ...extra] : declared;
}

/** Schema URNs compare case-insensitively (clients are inconsistent, and RFC 8141 URN namespaces are). */
export function findSchema(types: ResourceTypeSchemas, urn: string): SchemaDefinition | undefined {
  const lower = urn.toLowerCase();
  return lowerId(types.core) === lower ? types.core : types.extensions.find((s) => lowerId(s) === lower);
}

export function findExtension(types: ResourceTypeSchemas, urn: string): SchemaDefinition | undefined {
  const lower = urn.toLowerCase();
  return types.extensions.find((s) => lowerId(s) === lower);
}

/**
 * Splits a fully-qualified name `urn:…:User:name.givenName` into its schema and the rest (`name.givenName`).
 * Uses the known schema ids rather than a grammar, since URNs contain both ':' and '.' (`…:2.0:User`).
 * The longest id wins, in case one id is a prefix of another.
 */
export function splitSchemaPrefix(types: ResourceTypeSchemas, text: string): { schema: SchemaDefinition; rest: string } | undefined {
  const lower = text.toLowerCase();
  let best: SchemaDefinition | undefined;
  for (const schema of [types.core, ...types.extensions]) {
    const id = lowerId(schema);
    if (lower.length > id.length + 1 && lower.charCodeAt(id.length) === 0x3a /* : */ && lower.startsWith(id) && (!best || schema.id.length > best.id.length))
      best = schema;
  }
  return best && { schema: best, rest: text.slice(best.id.length + 1) };
}

/** Where the values of `schema`'s attributes sit in a document: top level for core, under the URN for extensions. */
export function containerKey(types: ResourceTypeSchemas, schema: SchemaDefinition): string | undefined {
  return schema === types.core ? undefined : schema.id;
}

/** A simple attribute path without filters: `attr`, `attr.sub`, optionally URN-prefixed, or a bare schema URN. */
export type SimplePath =
  { kind: 'schema'; schema: SchemaDefinition } | { kind: 'attribute'; schema: SchemaDefinition; attr: AttributeDefinition; sub?: AttributeDefinition };

/** Resolves a simple path (as used in `attributes`/`excludedAttributes` and flattened URN keys); undefined if unknown. */
export function resolveSimplePath(types: ResourceTypeSchemas, text: string): SimplePath | undefined {
  const whole = findSchema(types, text);
  if (whole) return { kind: 'schema', schema: whole };
  const prefixed = splitSchemaPrefix(types, text);
  if (!prefixed && /^urn:/i.test(text)) return undefined;
  const schema = prefixed?.schema ?? types.core;
  const [attrName, subName, ...extra] = (prefixed?.rest ?? text).split('.');
  if (extra.length) return undefined;
  const attr = attributeOf(types, schema, attrName);
  if (!attr) return undefined;
  if (subName === undefined) return { kind: 'attribute', schema, attr };
  const sub = findAttribute(attr.subAttributes, subName);
  return sub && { kind: 'attribute', schema, attr, sub };
}

/** For error details: which extension defines an attribute the client wrote unqualified. */
export function extensionDefining(types: ResourceTypeSchemas, name: string): SchemaDefinition | undefined {
  return types.extensions.find((s) => findAttribute(s.attributes, name));
}

/** The extension defining an attribute of that name, when exactly one does (an unqualified name is then unambiguous). */
export function onlyExtensionDefining(types: ResourceTypeSchemas, name: string): SchemaDefinition | undefined {
  const defining = types.extensions.filter((s) => findAttribute(s.attributes, name));
  return defining.length === 1 ? defining[0] : undefined;
}
