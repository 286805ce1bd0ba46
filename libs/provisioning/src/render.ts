import { StoredResourceView } from '@scimflow/contracts';
import { etag } from './etag';

export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

const ENDPOINTS = { User: 'Users', Group: 'Groups' } as const;

/** A stored user or group as answers and renderResource show it: its document, version and times. */
export function storedView(state: { id: string; document: Record<string, unknown>; version: number; createdAt: Date; updatedAt: Date }): StoredResourceView {
  return {
    id: state.id,
    document: state.document,
    version: state.version,
    created: state.createdAt.toISOString(),
    lastModified: state.updatedAt.toISOString(),
  };
}

/**
 * The SCIM representation of a stored resource (RFC 7643 §3.1 meta): `schemas` always first (the core schema when
 * the document has none), then id and the document's attributes.
 */
export function renderResource(
  view: StoredResourceView,
  baseUrl: string,
  resourceType: keyof typeof ENDPOINTS,
  coreSchema: string,
  document: Record<string, unknown> = view.document,
): Record<string, unknown> {
  const { schemas, ...attributes } = document as { schemas?: string[] } & Record<string, unknown>;
  return {
    schemas: schemas && schemas.length ? schemas : [coreSchema],
    id: view.id,
    ...attributes,
    meta: {
      resourceType,
      created: view.created,
      lastModified: view.lastModified,
      location: `${baseUrl}/${ENDPOINTS[resourceType]}/${view.id}`,
      version: etag(view.version),
    },
  };
}

export interface ListResponse {
  schemas: [typeof LIST_RESPONSE_SCHEMA];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: Record<string, unknown>[];
}

export function listResponse(resources: Record<string, unknown>[], totalResults: number, startIndex: number): ListResponse {
  return { schemas: [LIST_RESPONSE_SCHEMA], totalResults, startIndex, itemsPerPage: resources.length, Resources: resources };
}
