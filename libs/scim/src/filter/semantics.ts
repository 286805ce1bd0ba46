/**
 * Filter semantics shared by the in-memory matcher and the SQL compiler, so that both select the same resources:
 * how an attribute reference is resolved against schema definitions (and where its values sit in a SCIM JSON
 * document), and how a comparison is typed and validated. Everything here is data-independent: an invalid
 * filter fails the same way whether it is matched in memory or compiled to SQL.
 */
import { ScimError } from '../errors';
import { AttributeDefinition, AttributeType, findAttribute, SchemaDefinition, schemaAttribute } from '../schema/attribute';
import { commonAttributes } from '../schema/user.schema';
import { AttributeReference, CompareOperator, FilterNode, FilterValue } from './ast';
import { formatAttribute } from './parser';

/** One hop from a JSON object to a member; multi-valued hops fan out over the array's elements. */
export interface PathStep {
  key: string;
  multiValued: boolean;
  /** Set on the container hop of a URN no schema knows; the matcher may resolve it to the top level. */
  unknownSchema?: boolean;
}

/** Where filter attributes are resolved: a whole resource, or an element of a multi-valued attribute (`emails[…]`). */
export type Scope =
  { kind: 'resource'; schemas: readonly SchemaDefinition[] } | { kind: 'element'; parent: string; attributes: readonly AttributeDefinition[] | undefined };

export interface ResolvedAttribute {
  /** Hops from the document (or element) to the attribute's values, using the schema's spelling of each name. */
  steps: PathStep[];
  /** Definition of the referenced (sub-)attribute; undefined when no definition is known. */
  definition?: AttributeDefinition;
  /** Why the reference is not fully known (unknown schema, attribute or sub-attribute); undefined when known. */
  problem?: string;
  /** Lower-cased canonical path for column look-up: `username`, `meta.created`, `<schema id>:manager.value`. */
  columnKey?: string;
  /** False for `id` and `meta`, which live in columns rather than in the stored document. */
  inDocument: boolean;
  /** As the client wrote it, for messages. */
  display: string;
  /** Whether the client wrote `attribute.subAttribute`. */
  hasSubAttribute: boolean;
}

export function filterError(detail: string): ScimError {
  return ScimError.badRequest('invalidFilter', `Invalid filter: ${detail}`);
}

/** Whether a comparison with null tests presence: `ne null` does, `eq null` tests absence; no other operator takes null. */
export function nullTestsPresence(op: CompareOperator): boolean {
  if (op !== 'eq' && op !== 'ne') throw filterError(`'${op}' cannot be used with null.`);
  return op === 'ne';
}

/** A value filter follows an attribute (`emails[…]`), never a sub-attribute (the parser refuses `emails.value[…]` too). */
export function checkValueFilterAttribute(ref: AttributeReference): void {
  if (ref.subAttribute !== undefined) throw filterError('a value filter names an attribute, not a sub-attribute.');
}

const NOT_IN_DOCUMENT = new Set(['id', 'meta']);

/**
 * Resolves an attribute reference. A URN prefix selects the schema with that id (case-insensitively); the first
 * schema is the core one (attributes at the document's top level, together with id/externalId/meta), later ones
 * are extensions (attributes under the document key equal to the schema id). Without a prefix the core schema is
 * tried first, then the common attributes, then the extensions in order. Unknown parts never throw here: they
 * are reported in `problem` so the caller decides (the matcher tolerates them, strict SQL rejects them).
 */
export function resolveAttribute(ref: AttributeReference, scope: Scope): ResolvedAttribute {
  const display = formatAttribute(ref);
  if (scope.kind === 'element') return resolveInElement(ref, scope, display);

  const { schemas } = scope;
  let top: AttributeDefinition | undefined;
  let container: PathStep | undefined;
  let keyPrefix = '';
  let location: 'core' | 'common' | 'extension' | 'unknown' = 'unknown';
  let problem: string | undefined;

  if (ref.schema !== undefined) {
    const wanted = ref.schema.toLowerCase();
    const index = schemas.findIndex((s) => s.id.toLowerCase() === wanted);
    if (index === 0) {
      top = findAttribute(schemas[0].attributes, ref.attribute);
      location = top ? 'core' : 'unknown';
      if (!top) {
        top = findAttribute(commonAttributes, ref.attribute);
        if (top) location = 'common';
      }
      if (!top) problem = `unknown attribute '${ref.attribute}' in schema '${schemas[0].id}'`;
    } else if (index > 0) {
      const ext = schemas[index];
      container = { key: ext.id, multiValued: false };
      keyPrefix = `${ext.id}:`;
      // Only a URN-qualified name reaches an open schema's undeclared attributes.
      top = schemaAttribute(ext, ref.attribute);
      location = 'extension';
      if (!top) problem = `unknown attribute '${ref.attribute}' in schema '${ext.id}'`;
    } else {
      container = { key: ref.schema, multiValued: false, unknownSchema: true };
      keyPrefix = `${ref.schema}:`;
      problem = `unknown schema '${ref.schema}'`;
    }
  } else {
    top = schemas.length > 0 ? findAttribute(schemas[0].attributes, ref.attribute) : undefined;
    if (top) location = 'core';
    if (!top) {
      top = findAttribute(commonAttributes, ref.attribute);
      if (top) location = 'common';
    }
    for (let i = 1; !top && i < schemas.length; i++) {
      top = findAttribute(schemas[i].attributes, ref.attribute);
      if (top) {
        location = 'extension';
        container = { key: schemas[i].id, multiValued: false };
        keyPrefix = `${schemas[i].id}:`;
      }
    }
    if (!top) problem = `unknown attribute '${ref.attribute}'`;
  }

  const steps: PathStep[] = container ? [container] : [];
  // Unknown attributes fan out over arrays, so "any value matches" holds whatever their shape.
  steps.push({ key: top?.name ?? ref.attribute, multiValued: top ? top.multiValued : true });
  let definition = top;
  let columnPath = top?.name ?? ref.attribute;
  if (ref.subAttribute !== undefined) {
    const sub = top ? findAttribute(top.subAttributes, ref.subAttribute) : undefined;
    if (top && !sub && !problem) {
      problem = top.subAttributes ? `attribute '${top.name}' has no sub-attribute '${ref.subAttribute}'` : `attribute '${top.name}' has no sub-attributes`;
    }
    steps.push({ key: sub?.name ?? ref.subAttribute, multiValued: sub ? sub.multiValued : true });
    definition = sub;
    columnPath += `.${sub?.name ?? ref.subAttribute}`;
  }
  return {
    steps,
    definition,
    problem,
    columnKey: `${keyPrefix}${columnPath}`.toLowerCase(),
    inDocument: !(location === 'common' && top !== undefined && NOT_IN_DOCUMENT.has(top.name)),
    display,
    hasSubAttribute: ref.subAttribute !== undefined,
  };
}

function resolveInElement(ref: AttributeReference, scope: Extract<Scope, { kind: 'element' }>, display: string): ResolvedAttribute {
  // The parser never produces these; a hand-built tree gets the same answer from the matcher and the SQL compiler.
  if (ref.schema !== undefined) throw filterError(`attribute '${display}' inside the value filter of '${scope.parent}' cannot have a schema URN.`);
  if (ref.subAttribute !== undefined) throw filterError(`sub-attribute path '${display}' is not allowed inside the value filter of '${scope.parent}'.`);
  const def = findAttribute(scope.attributes, ref.attribute);
  return {
    steps: [{ key: def?.name ?? ref.attribute, multiValued: def ? def.multiValued : true }],
    definition: def,
    problem: def ? undefined : `'${scope.parent}' has no sub-attribute '${ref.attribute}'`,
    inDocument: true,
    display,
    hasSubAttribute: false,
  };
}

/**
 * The values a comparison looks at. A complex attribute with a `value` sub-attribute, named without sub-attribute
 * (`emails eq "x"`, `members eq "id"`, and Entra's `manager eq "id"`), is compared through its `value`; any other
 * complex attribute cannot be compared.
 * For attributes without definition, `redirectObjects` asks to compare objects by their `value` member.
 */
export interface ComparisonTarget {
  steps: PathStep[];
  definition?: AttributeDefinition;
  redirectObjects: boolean;
}

export function comparisonTarget(resolved: ResolvedAttribute, op: CompareOperator): ComparisonTarget {
  const def = resolved.definition;
  if (!def) return { steps: resolved.steps, redirectObjects: true };
  if (def.type !== 'complex') return { steps: resolved.steps, definition: def, redirectObjects: false };
  // RFC 7644 §3.4.2.2: ordering a complex attribute is a 400 invalidFilter, even one with a `value`.
  if (ORDERING_OPS.has(op)) throw filterError(`'${op}' cannot be used on complex attribute '${resolved.display}'.`);
  const value = !resolved.hasSubAttribute ? findAttribute(def.subAttributes, 'value') : undefined;
  if (!value) {
    throw filterError(`'${resolved.display}' is a complex attribute; compare one of its sub-attributes instead (or use pr).`);
  }
  return {
    steps: [...resolved.steps, { key: value.name, multiValued: value.multiValued }],
    definition: value,
    redirectObjects: false,
  };
}

/** Collects `a and b and c` (any nesting) into [a, b, c] without recursion, so long chains cannot overflow. */
export function flatten(node: FilterNode & { kind: 'and' | 'or' }): FilterNode[] {
  const out: FilterNode[] = [];
  const stack: FilterNode[] = [node];
  while (stack.length) {
    const n = stack.pop() as FilterNode;
    if (n.kind === node.kind) stack.push(n.right, n.left);
    else out.push(n);
  }
  return out;
}

// ---- comparisons ------------------------------------------------------------------------------------------------

export type Comparison =
  | { kind: 'string'; op: Exclude<CompareOperator, 'ne'>; value: string; caseExact: boolean }
  | { kind: 'boolean'; op: 'eq'; value: boolean }
  | { kind: 'number'; op: 'eq' | 'gt' | 'ge' | 'lt' | 'le'; value: number }
  | { kind: 'dateTime'; op: 'eq' | 'gt' | 'ge' | 'lt' | 'le'; value: number; iso: string };

const SUBSTRING_OPS = new Set<CompareOperator>(['co', 'sw', 'ew']);
const ORDERING_OPS = new Set<CompareOperator>(['gt', 'ge', 'lt', 'le']);

/**
 * Types a comparison. `op` is never `ne` (callers evaluate `ne` as `not eq`) and `value` never null (callers
 * evaluate `eq null` as "not present"). `type` is undefined for attributes without definition: then the
 * literal's JSON type decides, and strings compare case-insensitively.
 */
export function planComparison(
  op: Exclude<CompareOperator, 'ne'>,
  value: Exclude<FilterValue, null>,
  type: AttributeType | undefined,
  caseExact: boolean,
  display: string,
): Comparison {
  const fail = (why: string): never => {
    throw filterError(`${why} (attribute '${display}').`);
  };
  const kind = type === undefined ? literalKind(value) : attributeKind(type, display);
  switch (kind) {
    case 'string': {
      // RFC 7644 §3.4.2.2: ordering a binary attribute is a 400 invalidFilter.
      if (type === 'binary' && ORDERING_OPS.has(op)) fail(`'${op}' cannot be used on a binary attribute`);
      if (typeof value !== 'string') fail(`'${op}' on a string attribute needs a string value`);
      // Postgres cannot store U+0000, so the SQL side could not even send it; reject it on both sides.
      if ((value as string).includes('\u0000')) fail('strings cannot contain the NUL character (\\u0000)');
      return { kind, op, value: value as string, caseExact: type === 'binary' ? true : caseExact };
    }
    case 'boolean': {
      if (op !== 'eq') fail(`'${op}' cannot be used on a boolean attribute; use eq, ne or pr`);
      const b = toBoolean(value);
      if (b === undefined) fail('a boolean attribute must be compared with true or false');
      return { kind, op: 'eq', value: b as boolean };
    }
    case 'number': {
      if (SUBSTRING_OPS.has(op)) fail(`'${op}' cannot be used on a numeric attribute`);
      const n =
        typeof value === 'number'
          ? value
          : typeof value === 'string' && /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/.test(value)
            ? Number(value)
            : NaN;
      if (!Number.isFinite(n)) fail('a numeric attribute must be compared with a number');
      return { kind, op: op as 'eq', value: n };
    }
    case 'dateTime': {
      if (SUBSTRING_OPS.has(op)) fail(`'${op}' cannot be used on a dateTime attribute`);
      const ms = typeof value === 'string' ? parseFilterDateTime(value) : undefined;
      if (ms === undefined) fail('a dateTime attribute must be compared with a date such as "2024-05-01T12:00:00Z"');
      return { kind, op: op as 'eq', value: ms as number, iso: new Date(ms as number).toISOString() };
    }
  }
}

function literalKind(value: Exclude<FilterValue, null>): Comparison['kind'] {
  return typeof value === 'boolean' ? 'boolean' : typeof value === 'number' ? 'number' : 'string';
}

function attributeKind(type: AttributeType, display: string): Comparison['kind'] {
  switch (type) {
    case 'string':
    case 'reference':
    case 'binary':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'integer':
    case 'decimal':
      return 'number';
    case 'dateTime':
      return 'dateTime';
    case 'complex':
      throw filterError(`'${display}' is a complex attribute; compare one of its sub-attributes instead (or use pr).`);
  }
}

/** Entra sends booleans both as JSON booleans and as the strings "True"/"False". */
export function toBoolean(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const l = v.toLowerCase();
    if (l === 'true') return true;
    if (l === 'false') return false;
  }
  return undefined;
}

/**
 * Stored dateTime values that take part in comparisons: xsd:dateTime with seconds, a time zone, and a real
 * calendar date. The same pattern guards the SQL cast to timestamptz, which would otherwise fail the whole query
 * on one bad document; anything it rejects is "not comparable" in both the matcher and SQL.
 * Written without backslashes or quotes so it can sit verbatim in a SQL string literal.
 */
const YEAR = '(000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})';
const MONTH_DAY = '((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))';
const LEAP_DAY = '([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)-02-29';
const TIME = 'T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]+)?';
const ZONE = '(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])';
export const DATE_TIME_PATTERN = `^(${YEAR}-${MONTH_DAY}|${LEAP_DAY})${TIME}${ZONE}$`;
const DATE_TIME = new RegExp(DATE_TIME_PATTERN);
const DATE_ONLY = new RegExp(`^(${YEAR}-${MONTH_DAY}|${LEAP_DAY})$`);

/** Epoch milliseconds of a stored dateTime, or undefined when it is not comparable (see DATE_TIME_PATTERN). */
export function parseStoredDateTime(v: unknown): number | undefined {
  if (typeof v !== 'string' || !DATE_TIME.test(v)) return undefined;
  // Date.parse keeps the first three fractional digits and drops the rest; the SQL side truncates the same way.
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A filter literal for a dateTime: a full dateTime, one without zone (taken as UTC), or a date (midnight UTC). */
export function parseFilterDateTime(v: string): number | undefined {
  if (DATE_TIME.test(v)) return parseStoredDateTime(v);
  if (DATE_TIME.test(`${v}Z`)) return parseStoredDateTime(`${v}Z`);
  if (DATE_ONLY.test(v)) return parseStoredDateTime(`${v}T00:00:00Z`);
  return undefined;
}

/** Compares by Unicode code point, which is the order of UTF-8 bytes and so of Postgres' "C" collation. */
export function compareCodePoints(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.codePointAt(i) as number;
    const cb = b.codePointAt(j) as number;
    if (ca !== cb) return ca < cb ? -1 : 1;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  const restA = a.length - i;
  const restB = b.length - j;
  return restA === restB ? 0 : restA < restB ? -1 : 1;
}

/**
 * RFC 7644 `pr`: a non-empty value, or a complex/multi-valued value containing one. Null, "", [] and {} are absent.
 * (The SQL compiler tests the same: some scalar that is neither null nor "" anywhere inside the value.)
 */
export function isPresent(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return v !== '';
  if (Array.isArray(v)) return v.some(isPresent);
  if (typeof v === 'object') return Object.values(v as Record<string, unknown>).some(isPresent);
  return true;
}
