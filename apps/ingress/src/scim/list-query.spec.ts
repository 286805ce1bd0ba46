import { ScimError } from '@scimflow/scim';
import { ListQuery, listRequestOf, MAX_PAGE_SIZE, projectionOf, SEARCH_REQUEST_SCHEMA } from './list-query';

function scimError(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ScimError) return e;
    throw e;
  }
  throw new Error('expected a ScimError');
}

const search = (members: Record<string, unknown>) => ({ schemas: [SEARCH_REQUEST_SCHEMA], ...members });

describe('ListQuery.parse (GET query parameters)', () => {
  type Row = [string, Record<string, unknown>, Record<string, unknown>];
  const rows: Row[] = [
    ['defaults', {}, { startIndex: 1, count: 100 }],
    ['paging', { startIndex: '3', count: '10' }, { startIndex: 3, count: 10 }],
    ['startIndex below 1 is 1', { startIndex: '0' }, { startIndex: 1 }],
    ['negative count is 0', { count: '-5' }, { count: 0 }],
    ['count above the maximum is the maximum', { count: '100000' }, { count: MAX_PAGE_SIZE }],
    ['attributes split on commas', { attributes: 'userName, emails.value' }, { attributes: ['userName', 'emails.value'] }],
    ['sortBy and sortOrder', { sortBy: 'userName', sortOrder: 'descending' }, { sortBy: 'userName', sortOrder: 'descending' }],
  ];
  it.each(rows)('%s', (_name, query, expected) => {
    expect(ListQuery.parse(query)).toMatchObject(expected);
  });

  it.each([
    ['a non-integer count', { count: 'ten' }],
    ['a non-integer startIndex', { startIndex: '1.5' }],
    ['a repeated filter', { filter: ['a pr', 'b pr'] }],
    ['a repeated sortBy', { sortBy: ['userName', 'id'] }],
  ])('rejects %s with 400 invalidValue', (_name, query) => {
    expect(scimError(() => ListQuery.parse(query))).toMatchObject({ status: 400, scimType: 'invalidValue' });
  });
});

describe('ListQuery.fromSearchRequest (POST …/.search body, RFC 7644 §3.4.3)', () => {
  it('reads the SearchRequest of RFC 7644 §3.4.3 figure 6', () => {
    const q = ListQuery.fromSearchRequest(
      search({
        attributes: ['displayName', 'userName'],
        excludedAttributes: ['emails'],
        filter: 'displayName sw "smith"',
        startIndex: 1,
        count: 10,
        sortBy: 'userName',
        sortOrder: 'descending',
      }),
    );
    expect(q).toMatchObject({
      attributes: ['displayName', 'userName'],
      excludedAttributes: ['emails'],
      filter: 'displayName sw "smith"',
      startIndex: 1,
      count: 10,
      sortBy: 'userName',
      sortOrder: 'descending',
    });
  });

  type Row = [string, Record<string, unknown>, Record<string, unknown>];
  const rows: Row[] = [
    ['only schemas: the defaults', {}, { startIndex: 1, count: 100 }],
    ['member names are case-insensitive', { Filter: 'userName pr', STARTINDEX: 2, Count: 5 }, { filter: 'userName pr', startIndex: 2, count: 5 }],
    ['attributes as a comma-separated string', { attributes: 'userName,name.givenName' }, { attributes: ['userName', 'name.givenName'] }],
    ['numbers as strings', { startIndex: '4', count: '2' }, { startIndex: 4, count: 2 }],
    ['count above the maximum', { count: 5000 }, { count: MAX_PAGE_SIZE }],
    ['nulls are absent', { filter: null, sortBy: null }, { startIndex: 1 }],
    ['unknown members are ignored', { cursor: 'x', extra: true }, { startIndex: 1, count: 100 }],
  ];
  it.each(rows)('%s', (_name, members, expected) => {
    const q = ListQuery.fromSearchRequest(search(members));
    expect(q).toMatchObject(expected);
    expect(q).not.toHaveProperty('cursor');
  });

  it('finds the SearchRequest URN in schemas case-insensitively', () => {
    expect(ListQuery.fromSearchRequest({ schemas: [SEARCH_REQUEST_SCHEMA.toUpperCase()] }).count).toBe(100);
  });

  type Bad = [string, unknown, string, RegExp];
  const bad: Bad[] = [
    ['not an object', [], 'invalidSyntax', /must be a JSON object/],
    ['null', null, 'invalidSyntax', /must be a JSON object/],
    ['no schemas', { filter: 'userName pr' }, 'invalidSyntax', /'schemas' must contain/],
    ['another message schema', { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'] }, 'invalidSyntax', /'schemas' must contain/],
    ['schemas not an array', { schemas: SEARCH_REQUEST_SCHEMA }, 'invalidSyntax', /'schemas' must contain/],
    ['a member given twice', search({ filter: 'a pr', FILTER: 'b pr' }), 'invalidSyntax', /given more than once/],
    ['count as an object', search({ count: { n: 1 } }), 'invalidValue', /count must be an integer/],
    ['count a fraction', search({ count: 1.5 }), 'invalidValue', /count/],
    ['startIndex a word', search({ startIndex: 'first' }), 'invalidValue', /startIndex/],
    ['filter a number', search({ filter: 3 }), 'invalidValue', /filter/],
    ['attributes with a number', search({ attributes: ['userName', 1] }), 'invalidValue', /attributes/],
    ['sortBy an array', search({ sortBy: ['userName'] }), 'invalidValue', /sortBy/],
    ['filter an object with a prototype name', search({ filter: { constructor: 1 } }), 'invalidValue', /filter must be a string/],
    ['excludedAttributes an object', search({ excludedAttributes: { toString: 1 } }), 'invalidValue', /excludedAttributes must be a string or an array/],
    ['sortOrder an object', search({ sortOrder: {} }), 'invalidValue', /sortOrder must be a string/],
  ];
  it.each(bad)('rejects %s', (_name, body, scimType, detail) => {
    const e = scimError(() => ListQuery.fromSearchRequest(body));
    expect([e.status, e.scimType]).toEqual([400, scimType]);
    expect(e.detail).toMatch(detail);
  });
});

describe('listRequestOf', () => {
  it('parses the filter and the sort', () => {
    const request = listRequestOf(ListQuery.parse({ filter: 'userName eq "a"', sortBy: 'name.familyName', sortOrder: 'descending', attributes: 'userName' }));
    expect(request).toEqual({
      filter: { kind: 'compare', attribute: { attribute: 'userName' }, op: 'eq', value: 'a' },
      sort: { attribute: { attribute: 'name', subAttribute: 'familyName' }, order: 'descending' },
      startIndex: 1,
      count: 100,
      attributes: ['userName'],
      excludedAttributes: undefined,
    });
  });

  it('has no sort without sortBy', () => {
    expect(listRequestOf(ListQuery.parse({ sortOrder: 'descending' })).sort).toBeUndefined();
  });

  it.each([
    [{ filter: 'userName eq' }, 'invalidFilter'],
    [{ sortBy: 'a b' }, 'invalidValue'],
    [{ sortBy: 'userName', sortOrder: 'sideways' }, 'invalidValue'],
  ])('rejects %j with 400 %s', (query, scimType) => {
    expect(scimError(() => listRequestOf(ListQuery.parse(query)))).toMatchObject({ status: 400, scimType });
  });
});

describe('projectionOf (attributes / excludedAttributes of a write or a GET by id)', () => {
  it('is empty when neither is given, whatever else the query holds', () => {
    expect(projectionOf({})).toEqual({});
    expect(projectionOf({ filter: 'not checked here', count: 'x' })).toEqual({});
  });

  it('reads comma-separated lists', () => {
    expect(projectionOf({ attributes: 'userName, emails', excludedAttributes: undefined })).toEqual({
      attributes: ['userName', 'emails'],
      excludedAttributes: undefined,
    });
    expect(projectionOf({ excludedAttributes: 'groups' })).toEqual({ attributes: undefined, excludedAttributes: ['groups'] });
  });

  it('rejects a value that is not a list of strings with 400 invalidValue', () => {
    expect(scimError(() => projectionOf({ attributes: [1, 2] }))).toMatchObject({ status: 400, scimType: 'invalidValue' });
  });
});
