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
}

export interface SchemaDefinition {
  id: string;
  name: string;
  description: string;
  attributes: AttributeDefinition[];
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
  const lower = name.toLowerCase();
  return list.find((a) => a.name.toLowerCase() === lower);
}
