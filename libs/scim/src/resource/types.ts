import { SchemaDefinition } from '../schema/attribute';
import { enterpriseUserSchema, userSchema } from '../schema/user.schema';

/**
 * The schemas of one resource type: its core schema plus the extensions it allows (RFC 7643 §6).
 * Everything in `resource/` and `patch/` is driven by this, so Group and tenant-defined extensions reuse the same code.
 */
export interface ResourceTypeSchemas {
  core: SchemaDefinition;
  extensions: SchemaDefinition[];
}

/**
 * A resource as stored: canonical attribute names, core and common attributes at the top level,
 * extension attributes nested under their schema URN, `schemas` listing core + extensions present.
 */
export type ScimDocument = Record<string, unknown>;

export const userResourceTypeSchemas: ResourceTypeSchemas = { core: userSchema, extensions: [enterpriseUserSchema] };

/** A tenant's User resource type: core, the enterprise extension, then the tenant's registered extensions. */
export function userResourceTypeFor(tenantExtensions: readonly SchemaDefinition[]): ResourceTypeSchemas {
  if (!tenantExtensions.length) return userResourceTypeSchemas;
  return { core: userSchema, extensions: [enterpriseUserSchema, ...tenantExtensions] };
}
