import { ScimError } from '../errors';
import { isPlainObject } from '../resource/values';
import { attr, ATTRIBUTE_NAME, AttributeDefinition, AttributeType, Mutability, Returned, SchemaDefinition } from './attribute';

/** The schema representation URN (RFC 7643 §7); a registration may carry it, as /Schemas returns it. */
export const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

const TYPES: AttributeType[] = ['string', 'boolean', 'decimal', 'integer', 'dateTime', 'reference', 'complex', 'binary'];
const MUTABILITIES: Mutability[] = ['readWrite', 'immutable', 'writeOnly', 'readOnly'];
const RETURNED: Returned[] = ['default', 'always', 'never', 'request'];
const SCHEMA_MEMBERS = new Set(['schemas', 'id', 'name', 'description', 'attributes', 'additionalStringAttributes', 'meta']);
const ATTRIBUTE_MEMBERS = new Set([
  'name',
  'type',
  'multiValued',
  'description',
  'required',
  'caseExact',
  'mutability',
  'returned',
  'uniqueness',
  'canonicalValues',
  'referenceTypes',
  'subAttributes',
]);

export const MAX_SCHEMA_ATTRIBUTES = 100;
const MAX_NAME = 64;
const MAX_ID = 256;
const MAX_TEXT = 1024;

/**
 * RFC 8141 URN: `urn:` NID `:` NSS, the NSS without spaces or characters that would need escaping in a path.
 * Case-insensitive, as URN namespaces compare case-insensitively.
 */
const URN = /^urn:[a-z0-9][a-z0-9-]{0,30}[a-z0-9]:[a-z0-9()+,\-.:=@;$_!*'%/~]+$/i;

/**
 * Namespaces a tenant cannot register under: the standard's resource and message schemas, and the enterprise User
 * extension, which every tenant already has.
 */
const RESERVED_PREFIXES = ['urn:ietf:params:scim:schemas:core:', 'urn:ietf:params:scim:api:', 'urn:ietf:params:scim:schemas:extension:enterprise:'];

/**
 * Validates a tenant-defined extension schema as an admin submits it (the RFC 7643 §7 representation without the
 * server-side members, plus scimflow's `additionalStringAttributes`) and returns it as a SchemaDefinition with every
 * attribute characteristic filled in (RFC 7643 §2.2 defaults). `known` are the schema ids the tenant's resource type
 * already has: the new id must neither equal one (case-insensitively) nor be a prefix of one or have one as prefix,
 * since `<schema id>:<attribute>` paths must split unambiguously.
 *
 * Rules beyond the RFC, because scimflow could not honour them: `uniqueness` must be `none`; sub-attributes cannot
 * have sub-attributes (RFC 7643 §2.3.8 says so too); a `writeOnly` attribute must be `returned: never`.
 * Every problem is reported at once, in one 400 invalidValue.
 */
export function validateSchemaRegistration(input: unknown, known: readonly string[] = []): SchemaDefinition {
  const problems: string[] = [];
  const fail = (where: string, what: string) => problems.push(`${where}: ${what}`);
  if (!isPlainObject(input)) throw ScimError.badRequest('invalidValue', 'A schema registration must be a JSON object');

  for (const key of Object.keys(input)) if (!SCHEMA_MEMBERS.has(key)) fail(key, 'unknown member');
  const schemas = input.schemas;
  if (schemas !== undefined && !(Array.isArray(schemas) && schemas.length === 1 && schemas[0] === SCHEMA_SCHEMA)) {
    fail('schemas', `must be omitted or be ["${SCHEMA_SCHEMA}"]`);
  }

  const id = input.id;
  if (typeof id !== 'string' || !URN.test(id) || id.endsWith(':') || id.length > MAX_ID) {
    fail('id', `must be a URN such as "urn:ietf:params:scim:schemas:extension:2.0:Example" (at most ${MAX_ID} characters, not ending with ':')`);
  } else {
    const lower = id.toLowerCase();
    const reserved = RESERVED_PREFIXES.find((p) => lower.startsWith(p));
    if (reserved) fail('id', `'${reserved}…' is reserved for the SCIM standard's schemas`);
    for (const other of known) {
      const o = other.toLowerCase();
      if (o === lower) fail('id', `the schema '${other}' already exists`);
      else if (lower.startsWith(`${o}:`) || o.startsWith(`${lower}:`)) fail('id', `overlaps the schema '${other}' (one id may not be a prefix of another)`);
    }
  }

  const name = input.name;
  if (typeof name !== 'string' || !name.trim() || name.length > MAX_NAME) fail('name', `must be a non-empty string of at most ${MAX_NAME} characters`);
  const description = input.description;
  if (description !== undefined && (typeof description !== 'string' || description.length > MAX_TEXT)) {
    fail('description', `must be a string of at most ${MAX_TEXT} characters`);
  }
  const open = input.additionalStringAttributes;
  if (open !== undefined && typeof open !== 'boolean') fail('additionalStringAttributes', 'must be true or false');

  const attributes = input.attributes ?? [];
  let defs: AttributeDefinition[] = [];
  if (!Array.isArray(attributes)) fail('attributes', 'must be an array');
  else if (attributes.length > MAX_SCHEMA_ATTRIBUTES) fail('attributes', `at most ${MAX_SCHEMA_ATTRIBUTES} attributes`);
  else {
    defs = attributes.map((a, i) => validateAttribute(a, `attributes[${i}]`, fail, true));
    duplicates(defs, 'attributes', fail);
    if (!defs.length && open !== true) fail('attributes', 'must declare at least one attribute (or set additionalStringAttributes)');
  }

  if (problems.length) throw ScimError.badRequest('invalidValue', `Invalid schema: ${problems.join('; ')}`);
  const schema: SchemaDefinition = {
    id: id as string,
    name: (name as string).trim(),
    description: (description as string | undefined) ?? '',
    attributes: defs,
  };
  if (open === true) schema.additionalStringAttributes = true;
  return schema;
}

/**
 * Whether `next` can replace the registered `current` without making stored documents invalid: every attribute
 * keeps its name, type, multi-valuedness and sub-attributes (other characteristics may change, except that a
 * previously optional attribute cannot become required), new attributes are optional, and an open schema stays
 * open. Returns the reasons it cannot; empty when it can.
 */
export function incompatibleChanges(current: SchemaDefinition, next: SchemaDefinition): string[] {
  const reasons: string[] = [];
  if (current.additionalStringAttributes && !next.additionalStringAttributes) reasons.push('additionalStringAttributes cannot be switched off');
  const compare = (before: AttributeDefinition[], after: AttributeDefinition[], where: string) => {
    for (const old of before) {
      const now = after.find((a) => a.name.toLowerCase() === old.name.toLowerCase());
      const at = `${where}${old.name}`;
      if (!now) reasons.push(`attribute '${at}' cannot be removed`);
      else {
        if (now.type !== old.type || now.multiValued !== old.multiValued) reasons.push(`attribute '${at}' cannot change its type or multiValued`);
        if (now.required && !old.required) reasons.push(`attribute '${at}' cannot become required`);
        compare(old.subAttributes ?? [], now.subAttributes ?? [], `${at}.`);
      }
    }
    for (const added of after) {
      if (added.required && !before.some((a) => a.name.toLowerCase() === added.name.toLowerCase())) {
        reasons.push(`new attribute '${where}${added.name}' cannot be required`);
      }
    }
  };
  compare(current.attributes, next.attributes, '');
  return reasons;
}

/**
 * What registering `input` does among a resource type's schemas: its `builtIn` ones and the tenant's `registered` ones.
 * A new id adds the schema; the id of a registered schema (case-insensitively) replaces that schema, keeping its
 * spelling, when the change keeps stored documents valid (incompatibleChanges), and is 409 otherwise. An invalid
 * definition is 400 invalidValue (validateSchemaRegistration).
 */
export function schemaRegistration(
  input: unknown,
  builtIn: readonly SchemaDefinition[],
  registered: readonly SchemaDefinition[],
): { schema: SchemaDefinition; replaces?: SchemaDefinition } {
  const wantedId = typeof (input as { id?: unknown })?.id === 'string' ? (input as { id: string }).id.toLowerCase() : undefined;
  const current = registered.find((s) => s.id.toLowerCase() === wantedId);
  const others = [...builtIn, ...registered].filter((s) => s !== current);
  const schema = validateSchemaRegistration(
    input,
    others.map((s) => s.id),
  );
  if (!current) return { schema };
  const reasons = incompatibleChanges(current, schema);
  if (reasons.length) throw new ScimError(409, `Schema ${current.id} cannot be changed this way, stored users may hold its data: ${reasons.join('; ')}`);
  return { schema: { ...schema, id: current.id }, replaces: current };
}

function validateAttribute(input: unknown, at: string, fail: (where: string, what: string) => void, topLevel: boolean): AttributeDefinition {
  const placeholder = attr('', 'string');
  if (!isPlainObject(input)) {
    fail(at, 'must be an object');
    return placeholder;
  }
  for (const key of Object.keys(input)) if (!ATTRIBUTE_MEMBERS.has(key)) fail(`${at}.${key}`, 'unknown member');

  const name = input.name;
  if (typeof name !== 'string' || !ATTRIBUTE_NAME.test(name) || name.length > MAX_NAME) {
    fail(`${at}.name`, `must start with a letter and hold only letters, digits, '-' and '_' (RFC 7643 §2.1), at most ${MAX_NAME} characters`);
  }
  const type = input.type;
  if (!TYPES.includes(type as AttributeType)) fail(`${at}.type`, `must be one of ${TYPES.join(', ')}`);
  const flag = (member: string, fallback: boolean): boolean => {
    const v = input[member];
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') fail(`${at}.${member}`, 'must be true or false');
    return v === true;
  };
  const multiValued = flag('multiValued', false);
  const required = flag('required', false);
  const caseExact = flag('caseExact', false);
  const mutability = (input.mutability ?? 'readWrite') as Mutability;
  if (!MUTABILITIES.includes(mutability)) fail(`${at}.mutability`, `must be one of ${MUTABILITIES.join(', ')}`);
  const returned = (input.returned ?? (mutability === 'writeOnly' ? 'never' : 'default')) as Returned;
  if (!RETURNED.includes(returned)) fail(`${at}.returned`, `must be one of ${RETURNED.join(', ')}`);
  if (mutability === 'writeOnly' && returned !== 'never') fail(`${at}.returned`, "must be 'never' for a writeOnly attribute");
  if (input.uniqueness !== undefined && input.uniqueness !== 'none') fail(`${at}.uniqueness`, "only 'none' is supported for tenant-defined attributes");
  if (input.description !== undefined && (typeof input.description !== 'string' || input.description.length > MAX_TEXT)) {
    fail(`${at}.description`, `must be a string of at most ${MAX_TEXT} characters`);
  }
  const strings = (member: string): string[] | undefined => {
    const v = input[member];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string' && s.length > 0 && s.length <= MAX_NAME)) {
      fail(`${at}.${member}`, 'must be an array of non-empty strings');
      return undefined;
    }
    return v as string[];
  };
  const canonicalValues = strings('canonicalValues');
  const referenceTypes = strings('referenceTypes');
  if (referenceTypes && type !== 'reference') fail(`${at}.referenceTypes`, "only a 'reference' attribute has referenceTypes");

  let subAttributes: AttributeDefinition[] | undefined;
  if (type === 'complex') {
    if (!topLevel) fail(`${at}.type`, 'a sub-attribute cannot be complex (RFC 7643 §2.3.8)');
    const subs = input.subAttributes;
    if (!Array.isArray(subs) || subs.length === 0) fail(`${at}.subAttributes`, 'a complex attribute needs a non-empty array of sub-attributes');
    else if (subs.length > MAX_SCHEMA_ATTRIBUTES) fail(`${at}.subAttributes`, `at most ${MAX_SCHEMA_ATTRIBUTES} sub-attributes`);
    else {
      subAttributes = subs.map((s, i) => validateAttribute(s, `${at}.subAttributes[${i}]`, fail, false));
      duplicates(subAttributes, `${at}.subAttributes`, fail);
    }
  } else if (input.subAttributes !== undefined) {
    fail(`${at}.subAttributes`, "only a 'complex' attribute has sub-attributes");
  }

  const def: AttributeDefinition = {
    name: typeof name === 'string' ? name : '',
    type: TYPES.includes(type as AttributeType) ? (type as AttributeType) : 'string',
    multiValued,
    required,
    caseExact,
    mutability,
    returned,
    uniqueness: 'none',
  };
  if (typeof input.description === 'string') def.description = input.description;
  if (canonicalValues) def.canonicalValues = canonicalValues;
  if (referenceTypes) def.referenceTypes = referenceTypes;
  if (subAttributes) def.subAttributes = subAttributes;
  return def;
}

function duplicates(defs: AttributeDefinition[], at: string, fail: (where: string, what: string) => void): void {
  const seen = new Set<string>();
  for (const d of defs) {
    const lower = d.name.toLowerCase();
    if (lower && seen.has(lower)) fail(at, `attribute name '${d.name}' is given more than once (names are case-insensitive)`);
    seen.add(lower);
  }
}
