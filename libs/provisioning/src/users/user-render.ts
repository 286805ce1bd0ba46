import { StoredResourceView } from '@scimflow/contracts';
import { USER_SCHEMA } from '@scimflow/scim';
import { renderResource } from '../render';

/** The SCIM representation of a stored user. */
export function renderUser(view: StoredResourceView, baseUrl: string): Record<string, unknown> {
  return renderResource(view, baseUrl, 'User', USER_SCHEMA);
}
