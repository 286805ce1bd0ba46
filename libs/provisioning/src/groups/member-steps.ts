import { GROUP_SCHEMA, isPlainObject, PatchOperation, ScimError } from '@scimflow/scim';
import type { FilterNode } from '@scimflow/scim';
import { memberIds } from './group-document';

/**
 * One step of a command's membership change. The reconciler applies the steps in order, each as one SQL statement
 * on the membership table (so a 50,000-member group is never loaded), and merges what each statement reports.
 */
export type MemberStep =
  | { op: 'add'; userIds: string[] }
  | { op: 'remove'; userIds: string[] }
  /** `remove` of path `members` without a value */
  | { op: 'removeAll' }
  /** the members become exactly these users (PUT, `replace` of `members`) */
  | { op: 'replace'; userIds: string[] };

export interface GroupPatch {
  /** operations on the group's own attributes, for applyPatch */
  attributeOps: PatchOperation[];
  memberSteps: MemberStep[];
}

/**
 * Splits the member operations off a group PATCH; the rest goes to the PATCH engine. Shapes (Entra sends all):
 * - `{"op":"Add","path":"members","value":[{"value":"id1"},{"value":"id2"}]}` → add
 * - `{"op":"Remove","path":"members[value eq \"id\"]"}` (also `value eq "a" or value eq "b"`) → remove
 * - `{"op":"Remove","path":"members","value":[{"value":"id"}]}` → remove; without value → remove all
 * - `{"op":"Replace","path":"members","value":[…]}` → the members become exactly these
 * - no-path `{"op":"Add"|"Replace","value":{"members":[…], "displayName":"x", "id":"<this group's id>"}}`: `members`
 *   becomes an add/replace step; `id` is dropped when it names this group (Entra echoes it), else 400 mutability.
 * Other paths into members (sub-attributes, filters on anything but `value`, add/replace with a filter) are
 * 400 invalidPath: member elements have no writable sub-attributes.
 */
export function splitGroupPatch(ops: PatchOperation[], groupId: string): GroupPatch {
  const attributeOps: PatchOperation[] = [];
  const memberSteps: MemberStep[] = [];
  ops.forEach((op, i) => {
    const at = `Operations[${i}]`;
    if (op.path) {
      if (!isMembers(op.path.attribute.attribute, op.path.attribute.schema)) return void attributeOps.push(op);
      const label = `${at} (path '${op.rawPath ?? 'members'}')`;
      if (op.path.subAttribute !== undefined || op.path.attribute.subAttribute !== undefined)
        throw ScimError.badRequest('invalidPath', `${label}: members can only be added, removed or replaced as a whole`);
      if (op.path.valueFilter) {
        if (op.op !== 'remove') throw ScimError.badRequest('invalidPath', `${label}: a filter on members can only be used to remove them`);
        return void memberSteps.push({ op: 'remove', userIds: idsOfValueFilter(op.path.valueFilter, label) });
      }
      if (op.op === 'add') return void memberSteps.push({ op: 'add', userIds: memberIds(op.value, `${at}.value`) });
      if (op.op === 'replace') return void memberSteps.push({ op: 'replace', userIds: memberIds(op.value, `${at}.value`) });
      if (op.value === undefined || op.value === null) return void memberSteps.push({ op: 'removeAll' });
      return void memberSteps.push({ op: 'remove', userIds: memberIds(op.value, `${at}.value`) });
    }
    if (op.op === 'remove' || !isPlainObject(op.value)) return void attributeOps.push(op); // the engine reports these
    const rest: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(op.value)) {
      const lower = key.toLowerCase();
      if (lower === 'members' || lower === `${GROUP_SCHEMA.toLowerCase()}:members`) {
        memberSteps.push({ op: op.op === 'add' ? 'add' : 'replace', userIds: memberIds(value, `${at}.value.${key}`) });
      } else if (lower === 'id') {
        if (typeof value !== 'string' || value.toLowerCase() !== groupId.toLowerCase())
          throw ScimError.badRequest('mutability', `${at}: attribute 'id' is readOnly`);
      } else rest[key] = value;
    }
    if (Object.keys(rest).length) attributeOps.push({ ...op, value: rest });
  });
  return { attributeOps, memberSteps };
}

function isMembers(attribute: string, schema: string | undefined): boolean {
  return attribute.toLowerCase() === 'members' && (schema === undefined || schema.toLowerCase() === GROUP_SCHEMA.toLowerCase());
}

/** `value eq "id"`, or several joined by `or`: the ids; any other filter is invalidPath. */
function idsOfValueFilter(node: FilterNode, label: string): string[] {
  const ids: string[] = [];
  const visit = (n: FilterNode): void => {
    if (n.kind === 'or') {
      visit(n.left);
      visit(n.right);
      return;
    }
    if (n.kind === 'compare' && n.op === 'eq' && typeof n.value === 'string' && n.attribute.schema === undefined) {
      const name = n.attribute.subAttribute === undefined ? n.attribute.attribute : undefined;
      if (name?.toLowerCase() === 'value') return void ids.push(...memberIds([{ value: n.value }], label));
    }
    throw ScimError.badRequest('invalidPath', `${label}: members can be selected only by 'value eq "<id>"' (optionally joined with 'or')`);
  };
  visit(node);
  return [...new Set(ids)];
}
