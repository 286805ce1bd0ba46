/**
 * In-memory evaluation of SCIM filters (RFC 7644 §3.4.2.2) against SCIM JSON resources, for the PATCH engine's
 * value filters and for tests. Selects exactly what compileFilterToSql selects on the same stored documents;
 * the shared rules live in semantics.ts.
 *
 * - Attribute names are case-insensitive; strings compare case-insensitively unless the definition says caseExact.
 * - A multi-valued attribute matches when any of its values matches.
 * - `ne` is `not eq`: true when the attribute is missing or no value equals; `eq null` is `not pr`.
 * - Invalid filters (e.g. `gt` on a boolean) throw ScimError invalidFilter whatever the data.
 */
import { isPlainObject } from '../resource/values';
import { AttributeDefinition, SchemaDefinition } from '../schema/attribute';
import { FilterNode } from './ast';
import {
  Comparison,
  comparisonTarget,
  compareCodePoints,
  filterError,
  flatten,
  isPresent,
  nullTestsPresence,
  parseStoredDateTime,
  PathStep,
  planComparison,
  resolveAttribute,
  Scope,
  toBoolean,
} from './semantics';

export interface MatchOptions {
  /** Schemas of the resource type: the core schema first, then extensions. Without them nothing is caseExact
   * except `id`, `externalId` and `meta.resourceType`/`meta.version`, and types follow the filter's literals. */
  schemas?: SchemaDefinition[];
}

type Predicate = (target: unknown) => boolean;

/** True when `resource` satisfies `filter`. Throws ScimError invalidFilter for filters that cannot be evaluated. */
export function matchesFilter(node: FilterNode, resource: Record<string, unknown>, options: MatchOptions = {}): boolean {
  return compileMatcher(node, options)(resource);
}

/**
 * Prepares a filter once for many resources. All validation happens here, so an invalid filter throws even
 * when there is nothing to match.
 */
export function compileMatcher(node: FilterNode, options: MatchOptions = {}): (resource: Record<string, unknown>) => boolean {
  const predicate = compileNode(node, { kind: 'resource', schemas: options.schemas ?? [] });
  return (resource) => predicate(resource);
}

/**
 * Evaluates a value filter (the `[…]` of `emails[type eq "work"]`) against one element of a multi-valued
 * attribute, e.g. for PATCH. `attribute` is the definition of the multi-valued attribute, if known.
 */
export function matchesValueFilter(filter: FilterNode, element: unknown, attribute?: AttributeDefinition): boolean {
  const predicate = compileNode(filter, { kind: 'element', parent: attribute?.name ?? 'value', attributes: attribute?.subAttributes });
  return isPlainObject(element) && predicate(element);
}

function compileNode(node: FilterNode, scope: Scope): Predicate {
  switch (node.kind) {
    case 'and':
    case 'or': {
      const parts = flatten(node).map((n) => compileNode(n, scope));
      return node.kind === 'and' ? (t) => parts.every((p) => p(t)) : (t) => parts.some((p) => p(t));
    }
    case 'not': {
      const inner = compileNode(node.filter, scope);
      return (t) => !inner(t);
    }
    case 'present':
      return presence(node.attribute, scope);
    case 'compare': {
      if (node.value === null) {
        const testsPresence = nullTestsPresence(node.op);
        const present = presence(node.attribute, scope);
        return testsPresence ? present : (t) => !present(t);
      }
      const resolved = resolveAttribute(node.attribute, scope);
      const op = node.op === 'ne' ? 'eq' : node.op;
      const target = comparisonTarget(resolved, op);
      const plan = planComparison(op, node.value, target.definition?.type, target.definition?.caseExact ?? false, resolved.display);
      const test = scalarTest(plan);
      const read = target.redirectObjects ? (v: unknown) => (isPlainObject(v) ? member(v, 'value') : v) : (v: unknown) => v;
      const eq: Predicate = (t) => values(t, target.steps).some((v) => test(read(v)));
      return node.op === 'ne' ? (t) => !eq(t) : eq;
    }
    case 'valuePath': {
      if (scope.kind === 'element') throw filterError(`value filters cannot be nested (inside '${scope.parent}').`);
      const resolved = resolveAttribute(node.attribute, scope);
      const def = resolved.definition;
      if (def && def.type !== 'complex') throw filterError(`a value filter needs a complex attribute, and '${resolved.display}' is not one.`);
      const inner = compileNode(node.filter, { kind: 'element', parent: resolved.display, attributes: def?.subAttributes });
      return (t) => values(t, resolved.steps).some((v) => isPlainObject(v) && inner(v));
    }
  }
}

function presence(ref: Parameters<typeof resolveAttribute>[0], scope: Scope): Predicate {
  const resolved = resolveAttribute(ref, scope);
  return (t) => values(t, resolved.steps).some(isPresent);
}

/**
 * Walks `steps` from `start`; multi-valued hops fan out over array elements (a non-array value counts as one
 * element, null as none), single-valued hops keep whatever they find, including null or a stray array.
 */
function values(start: unknown, steps: PathStep[]): unknown[] {
  let current: unknown[] = [start];
  steps.forEach((step, i) => {
    const next: unknown[] = [];
    for (const item of current) {
      if (!isPlainObject(item)) continue;
      const v = member(item, step.key);
      // A URN no schema knows may still be the resource's own core schema, whose attributes are top-level.
      if (v === undefined && step.unknownSchema && i === 0 && listsSchema(item, step.key)) {
        next.push(item);
        continue;
      }
      if (step.multiValued) {
        if (Array.isArray(v)) next.push(...v);
        else if (v !== undefined && v !== null) next.push(v);
      } else if (v !== undefined) {
        next.push(v);
      }
    }
    current = next;
  });
  return current;
}

function listsSchema(resource: Record<string, unknown>, urn: string): boolean {
  const schemas = member(resource, 'schemas');
  const lower = urn.toLowerCase();
  return Array.isArray(schemas) && schemas.some((s) => typeof s === 'string' && s.toLowerCase() === lower);
}

/** Member by exact name first (stored documents use the schema's spelling), else case-insensitively. */
function member(obj: Record<string, unknown>, key: string): unknown {
  if (Object.prototype.hasOwnProperty.call(obj, key)) return obj[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return obj[k];
  return undefined;
}

function scalarTest(plan: Comparison): (actual: unknown) => boolean {
  switch (plan.kind) {
    case 'string': {
      const fold = plan.caseExact ? (s: string) => s : (s: string) => s.toLowerCase();
      const expected = fold(plan.value);
      const op = plan.op;
      return (actual) => {
        if (typeof actual !== 'string') return false;
        const a = fold(actual);
        switch (op) {
          case 'eq':
            return a === expected;
          case 'co':
            return a.includes(expected);
          case 'sw':
            return a.startsWith(expected);
          case 'ew':
            return a.endsWith(expected);
          default:
            return ordered(op, compareCodePoints(a, expected));
        }
      };
    }
    case 'boolean':
      return (actual) => toBoolean(actual) === plan.value;
    case 'number':
      return (actual) => typeof actual === 'number' && ordered(plan.op, actual === plan.value ? 0 : actual < plan.value ? -1 : 1);
    case 'dateTime':
      return (actual) => {
        const ms = parseStoredDateTime(actual);
        return ms !== undefined && ordered(plan.op, ms === plan.value ? 0 : ms < plan.value ? -1 : 1);
      };
  }
}

function ordered(op: 'eq' | 'gt' | 'ge' | 'lt' | 'le', cmp: number): boolean {
  switch (op) {
    case 'eq':
      return cmp === 0;
    case 'gt':
      return cmp > 0;
    case 'ge':
      return cmp >= 0;
    case 'lt':
      return cmp < 0;
    case 'le':
      return cmp <= 0;
  }
}
