import { isUuid } from '@scimflow/contracts';
import { groupResourceTypeSchemas as groupTypes, isPlainObject, normalizeResource, ScimError } from '@scimflow/scim';

/**
 * Validates a POST/PUT group body (normalizeResource with the Group schema) and splits off the member ids, which
 * are stored in the membership table rather than in the document.
 */
export function normalizeGroup(body: unknown, mode: 'create' | 'replace'): { document: Record<string, unknown>; userIds: string[] } {
  const { members, ...document } = normalizeResource(body, groupTypes, mode);
  return { document, userIds: memberIds(members, 'members') };
}

/**
 * The user ids of a `members` value: an array (or, in PATCH, a single object) of `{value, $ref?, display?, type?}`.
 * Ids are trimmed; UUIDs (the form of our ids) are lower-cased so that one user has one spelling; duplicates go.
 * Only Users can be members: nested groups are not supported, so `type` other than "User" is invalidValue.
 */
export function memberIds(value: unknown, label: string): string[] {
  if (value === null || value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  const ids: string[] = [];
  list.forEach((el, i) => {
    if (el === null) return;
    if (!isPlainObject(el)) throw invalid(`${label}[${i}] must be an object with a 'value' (the member's id)`);
    const id = member(el, 'value');
    if (typeof id !== 'string' || id.trim() === '') throw invalid(`${label}[${i}].value must be a non-empty string (the member's id)`);
    const type = member(el, 'type');
    if (type !== undefined && type !== null && (typeof type !== 'string' || type.toLowerCase() !== 'user'))
      throw invalid(`${label}[${i}]: only Users can be members of a group (type '${String(type)}' is not supported)`);
    const trimmed = id.trim();
    ids.push(isUuid(trimmed) ? trimmed.toLowerCase() : trimmed);
  });
  return [...new Set(ids)];
}

const invalid = (detail: string) => ScimError.badRequest('invalidValue', detail);

/** Member names of a member element compare case-insensitively, like every SCIM attribute name. */
function member(obj: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : obj[key];
}
