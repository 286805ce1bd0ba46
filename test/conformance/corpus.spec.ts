import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureFrom, caseTitle, casesFor, ConformanceCase, CorpusError, loadCorpus, matchValue, parseCaseFile, queryString, substitute } from './corpus';

const source = { page: 'Tutorial: Develop and plan provisioning for a SCIM endpoint in Microsoft Entra ID', section: 'User Operations › Create User' };
const aCase = (over: Record<string, unknown> = {}) => ({
  id: 'a.case',
  source,
  why: 'because',
  request: { method: 'GET', path: '/Users' },
  expect: { status: 200 },
  ...over,
});
const file = (...cases: unknown[]) => ({ title: 'T', cases });

describe('matchValue', () => {
  it.each<[string, unknown, unknown]>([
    ['equal scalars', 1, 1],
    ['equal strings', 'a', 'a'],
    ['null', null, null],
    ['listed members only', { a: 1 }, { a: 1, b: 2 }],
    ['nested objects', { a: { b: 'x' } }, { a: { b: 'x', c: 'y' }, d: 1 }],
    ['{{any}} takes any present value', { id: '{{any}}' }, { id: 'x' }],
    ['{{any}} takes null', { id: '{{any}}' }, { id: null }],
    ['{{absent}} on a missing member', { roles: '{{absent}}' }, { id: 'x' }],
    ['{{re:…}}', { v: '{{re:^W/"\\d+"$}}' }, { v: 'W/"12"' }],
    ['array containment, any order', [{ v: 2 }, { v: 1 }], [{ v: 1, t: 'a' }, { v: 2 }, { v: 3 }]],
    ['array of scalars contained', ['b'], ['a', 'b']],
    ['empty expected array matches an empty one', [], []],
    [
      'array elements matched one to one',
      [{ t: 'w' }, { t: 'w', v: 1 }],
      [
        { t: 'w', v: 1 },
        { t: 'w', v: 2 },
      ],
    ],
  ])('matches: %s', (_name, expected, actual) => {
    expect(matchValue(expected, actual)).toEqual([]);
  });

  it.each<[string, unknown, unknown, RegExp]>([
    ['different scalars', 1, 2, /^\$: expected 1, found 2$/],
    ['a boolean string is not a boolean', { active: false }, { active: 'False' }, /\$\.active: expected false, found "False"/],
    ['number vs string', '1', 1, /expected "1", found 1/],
    ['missing member', { a: 1 }, {}, /\$\.a: expected 1, found undefined/],
    ['{{any}} on a missing member', { id: '{{any}}' }, {}, /\$\.id: expected a value, found none/],
    ['{{absent}} on a present member', { roles: '{{absent}}' }, { roles: [] }, /\$\.roles: expected no value, found \[\]/],
    ['{{re:…}} on a non-matching string', '{{re:^a}}', 'ba', /matching \/\^a\//],
    ['{{re:…}} on a non-string', '{{re:1}}', 1, /expected a string matching/],
    ['object vs array', { a: 1 }, [1], /expected an object/],
    ['array vs object', [1], { a: 1 }, /expected an array/],
    ['element not contained', [{ v: 9 }], [{ v: 1 }], /no element matches \{"v":9\}/],
    ['empty expected array, non-empty actual', [], [1], /expected an empty array, found 1 element/],
    ['two expected elements, one actual', [{ t: 'w' }, { t: 'w' }], [{ t: 'w' }], /match only the same actual element/],
    ['nested path in the message', { a: { b: [{ c: 1 }] } }, { a: { b: [{ c: 2 }] } }, /\$\.a\.b: no element matches/],
  ])('reports: %s', (_name, expected, actual, message) => {
    const found = matchValue(expected, actual);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });

  it('reports every mismatch, each with its path', () => {
    expect(matchValue({ a: 1, b: { c: 2 } }, { a: 0, b: { c: 3 } }, 'body')).toEqual(['body.a: expected 1, found 0', 'body.b.c: expected 2, found 3']);
  });
});

describe('substitute', () => {
  const vars = { 'user.id': 'u-1', n: 3, obj: { k: 'v' }, baseUrl: 'http://h/scim/v2/t' };

  it('replaces a whole-string placeholder with the value, keeping its type', () => {
    expect(substitute({ id: '{{user.id}}', n: '{{n}}', o: '{{obj}}' }, vars)).toEqual({ id: 'u-1', n: 3, o: { k: 'v' } });
  });

  it('inserts placeholders inside longer strings as text, in arrays and keys too', () => {
    expect(substitute({ path: '/Users/{{user.id}}', list: ['{{baseUrl}}/Users/{{user.id}}'], '{{user.id}}': 1 }, vars)).toEqual({
      path: '/Users/u-1',
      list: ['http://h/scim/v2/t/Users/u-1'],
      'u-1': 1,
    });
  });

  it('leaves matcher markers alone', () => {
    const value = { a: '{{any}}', b: '{{absent}}', c: '{{re:^\\d{4}-{{2}}$}}', d: 'x {{any}}' };
    expect(substitute(value, vars)).toEqual(value);
  });

  it('leaves non-strings and strings without placeholders alone, and does not mutate its input', () => {
    const value = { a: 1, b: true, c: null, d: 'plain', e: [{ f: '{{n}}' }] };
    const copy = JSON.parse(JSON.stringify(value));
    expect(substitute(value, vars)).toEqual({ a: 1, b: true, c: null, d: 'plain', e: [{ f: 3 }] });
    expect(value).toEqual(copy);
  });

  it('names an unknown placeholder', () => {
    expect(() => substitute({ id: '{{group.id}}' }, vars)).toThrow(/\{\{group\.id\}\} has no value/);
    expect(() => substitute('/Groups/{{group.id}}', vars)).toThrow(CorpusError);
  });
});

describe('captureFrom', () => {
  const c = aCase({ capture: { 'user.id': 'body.id', first: 'body.Resources.0.id', etag: 'headers.etag' } }) as unknown as ConformanceCase;

  it('reads body paths (array indexes included) and headers', () => {
    const res = { body: { id: 'u-1', Resources: [{ id: 'r-1' }] }, headers: { etag: 'W/"1"' } };
    expect(captureFrom(c, res)).toEqual({ 'user.id': 'u-1', first: 'r-1', etag: 'W/"1"' });
  });

  it('fails when a path finds nothing', () => {
    expect(() => captureFrom(c, { body: { id: 'u-1', Resources: [] }, headers: { etag: 'x' } })).toThrow(
      /capture 'first' found nothing at 'body.Resources.0.id'/,
    );
    expect(() => captureFrom(c, { body: undefined, headers: {} })).toThrow(CorpusError);
  });

  it('captures nothing without a capture member', () => {
    expect(captureFrom(aCase() as unknown as ConformanceCase, { body: {}, headers: {} })).toEqual({});
  });
});

describe('queryString', () => {
  it('encodes parameters, and puts the flag first in withFlag mode', () => {
    const q = { filter: 'userName eq "a b&c"', excludedAttributes: 'members' };
    expect(queryString(q, 'withoutFlag')).toBe('?filter=userName%20eq%20%22a%20b%26c%22&excludedAttributes=members');
    expect(queryString(q, 'withFlag')).toBe('?aadOptscim062020&filter=userName%20eq%20%22a%20b%26c%22&excludedAttributes=members');
  });

  it('is the bare flag, or nothing, without parameters', () => {
    expect(queryString(undefined, 'withFlag')).toBe('?aadOptscim062020');
    expect(queryString({}, 'withoutFlag')).toBe('');
  });
});

describe('parseCaseFile', () => {
  it('accepts a well-formed file', () => {
    const parsed = parseCaseFile('f.json', file(aCase({ mode: 'withFlag', pendingFeature: 'x', capture: { 'a.b': 'body.id' } })));
    expect(parsed.cases.map((c) => c.id)).toEqual(['a.case']);
  });

  it.each<[string, unknown, RegExp]>([
    ['not an object', [], /must hold a JSON object/],
    ['no title', { cases: [aCase()] }, /'title'/],
    ['no cases', { title: 'T', cases: [] }, /'cases' must be a non-empty array/],
    ['bad id', file(aCase({ id: 'Has Spaces' })), /'id' must be/],
    ['unknown member (a typo)', file(aCase({ expected: {} })), /unknown member 'expected'/],
    ['source a string', file(aCase({ source: 'page' })), /'source' must be \{ page, section \}/],
    ['source without section', file(aCase({ source: { page: 'p' } })), /'source'/],
    ['no why', file(aCase({ why: ' ' })), /'why'/],
    ['unknown mode', file(aCase({ mode: 'flag' })), /'mode' must be one of withoutFlag, withFlag/],
    ['empty pendingFeature', file(aCase({ pendingFeature: '' })), /'pendingFeature'/],
    ['bad method', file(aCase({ request: { method: 'HEAD', path: '/Users' } })), /'request.method'/],
    ['query string in the path', file(aCase({ request: { method: 'GET', path: '/Users?filter=x' } })), /no query string/],
    ['relative path', file(aCase({ request: { method: 'GET', path: 'Users' } })), /must start with '\/'/],
    ['query value not a string', file(aCase({ request: { method: 'GET', path: '/Users', query: { count: 2 } } })), /'request.query'/],
    ['status not an integer', file(aCase({ expect: { status: '200' } })), /'expect.status'/],
    ['capture from elsewhere', file(aCase({ capture: { id: 'status' } })), /must read from 'body…' or 'headers…'/],
  ])('rejects %s, naming the file', (_name, json, message) => {
    expect(() => parseCaseFile('bad.json', json)).toThrow(CorpusError);
    expect(() => parseCaseFile('bad.json', json)).toThrow(message);
    expect(() => parseCaseFile('bad.json', json)).toThrow(/^bad\.json: /);
  });
});

describe('casesFor and caseTitle', () => {
  const parsed = parseCaseFile(
    'f.json',
    file(aCase({ id: 'both' }), aCase({ id: 'old', mode: 'withoutFlag' }), aCase({ id: 'new', mode: 'withFlag', pendingFeature: 'value-path-filter' })),
  );

  it('keeps the cases of a mode, in file order', () => {
    expect(casesFor(parsed, 'withoutFlag').map((c) => c.id)).toEqual(['both', 'old']);
    expect(casesFor(parsed, 'withFlag').map((c) => c.id)).toEqual(['both', 'new']);
  });

  it('names a case by id and source, and says when it waits for a feature', () => {
    expect(caseTitle(parsed.cases[0])).toBe(`both [${source.page} › ${source.section}]`);
    expect(caseTitle(parsed.cases[2])).toMatch(/\(pending: value-path-filter\)$/);
  });
});

describe('loadCorpus', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'corpus-'));

  it('loads the JSON files of a directory in file-name order, ignoring other files', () => {
    const d = dir();
    writeFileSync(join(d, '02-b.json'), JSON.stringify(file(aCase({ id: 'b' }))));
    writeFileSync(join(d, '01-a.json'), JSON.stringify(file(aCase({ id: 'a' }))));
    writeFileSync(join(d, 'README.md'), '# not a case file');
    expect(loadCorpus(d).map((f) => [f.file, f.cases[0].id])).toEqual([
      ['01-a.json', 'a'],
      ['02-b.json', 'b'],
    ]);
  });

  it('rejects an id used twice across files', () => {
    const d = dir();
    writeFileSync(join(d, '01-a.json'), JSON.stringify(file(aCase({ id: 'same' }))));
    writeFileSync(join(d, '02-b.json'), JSON.stringify(file(aCase({ id: 'same' }))));
    expect(() => loadCorpus(d)).toThrow(/02-b\.json: case id 'same' is used more than once/);
  });

  it('loads the real corpus: every case well-formed, sourced and explained', () => {
    const corpus = loadCorpus(__dirname);
    const cases = corpus.flatMap((f) => f.cases);
    expect(cases.length).toBeGreaterThan(50);
    // both modes are exercised, and each mode-specific shape has its counterpart page
    expect(cases.some((c) => c.mode === 'withFlag')).toBe(true);
    expect(cases.some((c) => c.mode === 'withoutFlag')).toBe(true);
    for (const c of cases) expect(c.source.page).toMatch(/Microsoft Entra|SCIM/);
  });
});
