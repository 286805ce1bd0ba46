/** Small builders for filter syntax trees, shared by the filter specs. */
import { AttributeReference, CompareOperator, FilterNode, FilterValue } from './ast';

/** `attr('urn:x:y:name.sub')` → { schema: 'urn:x:y', attribute: 'name', subAttribute: 'sub' } (URN = up to the last ':'). */
export function attr(path: string): AttributeReference {
  const colon = path.lastIndexOf(':');
  const rest = colon >= 0 ? path.slice(colon + 1) : path;
  const [attribute, subAttribute] = rest.split('.');
  const ref: AttributeReference = { attribute };
  if (colon >= 0) ref.schema = path.slice(0, colon);
  if (subAttribute !== undefined) ref.subAttribute = subAttribute;
  return ref;
}

export const cmp = (path: string, op: CompareOperator, value: FilterValue): FilterNode => ({ kind: 'compare', attribute: attr(path), op, value });
export const pr = (path: string): FilterNode => ({ kind: 'present', attribute: attr(path) });
export const and = (left: FilterNode, right: FilterNode): FilterNode => ({ kind: 'and', left, right });
export const or = (left: FilterNode, right: FilterNode): FilterNode => ({ kind: 'or', left, right });
export const not = (filter: FilterNode): FilterNode => ({ kind: 'not', filter });
export const vp = (path: string, filter: FilterNode): FilterNode => ({ kind: 'valuePath', attribute: attr(path), filter });

export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
