/** Property tests (fast-check) for the parser, the printer and the matcher. */
import fc from 'fast-check';
import { ScimError } from '../errors';
import { enterpriseUserSchema, userSchema } from '../schema/user.schema';
import { AttributeReference, CompareOperator, FilterNode, FilterValue } from './ast';
import { findAttribute } from '../schema/attribute';
import { matchesFilter, matchesValueFilter } from './matcher';
import { formatFilter, formatPatchPath, formatValue, parseFilter, parsePatchPath } from './parser';
import { and, cmp, ENTERPRISE, not, or, pr } from './test-helpers';

// ---- generators -------------------------------------------------------------------------------------------------

const KEYWORDS = new Set(['and', 'or', 'not']);
const attrName: fc.Arbitrary<string> = fc
  .oneof(
    fc
      .tuple(fc.constantFrom(...'aAzZqQ'.split('')), fc.string({ unit: fc.constantFrom(...'abzABZ09_-'.split('')), maxLength: 8 }))
      .map(([first, rest]) => first + rest),
    fc.constantFrom('$ref', 'userName', 'emails', 'value', 'pr', 'eq', 'true', 'null', 'notes', 'order'),
  )
  .filter((n) => !KEYWORDS.has(n.toLowerCase()));
const urn: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(ENTERPRISE, 'urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName'),
  fc
    .array(fc.string({ unit: fc.constantFrom(...'aZ09.-_'.split('')), minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 4 })
    .map((parts) => `urn:${parts.join(':')}`),
);
const topRef: fc.Arbitrary<AttributeReference> = fc
  .record({ schema: fc.option(urn, { nil: undefined }), attribute: attrName, subAttribute: fc.option(attrName, { nil: undefined }) })
  .map(({ schema, attribute, subAttribute }) => {
    const ref: AttributeReference = { attribute };
    if (schema !== undefined) ref.schema = schema;
    if (subAttribute !== undefined) ref.subAttribute = subAttribute;
    return ref;
  });
const valuePathRef = topRef.map(({ schema, attribute }) => (schema === undefined ? { attribute } : { schema, attribute }));
const innerRef: fc.Arbitrary<AttributeReference> = attrName.map((attribute) => ({ attribute }));

const stringValue = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('', '"', '\\', '/', '\b\f\n\r\t', '\u001f', '\ud800', '😀', 'and or not ( ) [ ]'),
);
const safeString = stringValue.filter((s) => !s.includes('\u0000'));
const numberValue = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(-0, 0.1, 1e21, 5e-324));
const anyValue: fc.Arbitrary<FilterValue> = fc.oneof(safeString, numberValue, fc.boolean(), fc.constant(null));

/** A comparison the parser accepts: substring operators take strings, ordering takes strings or numbers. */
const leaf = (ref: fc.Arbitrary<AttributeReference>): fc.Arbitrary<FilterNode> =>
  fc.oneof(
    fc.record({ kind: fc.constant('present' as const), attribute: ref }),
    fc.record({ kind: fc.constant('compare' as const), attribute: ref, op: fc.constantFrom<CompareOperator>('eq', 'ne'), value: anyValue }),
    fc.record({ kind: fc.constant('compare' as const), attribute: ref, op: fc.constantFrom<CompareOperator>('co', 'sw', 'ew'), value: safeString }),
    fc.record({
      kind: fc.constant('compare' as const),
      attribute: ref,
      op: fc.constantFrom<CompareOperator>('gt', 'ge', 'lt', 'le'),
      value: fc.oneof(safeString, numberValue),
    }),
  );

const innerFilter = fc.letrec<{ node: FilterNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf(innerRef),
    fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), left: tie('node'), right: tie('node') }),
    fc.record({ kind: fc.constant('not' as const), filter: tie('node') }),
  ),
})).node;

const filterAst = fc.letrec<{ node: FilterNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf(topRef),
    fc.record({ kind: fc.constant('valuePath' as const), attribute: valuePathRef, filter: innerFilter }),
    fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), left: tie('node'), right: tie('node') }),
    fc.record({ kind: fc.constant('not' as const), filter: tie('node') }),
  ),
})).node;

const TOKENS = [
  'userName',
  'emails',
  'name.givenName',
  `${ENTERPRISE}:manager.value`,
  'eq',
  'NE',
  'co',
  'pr',
  'gt',
  'and',
  'OR',
  'not',
  '(',
  ')',
  '[',
  ']',
  '.',
  ':',
  '"x"',
  '"',
  '\\',
  '\\u12',
  '\\u0000',
  '1e5',
  '-',
  '01',
  'true',
  'Null',
  '].value',
  '$ref',
  'urn:',
  ' ',
  ' ',
  '\t',
  '\n',
];
const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 25 }).map((t) => t.join(''));

function expectOnlyScimError(fn: () => unknown, scimType: 'invalidFilter' | 'invalidPath'): unknown {
  try {
    return fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ScimError);
    expect((e as ScimError).status).toBe(400);
    expect((e as ScimError).scimType).toBe(scimType);
    return undefined;
  }
}

// ---- parser and printer -----------------------------------------------------------------------------------------

describe('properties: parser and printer', () => {
  it('parseFilter(formatFilter(ast)) equals ast', () => {
    fc.assert(
      fc.property(filterAst, (ast) => {
        const text = formatFilter(ast);
        fc.pre(text.length <= 10_000);
        expect(parseFilter(text)).toEqual(ast);
      }),
      { numRuns: 1000 },
    );
  });

  it('random strings either parse or fail with ScimError 400 invalidFilter', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), tokenSoup), (text) => {
        const ast = expectOnlyScimError(() => parseFilter(text), 'invalidFilter') as FilterNode | undefined;
        // Whatever parses prints to text that parses to the same tree.
        if (ast) expect(parseFilter(formatFilter(ast))).toEqual(ast);
      }),
      { numRuns: 3000 },
    );
  });

  it('random strings either parse as PATCH paths or fail with ScimError 400 invalidPath', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), tokenSoup), (text) => {
        const path = expectOnlyScimError(() => parsePatchPath(text), 'invalidPath') as ReturnType<typeof parsePatchPath> | undefined;
        if (path) expect(parsePatchPath(formatPatchPath(path))).toEqual(path);
      }),
      { numRuns: 3000 },
    );
  });

  it('printed value paths parse back as PATCH paths', () => {
    fc.assert(
      fc.property(valuePathRef, innerFilter, fc.option(attrName, { nil: undefined }), (attribute, valueFilter, subAttribute) => {
        const path = subAttribute === undefined ? { attribute, valueFilter } : { attribute, valueFilter, subAttribute };
        expect(parsePatchPath(formatPatchPath(path))).toEqual(path);
      }),
      { numRuns: 500 },
    );
  });
});

// ---- matcher ----------------------------------------------------------------------------------------------------

const schemas = [userSchema, enterpriseUserSchema];
const scalar = fc.oneof(
  fc.constantFrom('', 'a', 'A', 'work', 'Work', 'True', 'false', 'x@example.com', '2020-01-01T00:00:00Z'),
  fc.integer({ min: -3, max: 3 }),
  fc.boolean(),
  fc.constant(null),
);
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 2 });
const element = fc.record({ value: opt(scalar), type: opt(scalar), primary: opt(scalar) }, { requiredKeys: [] });
const resource = fc.record(
  {
    userName: opt(fc.constantFrom('a', 'A', 'work', 'x@example.com')),
    title: opt(scalar),
    active: opt(scalar),
    name: opt(fc.oneof(fc.record({ givenName: opt(scalar), familyName: opt(scalar) }, { requiredKeys: [] }), scalar)),
    emails: opt(fc.oneof(fc.array(element, { maxLength: 3 }), element, scalar)),
    [ENTERPRISE]: opt(fc.record({ department: opt(scalar), manager: opt(fc.record({ value: opt(scalar) }, { requiredKeys: [] })) }, { requiredKeys: [] })),
    meta: opt(fc.record({ created: fc.constantFrom('2020-01-01T00:00:00Z', '2021-06-01T10:00:00.5+02:00', 'junk') })),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<Record<string, unknown>>;
const paths = [
  'userName',
  'title',
  'active',
  'name.givenName',
  'emails',
  'emails.value',
  'emails.type',
  'emails.primary',
  `${ENTERPRISE}:department`,
  'manager.value',
  'meta.created',
  'unknownAttr',
];
const ops: CompareOperator[] = ['eq', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];
const comparison = fc.record({
  path: fc.constantFrom(...paths),
  op: fc.constantFrom(...ops),
  value: fc.oneof(scalar, fc.constantFrom('2020-06-01', 'wor', 'k')),
});

/** Evaluates, or returns 'error' for invalid filters (which must be invalid whatever the data). */
function evaluate(node: FilterNode, r: Record<string, unknown>): boolean | 'error' {
  try {
    return matchesFilter(node, r, { schemas });
  } catch (e) {
    expect(e).toBeInstanceOf(ScimError);
    return 'error';
  }
}

const negateResult = (x: boolean | 'error') => (x === 'error' ? x : !x);

describe('properties: matcher', () => {
  it('ne is not eq', () => {
    fc.assert(
      fc.property(fc.constantFrom(...paths), scalar, resource, (path, value, r) => {
        expect(evaluate(cmp(path, 'ne', value), r)).toEqual(negateResult(evaluate(cmp(path, 'eq', value), r)));
      }),
      { numRuns: 2000 },
    );
  });

  it('eq null is not pr, and ne null is pr', () => {
    fc.assert(
      fc.property(fc.constantFrom(...paths), resource, (path, r) => {
        expect(evaluate(cmp(path, 'eq', null), r)).toEqual(negateResult(evaluate(pr(path), r)));
        expect(evaluate(cmp(path, 'ne', null), r)).toEqual(evaluate(pr(path), r));
      }),
      { numRuns: 1000 },
    );
  });

  it('not is two-valued and De Morgan holds', () => {
    fc.assert(
      fc.property(comparison, comparison, resource, (a, b, r) => {
        const x = cmp(a.path, a.op, a.value);
        const y = cmp(b.path, b.op, b.value);
        const lhs = evaluate(not(and(x, y)), r);
        const rhs = evaluate(or(not(x), not(y)), r);
        expect(lhs).toEqual(rhs);
        expect(evaluate(not(not(x)), r)).toEqual(evaluate(x, r));
      }),
      { numRuns: 2000 },
    );
  });

  it('errors depend on the filter only, never on the resource', () => {
    fc.assert(
      fc.property(comparison, resource, resource, (a, r1, r2) => {
        const node = cmp(a.path, a.op, a.value);
        expect(evaluate(node, r1) === 'error').toBe(evaluate(node, r2) === 'error');
      }),
      { numRuns: 2000 },
    );
  });

  it('attr[f].sub op value is attr.sub op value over the elements of attr that match f', () => {
    const emails = findAttribute(userSchema.attributes, 'emails');
    const elementFilters = ['type eq "work"', 'type eq "Work" or primary eq true', 'not (type pr)', 'primary eq true', 'value pr'];
    const subs = ['value', 'type', 'primary', 'display'];
    const condition = fc.oneof(
      fc.constant('pr'),
      fc
        .record({ op: fc.constantFrom<CompareOperator>('eq', 'ne', ...ops), value: fc.oneof(scalar, fc.constantFrom('wor', 'k', 'X@EXAMPLE.COM')) })
        .map(({ op, value }) => `${op} ${formatValue(value)}`),
    );
    const parsed = (text: string): FilterNode | 'error' => {
      try {
        return parseFilter(text);
      } catch (e) {
        expect(e).toBeInstanceOf(ScimError);
        return 'error';
      }
    };
    fc.assert(
      fc.property(fc.constantFrom(...elementFilters), fc.constantFrom(...subs), condition, resource, (f, sub, cond, r) => {
        const node = parsed(`emails[${f}].${sub} ${cond}`);
        const plain = parsed(`emails.${sub} ${cond}`);
        expect(node === 'error').toBe(plain === 'error');
        if (node === 'error' || plain === 'error') return;
        const all = Array.isArray(r.emails) ? r.emails : r.emails === undefined || r.emails === null ? [] : [r.emails];
        const kept = all.filter((e) => matchesValueFilter(parseFilter(f), e, emails));
        expect(evaluate(node, r)).toEqual(evaluate(plain, { ...r, emails: kept }));
      }),
      { numRuns: 3000 },
    );
  });
});
