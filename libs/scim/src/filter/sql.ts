/**
 * Compiles a SCIM filter into a parameterised Postgres boolean expression over a jsonb SCIM document plus
 * optional dedicated columns. It selects the same resources as matchesFilter (rules shared in semantics.ts).
 *
 * Safety: no text from the filter ever reaches the SQL string. Values and JSON keys travel as `$n` parameters;
 * the SQL text is built only from fixed templates, the target's own column/document expressions, and
 * parameter numbers. Attribute names merely choose among templates and columns.
 *
 * Assumptions: documents use the schema's spelling of attribute names (the matcher also accepts other casings);
 * standard_conforming_strings is on (Postgres' default), because the LIKE escape is written '\'.
 * Needs Postgres 12+ (jsonb_path_exists).
 */
import { ScimError } from '../errors';
import { AttributeType, SchemaDefinition } from '../schema/attribute';
import { FilterNode } from './ast';
import {
  Comparison,
  comparisonTarget,
  DATE_TIME_PATTERN,
  filterError,
  flatten,
  nullTestsPresence,
  PathStep,
  planComparison,
  ResolvedAttribute,
  resolveAttribute,
  Scope,
} from './semantics';

export interface SqlColumn {
  sql: string;
  type: AttributeType;
  caseExact: boolean;
}

export interface SqlFilterTarget {
  /** Schemas of the resource type: first the core schema (attributes at the document's top level), then extensions (attributes under the document key equal to the schema id). */
  schemas: SchemaDefinition[];
  /** SQL expression of the jsonb column holding the SCIM document, e.g. `u.resource`. The document holds every SCIM attribute except id and meta. */
  document: string;
  /** Attributes stored in their own columns, keyed by lower-cased path: e.g. 'id' → {sql:'u.id', type:'string', caseExact:true}, 'username' → {sql:'u.user_name', type:'string', caseExact:false}, 'externalid', 'meta.created' → {sql:'u.created_at', type:'dateTime',...}, 'meta.lastmodified', 'active' (boolean column). A column mapping wins over the jsonb document.
   * Extension attributes are keyed `<schema id>:<attribute>[.<sub>]`, lower-cased. A column's type and caseExact
   * should agree with the schema, or SQL and the in-memory matcher will disagree. */
  columns: Record<string, SqlColumn>;
  /** When true, attributes found in no schema are rejected (invalidFilter); default true. */
  strict?: boolean;
  /** Indexed expressions, keyed by lower-cased path like `columns` (e.g. 'emails.value'): a text[] holding lower() of
   * the string value at that path of every object element. An `eq` on the path, alone or inside a value path's
   * top-level `and`, also tests `expr @> ARRAY[lower(value)]`, which it implies, so that a GIN index narrows the rows. */
  valueIndexes?: Record<string, string>;
}

export interface SqlFilter {
  /** A parenthesised boolean expression, e.g. for `WHERE tenant_id = $1 AND <sql>`. */
  sql: string;
  /** Values for `$paramOffset+1 …`, in order. */
  params: unknown[];
}

/** Fixed SQL fragments; none of them contains filter text. */
const PRESENT_JSONPATH = `'strict $.** ? (@.type() == "number" || @.type() == "boolean" || (@.type() == "string" && @ != ""))'`;
const DATE_TIME_REGEX = `'${DATE_TIME_PATTERN}'`;
/** Keeps the first three fractional digits, as JavaScript's Date.parse does, so both sides compare milliseconds. */
const MILLIS_ONLY = `'(?<=[.][0-9]{3})[0-9]+'`;
const SQL_OPERATOR: Record<'eq' | 'gt' | 'ge' | 'lt' | 'le', string> = { eq: '=', gt: '>', ge: '>=', lt: '<', le: '<=' };

/**
 * Compiles `node` for `target`. Placeholders are numbered from `paramOffset + 1`, so the expression can be
 * appended to a query that already has `paramOffset` parameters. Throws ScimError invalidFilter.
 */
export function compileFilterToSql(node: FilterNode, target: SqlFilterTarget, paramOffset = 0): SqlFilter {
  // A caller's bug, not the client's: a 500, still as the system's one error type.
  if (!Number.isInteger(paramOffset) || paramOffset < 0) throw new ScimError(500, 'paramOffset must be a non-negative integer');
  const compiler = new SqlCompiler(target, paramOffset);
  const sql = compiler.compile(node, { kind: 'resource', schemas: target.schemas }, target.document);
  return { sql, params: compiler.params };
}

/** Escapes LIKE wildcards and the escape character itself (used with ESCAPE '\'). */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

class SqlCompiler {
  readonly params: unknown[] = [];
  private aliases = 0;
  private readonly columns = new Map<string, SqlColumn>();
  private readonly valueIndexes = new Map<string, string>();
  private readonly strict: boolean;

  constructor(
    target: SqlFilterTarget,
    private readonly offset: number,
  ) {
    for (const [key, column] of Object.entries(target.columns ?? {})) this.columns.set(key.toLowerCase(), column);
    for (const [key, expr] of Object.entries(target.valueIndexes ?? {})) this.valueIndexes.set(key.toLowerCase(), expr);
    this.strict = target.strict ?? true;
  }

  compile(node: FilterNode, scope: Scope, base: string): string {
    switch (node.kind) {
      case 'and':
      case 'or':
        // Flattened, so a long chain is one level of SQL rather than a deeply nested one.
        return `(${flatten(node)
          .map((n) => this.compile(n, scope, base))
          .join(node.kind === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        return negate(this.compile(node.filter, scope, base));
      case 'present':
        return this.presence(node.attribute, scope, base);
      case 'compare':
        return this.compare(node, scope, base);
      case 'valuePath':
        return this.valuePath(node, scope, base);
    }
  }

  private compare(node: Extract<FilterNode, { kind: 'compare' }>, scope: Scope, base: string): string {
    if (node.value === null) {
      const testsPresence = nullTestsPresence(node.op);
      const present = this.presence(node.attribute, scope, base);
      return testsPresence ? present : negate(present);
    }
    const resolved = resolveAttribute(node.attribute, scope);
    const op = node.op === 'ne' ? 'eq' : node.op;
    const column = this.columnFor(resolved, scope);
    let eq: string;
    if (column) {
      if (column.type === 'complex') throw filterError(`'${resolved.display}' is a complex attribute; compare one of its sub-attributes instead.`);
      eq = this.columnTest(column.sql, planComparison(op, node.value, column.type, column.caseExact, resolved.display));
    } else {
      this.checkUsable(resolved);
      const target = comparisonTarget(resolved, op);
      const plan = planComparison(op, node.value, target.definition?.type, target.definition?.caseExact ?? false, resolved.display);
      eq = this.walk(target.steps, base, (leaf) => this.jsonTest(target.redirectObjects ? valueMember(leaf) : leaf, plan));
      const path = target.definition && scope.kind === 'resource' ? resolved.columnKey : undefined;
      // `emails eq "x"` compares through emails.value.
      const indexed = this.indexed(path && target.steps.length > resolved.steps.length ? `${path}.${target.definition?.name}` : path, plan);
      if (indexed) eq = `(${indexed} AND ${eq})`;
    }
    // `ne` is `not eq`, so missing attributes and non-matching multi-valued attributes are included.
    return node.op === 'ne' ? negate(eq) : eq;
  }

  private presence(ref: Extract<FilterNode, { kind: 'present' }>['attribute'], scope: Scope, base: string): string {
    const resolved = resolveAttribute(ref, scope);
    const column = this.columnFor(resolved, scope);
    if (column) {
      const textual = column.type === 'string' || column.type === 'reference' || column.type === 'binary';
      return textual ? `(${column.sql} IS NOT NULL AND ${column.sql} <> '')` : `(${column.sql} IS NOT NULL)`;
    }
    this.checkUsable(resolved);
    return this.walk(resolved.steps, base, (leaf) => `(jsonb_path_exists(${leaf}, ${PRESENT_JSONPATH}))`);
  }

  private valuePath(node: Extract<FilterNode, { kind: 'valuePath' }>, scope: Scope, base: string): string {
    if (scope.kind === 'element') throw filterError(`value filters cannot be nested (inside '${scope.parent}').`);
    const resolved = resolveAttribute(node.attribute, scope);
    if (this.columnFor(resolved, scope)) throw filterError(`a value filter cannot be applied to '${resolved.display}'.`);
    this.checkUsable(resolved);
    const def = resolved.definition;
    if (def && def.type !== 'complex') throw filterError(`a value filter needs a complex attribute, and '${resolved.display}' is not one.`);
    const inner: Scope = { kind: 'element', parent: resolved.display, attributes: def?.subAttributes };
    const some = this.walk(resolved.steps, base, (leaf) => `(jsonb_typeof(${leaf}) = 'object' AND ${this.compile(node.filter, inner, leaf)})`);
    // An `eq` every matching element must meet (e.g. Entra's `emails[type eq "work"].value eq "x"`) may use an index.
    const indexed: string[] = [];
    for (const c of node.filter.kind === 'and' ? flatten(node.filter) : [node.filter]) {
      const sub = c.kind === 'compare' && c.op === 'eq' && c.value !== null ? resolveAttribute(c.attribute, inner).definition : undefined;
      if (c.kind !== 'compare' || c.value === null || !sub) continue;
      const test = this.indexed(`${resolved.columnKey}.${sub.name}`, planComparison('eq', c.value, sub.type, sub.caseExact, c.attribute.attribute));
      if (test) indexed.push(test);
    }
    return indexed.length ? `(${[...indexed, some].join(' AND ')})` : some;
  }

  /** A condition that every row where `plan` holds on the indexed `path` meets; undefined when no index serves it. */
  private indexed(path: string | undefined, plan: Comparison): string | undefined {
    const expr = path !== undefined && plan.kind === 'string' && plan.op === 'eq' ? this.valueIndexes.get(path.toLowerCase()) : undefined;
    return expr && `(${expr} @> ARRAY[lower(${this.param(plan.value, 'text')})])`;
  }

  private columnFor(resolved: ResolvedAttribute, scope: Scope): SqlColumn | undefined {
    return scope.kind === 'resource' && resolved.columnKey !== undefined ? this.columns.get(resolved.columnKey) : undefined;
  }

  private checkUsable(resolved: ResolvedAttribute): void {
    if (this.strict && resolved.problem) throw filterError(`${resolved.problem}.`);
    if (!resolved.inDocument) throw filterError(`'${resolved.display}' cannot be used in a filter here.`);
  }

  /**
   * Applies `leaf` at the end of `steps`, starting from the jsonb expression `base`. Multi-valued hops become
   * EXISTS over the array's elements; a non-array value counts as a one-element array and null as empty, which
   * both keeps jsonb_array_elements from failing on odd documents and mirrors the matcher.
   */
  private walk(steps: PathStep[], base: string, leaf: (expr: string) => string): string {
    if (steps.length === 0) return leaf(base);
    const [step, ...rest] = steps;
    const expr = `(${base} -> ${this.param(step.key, 'text')})`;
    if (!step.multiValued) return this.walk(rest, expr, leaf);
    const alias = `e${++this.aliases}`;
    const elements =
      `(CASE WHEN jsonb_typeof(${expr}) = 'array' THEN ${expr} ` +
      `WHEN jsonb_typeof(${expr}) IN ('object', 'string', 'number', 'boolean') THEN jsonb_build_array(${expr}) ` +
      `ELSE '[]'::jsonb END)`;
    return `(EXISTS (SELECT 1 FROM jsonb_array_elements(${elements}) AS ${alias}(v) WHERE ${this.walk(rest, `${alias}.v`, leaf)}))`;
  }

  /** A typed comparison of one jsonb value; values of another JSON type yield NULL, i.e. no match. */
  private jsonTest(leaf: string, plan: Comparison): string {
    switch (plan.kind) {
      case 'string':
        return this.stringTest(`(CASE WHEN jsonb_typeof(${leaf}) = 'string' THEN ${leaf} #>> '{}' END)`, plan);
      case 'boolean':
        // jsonb true and the string "True" both read as 'true' once lower-cased.
        return `(lower(CASE WHEN jsonb_typeof(${leaf}) IN ('boolean', 'string') THEN ${leaf} #>> '{}' END) = ${this.param(String(plan.value), 'text')})`;
      case 'number':
        return `((CASE WHEN jsonb_typeof(${leaf}) = 'number' THEN (${leaf} #>> '{}')::numeric END) ${SQL_OPERATOR[plan.op]} ${this.param(plan.value, 'numeric')})`;
      case 'dateTime':
        return (
          `((CASE WHEN jsonb_typeof(${leaf}) = 'string' AND (${leaf} #>> '{}') ~ ${DATE_TIME_REGEX} ` +
          `THEN regexp_replace(${leaf} #>> '{}', ${MILLIS_ONLY}, '')::timestamptz END) ` +
          `${SQL_OPERATOR[plan.op]} ${this.param(plan.iso, 'timestamptz')})`
        );
    }
  }

  private columnTest(column: string, plan: Comparison): string {
    switch (plan.kind) {
      case 'string':
        return this.stringTest(column, plan);
      case 'boolean':
        return `(${column} = ${this.param(plan.value, 'boolean')})`;
      case 'number':
        return `(${column} ${SQL_OPERATOR[plan.op]} ${this.param(plan.value, 'numeric')})`;
      case 'dateTime':
        return `(${column} ${SQL_OPERATOR[plan.op]} ${this.param(plan.iso, 'timestamptz')})`;
    }
  }

  private stringTest(text: string, plan: Extract<Comparison, { kind: 'string' }>): string {
    const fold = (sql: string) => (plan.caseExact ? sql : `lower(${sql})`);
    switch (plan.op) {
      case 'eq':
        return `(${fold(text)} = ${fold(this.param(plan.value, 'text'))})`;
      case 'co':
      case 'sw':
      case 'ew': {
        const pattern = `${plan.op === 'sw' ? '' : '%'}${escapeLike(plan.value)}${plan.op === 'ew' ? '' : '%'}`;
        return `(${fold(text)} LIKE ${fold(this.param(pattern, 'text'))} ESCAPE '\\')`;
      }
      default:
        // Code-point order, as the matcher compares, whatever the database's collation.
        return `((${fold(text)} COLLATE "C") ${SQL_OPERATOR[plan.op]} ${fold(this.param(plan.value, 'text'))})`;
    }
  }

  private param(value: unknown, type: 'text' | 'numeric' | 'boolean' | 'timestamptz'): string {
    // Postgres text cannot hold U+0000; reject it here rather than fail the query (the parser already does).
    if (typeof value === 'string' && value.includes('\u0000')) throw filterError('strings cannot contain the NUL character (\\u0000).');
    this.params.push(value);
    return `$${this.offset + this.params.length}::${type}`;
  }
}

/** Two-valued NOT: SQL's NOT NULL is NULL (row dropped) where the matcher's `not false` is true. */
function negate(sql: string): string {
  return `(NOT (${sql} IS TRUE))`;
}

/** For attributes without definition: compare an object through its `value` member, like the matcher. */
function valueMember(leaf: string): string {
  return `(CASE WHEN jsonb_typeof(${leaf}) = 'object' THEN ${leaf} -> 'value' ELSE ${leaf} END)`;
}
