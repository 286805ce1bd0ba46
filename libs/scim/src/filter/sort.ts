/**
 * `sortBy` / `sortOrder` (RFC 7644 §3.4.2.3) compiled to a parameterised Postgres ORDER BY expression over the same
 * targets as the filter compiler (sql.ts): dedicated columns where mapped, else the jsonb document, resolved through
 * the schema definitions. As in sql.ts, no client text reaches the SQL string: JSON keys travel as `$n` parameters
 * and the attribute name only selects among fixed templates.
 *
 * Ordering rules:
 * - strings by Unicode code point ("C" collation), lower-cased first unless the attribute is caseExact;
 *   numbers, booleans (false first) and dateTimes by value;
 * - a multi-valued attribute sorts by its primary value, or else its first value; a multi-valued complex attribute
 *   named without sub-attribute (`emails`) sorts by the `value` sub-attribute of that element;
 * - resources without a value come last when ascending and first when descending (RFC 7644 §3.4.2.3);
 * - ties keep the caller's default order (creation), so pages stay stable.
 */
import { ScimError } from '../errors';
import { findAttribute } from '../schema/attribute';
import { AttributeReference } from './ast';
import { formatAttribute, parsePatchPath } from './parser';
import { compareCodePoints, DATE_TIME_PATTERN, PathStep, resolveAttribute } from './semantics';
import { SqlColumn, SqlFilterTarget } from './sql';

export type SortOrder = 'ascending' | 'descending';

export interface SortSpec {
  attribute: AttributeReference;
  order: SortOrder;
}

/** How sort keys of different rows compare: what the SQL expression yields. `none` is an unknown attribute (all null). */
export type SortKeyKind = 'string' | 'number' | 'boolean' | 'dateTime' | 'none';

export interface SqlSort {
  /** The sort key expression (NULL when the attribute has no value), e.g. to SELECT it as a column too. */
  expression: string;
  /** `<expression> ASC NULLS LAST` or `<expression> DESC NULLS FIRST`, for `ORDER BY <orderBy>, <tie-breakers>`. */
  orderBy: string;
  params: unknown[];
  kind: SortKeyKind;
}

const invalid = (detail: string) => ScimError.badRequest('invalidValue', detail);

/**
 * Reads `sortBy` and `sortOrder`. No `sortBy` means no sort (a `sortOrder` alone is still checked). `sortOrder`
 * defaults to ascending and is case-insensitive. Throws 400 invalidValue (RFC 7644 §3.12 lists it for queries; there
 * is no scimType specific to sorting).
 */
export function parseSort(sortBy: unknown, sortOrder: unknown): SortSpec | undefined {
  let order: SortOrder = 'ascending';
  if (sortOrder !== undefined && sortOrder !== null && sortOrder !== '') {
    const lower = typeof sortOrder === 'string' ? sortOrder.toLowerCase() : undefined;
    if (lower !== 'ascending' && lower !== 'descending') throw invalid(`sortOrder must be "ascending" or "descending"`);
    order = lower;
  }
  if (sortBy === undefined || sortBy === null || sortBy === '') return undefined;
  if (typeof sortBy !== 'string') throw invalid('sortBy must be a string naming an attribute');
  let path;
  try {
    path = parsePatchPath(sortBy.trim());
  } catch (err) {
    if (err instanceof ScimError) throw invalid(`Invalid sortBy '${sortBy}': ${err.detail.replace(/^Invalid path: /i, '')}`);
    throw err;
  }
  if (path.valueFilter) throw invalid(`Invalid sortBy '${sortBy}': sortBy names an attribute and cannot hold a filter`);
  return { attribute: path.attribute, order };
}

/**
 * Compiles a sort for `target`; placeholders are numbered from `paramOffset + 1`. Unknown attributes are 400
 * invalidValue, unless `lenient` (a search across resource types, where an attribute of another type counts as having
 * no value, RFC 7644 §3.4.2): then the key is NULL for every row.
 */
export function compileSortToSql(sort: SortSpec, target: SqlFilterTarget, paramOffset = 0, lenient = false): SqlSort {
  const params: unknown[] = [];
  const param = (value: string) => {
    params.push(value);
    return `$${paramOffset + params.length}::text`;
  };
  const display = formatAttribute(sort.attribute);
  const direction = sort.order === 'descending' ? 'DESC NULLS FIRST' : 'ASC NULLS LAST';
  const done = (expression: string, kind: SortKeyKind): SqlSort => ({ expression, orderBy: `${expression} ${direction}`, params, kind });

  const resolved = resolveAttribute(sort.attribute, { kind: 'resource', schemas: target.schemas });
  const columns = new Map(Object.entries(target.columns ?? {}).map(([k, v]) => [k.toLowerCase(), v] as const));
  const column = resolved.columnKey !== undefined ? columns.get(resolved.columnKey) : undefined;
  if (column) return done(...columnKey(column));

  if (resolved.problem || !resolved.definition) {
    // typed: Postgres refuses a bare constant in ORDER BY ("non-integer constant"), not a cast expression
    if (lenient) return done('NULL::text', 'none');
    throw invalid(`Invalid sortBy '${display}': ${resolved.problem ?? 'unknown attribute'}`);
  }
  if (!resolved.inDocument) throw invalid(`Invalid sortBy '${display}': this attribute cannot be used for sorting`);
  let def = resolved.definition;
  const steps: PathStep[] = [...resolved.steps];
  if (def.type === 'complex') {
    const value = def.multiValued && !resolved.hasSubAttribute ? findAttribute(def.subAttributes, 'value') : undefined;
    if (!value)
      throw invalid(
        `Invalid sortBy '${display}': '${def.name}' is complex; sort by one of its sub-attributes (e.g. '${def.name}.${def.subAttributes?.[0]?.name ?? 'value'}')`,
      );
    steps.push({ key: value.name, multiValued: value.multiValued });
    def = value;
  }

  let expr = target.document;
  for (const step of steps) {
    expr = `(${expr} -> ${param(step.key)})`;
    if (step.multiValued) expr = chosenElement(expr);
  }
  switch (def.type) {
    case 'string':
    case 'reference':
    case 'binary': {
      const text = `(CASE WHEN jsonb_typeof(${expr}) = 'string' THEN ${expr} #>> '{}' END)`;
      const caseExact = def.type === 'binary' || def.caseExact;
      return done(`(${caseExact ? text : `lower(${text})`} COLLATE "C")`, 'string');
    }
    case 'integer':
    case 'decimal':
      return done(`(CASE WHEN jsonb_typeof(${expr}) = 'number' THEN (${expr} #>> '{}')::numeric END)`, 'number');
    case 'boolean':
      // Entra's "True"/"False" strings sort as the booleans they mean.
      return done(`(CASE WHEN lower(${expr} #>> '{}') IN ('true', 'false') THEN lower(${expr} #>> '{}')::boolean END)`, 'boolean');
    case 'dateTime':
      return done(
        `(CASE WHEN jsonb_typeof(${expr}) = 'string' AND (${expr} #>> '{}') ~ '${DATE_TIME_PATTERN}' THEN (${expr} #>> '{}')::timestamptz END)`,
        'dateTime',
      );
    case 'complex':
      throw invalid(`Invalid sortBy '${display}': a complex value cannot be sorted on`);
  }
}

function columnKey(column: SqlColumn): [string, SortKeyKind] {
  switch (column.type) {
    case 'string':
    case 'reference':
    case 'binary':
      return [`(${column.caseExact ? column.sql : `lower(${column.sql})`} COLLATE "C")`, 'string'];
    case 'integer':
    case 'decimal':
      return [column.sql, 'number'];
    case 'boolean':
      return [column.sql, 'boolean'];
    case 'dateTime':
      return [column.sql, 'dateTime'];
    case 'complex':
      throw invalid('a complex column cannot be sorted on');
  }
}

/**
 * The element a multi-valued value sorts by: the one with `"primary": true`, else the first. A non-array value is
 * taken as a one-element array, as the filter compiler does.
 */
function chosenElement(expr: string): string {
  const elements =
    `(CASE WHEN jsonb_typeof(${expr}) = 'array' THEN ${expr} ` +
    `WHEN jsonb_typeof(${expr}) IN ('object', 'string', 'number', 'boolean') THEN jsonb_build_array(${expr}) ELSE '[]'::jsonb END)`;
  return (
    `(SELECT s.v FROM jsonb_array_elements(${elements}) WITH ORDINALITY AS s(v, n) ` +
    `ORDER BY (CASE WHEN jsonb_typeof(s.v) = 'object' AND s.v -> 'primary' = 'true'::jsonb THEN 0 ELSE 1 END), s.n LIMIT 1)`
  );
}

/** A sort key as node-postgres returns it, made comparable in JavaScript (numeric arrives as a string). */
export function sortKeyValue(raw: unknown, kind: SortKeyKind): unknown {
  if (raw === null || raw === undefined) return null;
  if (kind === 'number') return Number(raw);
  if (kind === 'dateTime') return raw instanceof Date ? raw.getTime() : Date.parse(String(raw));
  return raw;
}

/**
 * Compares two sort keys (see sortKeyValue) as Postgres orders them, for merging pages of several resource types:
 * nulls last when ascending and first when descending; strings by code point (lower-cased in SQL already when
 * case-insensitive); keys of different JavaScript types (an attribute typed differently in two resource types) by type name.
 */
export function compareSortKeys(a: unknown, b: unknown, order: SortOrder): number {
  const an = a === null || a === undefined;
  const bn = b === null || b === undefined;
  if (an || bn) {
    if (an && bn) return 0;
    const nullsAfter = an ? 1 : -1;
    return order === 'ascending' ? nullsAfter : -nullsAfter;
  }
  const c = compareValues(a, b);
  return order === 'ascending' ? c : -c;
}

function compareValues(a: unknown, b: unknown): number {
  if (typeof a !== typeof b) return typeof a < typeof b ? -1 : 1;
  if (typeof a === 'string') return compareCodePoints(a, b as string);
  if (typeof a === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (typeof a === 'number') return Math.sign(a - (b as number));
  return 0;
}
