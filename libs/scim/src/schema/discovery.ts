/**
 * The discovery documents of RFC 7644 §4 (RFC 7643 §5–7), generated from the schema definitions, so /Schemas always
 * describes exactly what validation, PATCH, filters and projection use.
 */
import { ResourceTypeSchemas } from '../resource/types';
import { AttributeDefinition, SchemaDefinition } from './attribute';
import { SCHEMA_SCHEMA } from './schema-registration';

export const SERVICE_PROVIDER_CONFIG_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
export const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';

/** A resource type as served (RFC 7643 §6): its endpoint relative to the base URL and its schemas. */
export interface ResourceTypeDescription {
  id: string;
  name: string;
  endpoint: string;
  description: string;
  schemas: ResourceTypeSchemas;
  /** extension URNs a resource of this type must carry (none of ours are) */
  requiredExtensions?: string[];
}

/** The features a service provider implements (RFC 7643 §5); only what is true of the running system. */
export interface ServiceProviderFeatures {
  /** the largest page a list or search answers (`filter.maxResults`) */
  maxResults: number;
  documentationUri?: string;
}

/** RFC 7643 §5 ServiceProviderConfig. */
export function serviceProviderConfigDocument(features: ServiceProviderFeatures, baseUrl: string): Record<string, unknown> {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    ...(features.documentationUri ? { documentationUri: features.documentationUri } : {}),
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: features.maxResults },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: "Authentication with the tenant's secret token as an OAuth 2.0 bearer token (RFC 6750)",
        specUri: 'https://www.rfc-editor.org/info/rfc6750',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}

/** RFC 7643 §6 ResourceType. */
export function resourceTypeDocument(type: ResourceTypeDescription, baseUrl: string): Record<string, unknown> {
  const required = new Set((type.requiredExtensions ?? []).map((s) => s.toLowerCase()));
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: type.id,
    name: type.name,
    endpoint: type.endpoint,
    description: type.description,
    schema: type.schemas.core.id,
    schemaExtensions: type.schemas.extensions.map((e) => ({ schema: e.id, required: required.has(e.id.toLowerCase()) })),
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${type.id}` },
  };
}

/**
 * RFC 7643 §7 Schema. The common attributes (id, externalId, meta) are not listed, as in the RFC's own
 * representations (§8.7.1). An open schema says in its description that it accepts other string attributes.
 */
export function schemaDocument(schema: SchemaDefinition, baseUrl: string): Record<string, unknown> {
  const description = schema.additionalStringAttributes
    ? `${schema.description ? `${schema.description}. ` : ''}Accepts any other attribute name as a single-valued string; values of other JSON types are stored as their JSON text.`
    : schema.description;
  return {
    schemas: [SCHEMA_SCHEMA],
    id: schema.id,
    name: schema.name,
    description,
    attributes: schema.attributes.map(attributeDocument),
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${schema.id}` },
  };
}

/** One attribute with every characteristic RFC 7643 §7 lists; scimflow-internal members are left out. */
export function attributeDocument(def: AttributeDefinition): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: def.name,
    type: def.type,
    multiValued: def.multiValued,
    description: def.description ?? '',
    required: def.required,
    caseExact: def.caseExact,
    mutability: def.mutability,
    returned: def.returned,
    uniqueness: def.uniqueness,
  };
  if (def.canonicalValues?.length) out.canonicalValues = def.canonicalValues;
  if (def.type === 'reference') out.referenceTypes = def.referenceTypes ?? ['external'];
  if (def.subAttributes) out.subAttributes = def.subAttributes.map(attributeDocument);
  return out;
}

/** Every schema of the given resource types once (extensions may be shared), in order of first appearance. */
export function schemasOf(types: ResourceTypeDescription[]): SchemaDefinition[] {
  const seen = new Map<string, SchemaDefinition>();
  for (const t of types) for (const s of [t.schemas.core, ...t.schemas.extensions]) if (!seen.has(s.id.toLowerCase())) seen.set(s.id.toLowerCase(), s);
  return [...seen.values()];
}
