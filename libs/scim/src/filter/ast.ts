/**
 * SCIM filter and attribute-path syntax trees (RFC 7644 §3.4.2.2 and §3.5.2 "PATH" ABNF).
 * Shared by the filter parser, the in-memory matcher (PATCH value filters), and the SQL compiler.
 */
export type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

/** A literal from the filter text: JSON string, number, true/false, or null. */
export type FilterValue = string | number | boolean | null;

/**
 * An attribute reference such as `userName`, `name.givenName`, `emails.value`, or with a schema URN prefix
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`.
 * `schema` is the URN when one was written (as written; compare case-insensitively), else undefined.
 * `attribute` / `subAttribute` keep the case the client wrote; resolve them against the schema case-insensitively.
 */
export interface AttributeReference {
  schema?: string;
  attribute: string;
  subAttribute?: string;
}

export type FilterNode =
  | { kind: 'compare'; attribute: AttributeReference; op: CompareOperator; value: FilterValue }
  | { kind: 'present'; attribute: AttributeReference }
  | { kind: 'and'; left: FilterNode; right: FilterNode }
  | { kind: 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; filter: FilterNode }
  /** `emails[type eq "work" and value co "@x"]`: some element of the multi-valued `attribute` matches `filter`
   * (attributes inside `filter` are relative to the element). */
  | { kind: 'valuePath'; attribute: AttributeReference; filter: FilterNode };

/**
 * A PATCH path (RFC 7644 §3.5.2): `attrPath` or `valuePath [ "." subAttr ]`.
 * Examples: `userName`; `name.givenName`; `members[value eq "2819c223"]`; `emails[type eq "work"].value`;
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`.
 */
export interface PatchPath {
  attribute: AttributeReference;
  /** present for `attr[filter]` forms */
  valueFilter?: FilterNode;
  /** present for `attr[filter].sub` */
  subAttribute?: string;
}
