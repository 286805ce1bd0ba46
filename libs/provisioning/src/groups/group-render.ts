import { StoredResourceView } from '@scimflow/contracts';
import { GROUP_SCHEMA, groupResourceTypeSchemas, ProjectionOptions, projectResource, userResourceTypeSchemas } from '@scimflow/scim';
import { renderResource } from '../render';

/** The SCIM representation of a stored group, without `members` (those are streamed from the membership table). */
export function renderGroup(view: StoredResourceView, baseUrl: string): Record<string, unknown> {
  const { members: _members, ...document } = view.document;
  return renderResource(view, baseUrl, 'Group', GROUP_SCHEMA, document);
}

/** A member as the membership table and the users table know it. */
export interface MemberView {
  userId: string;
  displayName: string | null;
  userName: string;
}

/** One element of a group's `members`: the user's id, reference and display name (displayName, else userName). */
export function renderMember(m: MemberView, baseUrl: string): Record<string, unknown> {
  return { value: m.userId, $ref: `${baseUrl}/Users/${m.userId}`, display: m.displayName ?? m.userName, type: 'User' };
}

/** One element of a user's read-only `groups`: memberships are direct (groups are not nested). */
export function renderUserGroup(g: { groupId: string; displayName: string }, baseUrl: string): Record<string, unknown> {
  return { value: g.groupId, $ref: `${baseUrl}/Groups/${g.groupId}`, display: g.displayName, type: 'direct' };
}

const PROBE = 'x';

/**
 * Which sub-attributes of each element of a multi-valued attribute a projection returns, or undefined when the
 * attribute is not returned at all. Decided by projecting a probe resource with projectResource, so it follows
 * exactly the schema-driven rules the rest of the representation follows; the caller can then skip reading the
 * attribute's rows altogether (e.g. `excludedAttributes=members` never touches the membership table).
 */
function elementProjection(types: typeof groupResourceTypeSchemas, attribute: string, subAttributes: string[], opts: ProjectionOptions): string[] | undefined {
  const probe = { schemas: [types.core.id], id: PROBE, [attribute]: [Object.fromEntries(subAttributes.map((s) => [s, PROBE]))] };
  const projected = projectResource(probe, types, opts)[attribute] as Record<string, unknown>[] | undefined;
  return projected?.length ? Object.keys(projected[0]) : undefined;
}

export function memberProjection(opts: ProjectionOptions): string[] | undefined {
  return elementProjection(groupResourceTypeSchemas, 'members', ['value', '$ref', 'display', 'type'], opts);
}

export function userGroupsProjection(opts: ProjectionOptions): string[] | undefined {
  return elementProjection(userResourceTypeSchemas, 'groups', ['value', '$ref', 'display', 'type'], opts);
}

/** Keeps only the given keys of a rendered element. */
export function pick(element: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (element[k] !== undefined) out[k] = element[k];
  return out;
}
