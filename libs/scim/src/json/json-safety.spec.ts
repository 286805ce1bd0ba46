import fc from 'fast-check';
import { ScimError } from '../errors';
import { assertSafeJson, MAX_JSON_DEPTH, unsafeCharacter } from './json-safety';

const nested = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
};
const refusal = (f: () => void): ScimError => {
  try {
    f();
  } catch (e) {
    if (e instanceof ScimError) return e;
    throw e;
  }
  throw new Error('not refused');
};

describe('assertSafeJson', () => {
  it(`accepts ${MAX_JSON_DEPTH} levels and refuses one more, without recursion (100,000 deep)`, () => {
    expect(() => assertSafeJson(nested(MAX_JSON_DEPTH))).not.toThrow();
    const e = refusal(() => assertSafeJson(nested(MAX_JSON_DEPTH + 1)));
    expect([e.status, e.scimType]).toEqual([400, 'invalidSyntax']);
    expect(refusal(() => assertSafeJson(JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)))).detail).toMatch(/deeper than 64/);
  });

  it('names the place of a NUL or a lone surrogate in a value or a member name', () => {
    const e = refusal(() => assertSafeJson({ name: { givenName: 'a\ud800' } }));
    expect([e.status, e.scimType]).toEqual([400, 'invalidValue']);
    expect(e.detail).toBe('The request body contains a lone surrogate (U+D800) at /name/givenName');
    expect(refusal(() => assertSafeJson({ emails: [{ value: 'x' }, { value: '\u0000' }] })).detail).toMatch(/NUL character \(U\+0000\) at \/emails\/1\/value/);
    expect(refusal(() => assertSafeJson({ 'a/b': { 'x\u0000': 1 } })).detail).toMatch(/member name with a NUL character .* in \/a~1b$/);
    expect(refusal(() => assertSafeJson('\udc00', { label: 'query parameter filter' })).detail).toMatch(
      /^The query parameter filter contains a lone surrogate \(U\+DC00\) at \/$/,
    );
  });

  it('depth only when strings: false', () => {
    expect(() => assertSafeJson({ a: '\u0000' }, { strings: false })).not.toThrow();
  });

  it('accepts every well-formed JSON value without NUL (pairs of surrogates included)', () => {
    expect(() => assertSafeJson({ emoji: '😀', text: 'ü\t\n' })).not.toThrow();
    const unit = fc.oneof(
      fc.constantFrom('\u0000', '\ud800', '\udfff'),
      fc.integer({ min: 0x20, max: 0xffff }).map((c) => String.fromCharCode(c)),
    );
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 10, stringUnit: unit } as never), (v) => {
        // JSON.stringify writes lone surrogates and NUL as \u escapes
        const unsafe = /\\u0000|\\ud[89a-f]/i.test(JSON.stringify(v));
        if (unsafe) expect(() => assertSafeJson(v)).toThrow(ScimError);
        else expect(() => assertSafeJson(v)).not.toThrow();
      }),
      { seed: 15, numRuns: 300 },
    );
  });
});

describe('unsafeCharacter', () => {
  it('agrees with String.prototype.isWellFormed on surrogates', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 1, max: 0xffff }).map((c) => String.fromCharCode(c)) }), (s) => {
        expect(unsafeCharacter(s) === undefined).toBe((s as unknown as { isWellFormed(): boolean }).isWellFormed());
      }),
      { seed: 15, numRuns: 500 },
    );
  });
});
