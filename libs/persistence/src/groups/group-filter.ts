import {
  AttributeReference,
  attr,
  checkValueFilterAttribute,
  compileFilterToSql,
  entraGroupExtensionSchema,
  FilterNode,
  GROUP_SCHEMA,
  groupSchema,
  nullTestsPresence,
  SchemaDefinition,
  SqlFilter,
  SqlFilterTarget,
} from '@scimflow/scim';

/** How SCIM Group attributes map onto scim_groups (alias `g`), for the filter compiler. */
export const GROUP_SQL_TARGET: SqlFilterTarget = {
  schemas: [groupSchema, entraGroupExtensionSchema],
  document: 'g.document',
  columns: {
    id: { sql: 'g.id::text', type: 'string', caseExact: true },
    displayname: { sql: 'g.display_name', type: 'string', caseExact: false },
    externalid: { sql: 'g.external_id', type: 'string', caseExact: true },
    'meta.created': { sql: 'g.created_at', type: 'dateTime', caseExact: false },
    'meta.lastmodified': { sql: 'g.updated_at', type: 'dateTime', caseExact: false },
  },
};

/** One element of `members`, as a row of scim_group_members `m` joined to its user `mu`. */
const memberElementSchema: SchemaDefinition = {
  id: `${GROUP_SCHEMA}:members`,
  name: 'GroupMember',
  description: "one element of a group's members",
  attributes: [attr('value', 'string', { caseExact: true }), attr('display', 'string'), attr('type', 'string')],
};

const MEMBER_SQL_TARGET: SqlFilterTarget = {
  schemas: [memberElementSchema],
  // Every member attribute is a column; the document is never reached (strict rejects anything else).
  document: `'{}'::jsonb`,
  columns: {
    value: { sql: 'm.user_id::text', type: 'string', caseExact: true },
    display: { sql: `coalesce(mu.document ->> 'displayName', mu.user_name)`, type: 'string', caseExact: false },
    type: { sql: `'User'::text`, type: 'string', caseExact: false },
  },
};

/**
 * Compiles a Group filter to SQL over `scim_groups g`. Members are not in the group's document but in the
 * membership table, so every test on `members` (`members eq "id"`, `members.value eq`, `members[value eq "id"]`,
 * `members pr`, also under `not`, `and`, `or`) becomes an EXISTS over that table; the rest is compiled by
 * compileFilterToSql as it is for users. Values travel as parameters only, numbered from `paramOffset + 1`.
 * `strict` false is a search across resource types: attributes Groups do not have match nothing instead of 400.
 */
export function compileGroupFilter(node: FilterNode, paramOffset = 0, strict = true): SqlFilter {
  const params: unknown[] = [];
  const groups = strict ? GROUP_SQL_TARGET : { ...GROUP_SQL_TARGET, strict: false };
  const compile = (n: FilterNode, target: SqlFilterTarget): string => {
    const compiled = compileFilterToSql(n, target, paramOffset + params.length);
    params.push(...compiled.params);
    return compiled.sql;
  };
  const exists = (condition: string | undefined) =>
    `(EXISTS (SELECT 1 FROM scim_group_members m${condition?.includes('mu.') ? ' JOIN scim_users mu ON mu.id = m.user_id' : ''} ` +
    `WHERE m.tenant_id = g.tenant_id AND m.group_id = g.id${condition ? ` AND ${condition}` : ''}))`;
  const negate = (sql: string) => `(NOT (${sql} IS TRUE))`;

  const visit = (n: FilterNode): string => {
    if (!mentionsMembers(n)) return compile(n, groups);
    switch (n.kind) {
      case 'and':
      case 'or':
        return `(${visit(n.left)} ${n.kind === 'and' ? 'AND' : 'OR'} ${visit(n.right)})`;
      case 'not':
        return negate(visit(n.filter));
      case 'present': {
        const attribute = elementAttribute(n.attribute);
        return exists(attribute === 'value' ? undefined : compile({ kind: 'present', attribute: { attribute } }, MEMBER_SQL_TARGET));
      }
      case 'compare': {
        const attribute = { attribute: elementAttribute(n.attribute) };
        // `members eq null` is "no members" and `ne null` "some", as for any multi-valued attribute.
        if (n.value === null) {
          const testsPresence = nullTestsPresence(n.op);
          const some = exists(compile({ kind: 'present', attribute }, MEMBER_SQL_TARGET));
          return testsPresence ? some : negate(some);
        }
        // `ne` is `not eq`, as compileFilterToSql reads it: groups without such a member.
        const eq = exists(compile({ ...n, op: n.op === 'ne' ? 'eq' : n.op, attribute }, MEMBER_SQL_TARGET));
        return n.op === 'ne' ? negate(eq) : eq;
      }
      case 'valuePath':
        checkValueFilterAttribute(n.attribute);
        return exists(compile(n.filter, MEMBER_SQL_TARGET));
    }
  };
  return { sql: visit(node), params };
}

function isMembers(ref: AttributeReference): boolean {
  return ref.attribute.toLowerCase() === 'members' && (ref.schema === undefined || ref.schema.toLowerCase() === GROUP_SCHEMA.toLowerCase());
}

function mentionsMembers(n: FilterNode): boolean {
  switch (n.kind) {
    case 'and':
    case 'or':
      return mentionsMembers(n.left) || mentionsMembers(n.right);
    case 'not':
      return mentionsMembers(n.filter);
    default:
      return isMembers(n.attribute);
  }
}

/** `members` compares through its `value` (RFC 7644 §3.4.2.2 for complex multi-valued attributes). */
function elementAttribute(ref: AttributeReference): string {
  return ref.subAttribute ?? 'value';
}
