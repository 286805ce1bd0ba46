import { StoredResourceView } from '@scimflow/contracts';
import { USER_SCHEMA } from '@scimflow/scim';
import { etag } from './etag';

export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

/** The SCIM representation of a stored user (RFC 7643 §3.1 meta, `schemas` always first). */
export function renderUser(view: StoredResourceView, baseUrl: string): Record<string, unknown> {
  const { schemas, ...attributes } = view.document as { schemas?: string[] } & Record<string, unknown>;
  return {
    schemas: schemas && schemas.length ? schemas : [USER_SCHEMA],
    id: view.id,
    ...attributes,
    meta: {
      resourceType: 'User',
      created: view.created,
      lastModified: view.lastModified,
      location: `${baseUrl}/Users/${view.id}`,
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
