/**
 * SCIM attribute definitions (RFC 7643 §2.2, §7) as data. Validation, PATCH, filtering and projection
 * are driven by these definitions rather than by per-attribute code.
 */
export type AttributeType = 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'complex' | 'binary';
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
export type Returned = 'always' | 'never' | 'default' | 'request';
export type Uniqueness = 'none' | 'server' | 'global';

export interface AttributeDefinition {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  description?: string;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: Returned;
  uniqueness: Uniqueness;
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: AttributeDefinition[];
  /**
   * scimflow-specific, not part of the RFC 7643 representation: a value of another JSON type is stored as its
   * string form (42 → "42") instead of being rejected. Set on the attributes of an open schema (see below).
   */
  coerceToString?: boolean;
  /**
   * scimflow-specific: a multi-valued complex attribute Entra fills from app role assignments (roles, entitlements).
   * It accepts every shape Entra sends: a bare role name or a single value where a list is expected, `displayName`
   * for `display`, and a `value` holding Entra's JSON-encoded assignment (`{"id":…,"value":"Admin","displayName":…}`,
   * its PATCH form). Elements are identified by `value`: one element per role.
   */
  appRoles?: boolean;
}

export interface SchemaDefinition {
  id: string;
  name: string;
  description: string;
  attributes: AttributeDefinition[];
  /**
   * scimflow-specific: an open schema. Besides `attributes`, any valid attribute name is accepted as a single-valued,
   * case-insensitive string whose non-string values are converted to strings. For extensions whose keys are chosen
   * by the customer, such as Entra's `urn:ietf:params:scim:schemas:extension:2.0:Metadata:<key>` mappings.
   */
  additionalStringAttributes?: boolean;
}

/** Builds a definition with RFC 7643 §2.2 defaults, so the tables below list only what differs. */
export function attr(name: string, type: AttributeType, overrides: Partial<AttributeDefinition> = {}): AttributeDefinition {
  return {
    name,
    type,
    multiValued: false,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...overrides,
  };
}

/** Finds a (sub-)attribute case-insensitively, as SCIM attribute names are case-insensitive (RFC 7643 §2.1). */
export function findAttribute(list: readonly AttributeDefinition[] | undefined, name: string): AttributeDefinition | undefined {
  if (!list) return undefined;
  let byName = attributeIndexes.get(list);
  if (!byName) {
    byName = new Map();
    for (const a of list) if (!byName.has(a.name.toLowerCase())) byName.set(a.name.toLowerCase(), a);
    attributeIndexes.set(list, byName);
  }
  return byName.get(name.toLowerCase());
}

/**
 * Each attribute list's names, lower-cased, built on its first lookup: every attribute of every command is looked
 * up (the linear scan lower-cased each name it passed). Lists of definitions are not changed once built; a
 * tenant's new schema is a new list.
 */
const attributeIndexes = new WeakMap<readonly AttributeDefinition[], Map<string, AttributeDefinition>>();

/** ATTRNAME of RFC 7643 §2.1 (`$ref` is reserved for reference sub-attributes). */
export const ATTRIBUTE_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** Definitions of undeclared attributes of open schemas, kept per schema so each name has one definition object. */
const additional = new WeakMap<SchemaDefinition, Map<string, AttributeDefinition>>();

/**
 * An attribute of a schema: a declared one (case-insensitively), or for an open schema the definition of an
 * undeclared one. Undeclared names keep the spelling the client used, so they are matched case-sensitively.
 */
export function schemaAttribute(schema: SchemaDefinition, name: string): AttributeDefinition | undefined {
  return findAttribute(schema.attributes, name) ?? additionalAttribute(schema, name);
}

/** The definition an open schema gives an undeclared attribute name; undefined for other schemas or bad names. */
export function additionalAttribute(schema: SchemaDefinition, name: string): AttributeDefinition | undefined {
  if (!schema.additionalStringAttributes || !ATTRIBUTE_NAME.test(name)) return undefined;
  let byName = additional.get(schema);
  if (!byName) additional.set(schema, (byName = new Map()));
  let def = byName.get(name);
  if (!def) byName.set(name, (def = attr(name, 'string', { coerceToString: true })));
  return def;
}
