import { ScimClient } from '../support/scim-client';
import { useSystem } from '../support/system';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const q = (params: Record<string, string>) => `?${new URLSearchParams(params).toString()}`;

/**
 * totalResults when the first page alone tells it (no count query: a short page is every match) and when it
 * must be counted (a full page, a later page, count=0): the same answers either way, on real Postgres.
 */
describe('list totals with and without the count query', () => {
  const system = useSystem();
  let scim: ScimClient;
  const marker = 'totalsTest';
  const names = ['t1@totals.example', 't2@totals.example', 't3@totals.example', 't4@totals.example', 't5@totals.example'];

  beforeAll(async () => {
    ({ scim } = await system.createTenant('e2e list totals'));
    for (const userName of names) expect((await scim.post('/Users', { schemas: [USER], userName, title: marker })).status).toBe(201);
    // other users of the tenant that the filter must not count
    expect((await scim.post('/Users', { schemas: [USER], userName: 'other@totals.example', title: 'other' })).status).toBe(201);
    expect((await scim.post('/Groups', { schemas: [GROUP], displayName: 'Totals A' })).status).toBe(201);
    expect((await scim.post('/Groups', { schemas: [GROUP], displayName: 'Totals B' })).status).toBe(201);
  });

  const list = async (params: Record<string, string>, resource = '/Users') => {
    const res = await scim.get(`${resource}${q(params)}`);
    expect(res.status).toBe(200);
    return {
      totalResults: res.body.totalResults,
      startIndex: res.body.startIndex,
      itemsPerPage: res.body.itemsPerPage,
      names: (res.body.Resources ?? []).map((r: { userName?: string; displayName?: string }) => r.userName ?? r.displayName),
    };
  };
  const filter = `title eq "${marker}"`;

  it.each([
    ['Entra lookup, one match (short page)', { filter: 'userName eq "T3@TOTALS.example"' }, 1, ['t3@totals.example']],
    ['Entra lookup, no match', { filter: 'userName eq "nobody@totals.example"' }, 0, []],
    ['short first page', { filter, count: '10' }, 5, names],
    ['first page filled exactly', { filter, count: '5' }, 5, names],
    ['full first page with more behind it', { filter, count: '2' }, 5, names.slice(0, 2)],
    ['count=0: the total only', { filter, count: '0' }, 5, []],
    ['count=0 without a match', { filter: 'userName eq "nobody@totals.example"', count: '0' }, 0, []],
    ['a later page', { filter, startIndex: '3', count: '2' }, 5, names.slice(2, 4)],
    ['a later, short page', { filter, startIndex: '4', count: '10' }, 5, names.slice(3)],
    ['startIndex past the end', { filter, startIndex: '9', count: '2' }, 5, []],
    ['no filter, short first page', {}, 6, [...names, 'other@totals.example']],
  ])('%s', async (_name, params: Record<string, string>, total, expected) => {
    const page = await list(params);
    expect(page.totalResults).toBe(total);
    expect(page.names).toEqual(expected);
    expect(page.itemsPerPage).toBe(expected.length);
  });

  it('groups too: short page, exact fit, full page', async () => {
    expect(await list({ filter: 'displayName sw "Totals"' }, '/Groups')).toMatchObject({ totalResults: 2, names: ['Totals A', 'Totals B'] });
    expect(await list({ filter: 'displayName sw "Totals"', count: '2' }, '/Groups')).toMatchObject({ totalResults: 2, names: ['Totals A', 'Totals B'] });
    expect(await list({ filter: 'displayName sw "Totals"', count: '1' }, '/Groups')).toMatchObject({ totalResults: 2, names: ['Totals A'] });
  });
});
