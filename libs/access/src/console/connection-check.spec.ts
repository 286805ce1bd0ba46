import { connectionCheck, errorDetail } from './connection-check';

const base = { at: '2026-12-06T10:00:00.000Z', sourceIp: '203.0.113.9', method: 'GET', path: '/scim/v2/t/Users?filter=userName eq "x"' };
const error = (status: number, detail: string) => JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status), detail });

describe('connection check', () => {
  it('a 200 passed both gates', () => {
    expect(connectionCheck({ ...base, status: 200, responseBody: '{"totalResults":0}' }, ['203.0.113.0/24'])).toEqual({
      ...base,
      status: 200,
      passedAuth: true,
      passedAllowList: true,
      ok: true,
      detail: null,
    });
  });

  it('a 401 failed auth; its address is judged against the allow-list', () => {
    const body = error(401, 'Authentication required: a valid bearer token for this tenant');
    const inside = connectionCheck({ ...base, status: 401, responseBody: body }, ['203.0.113.0/24']);
    expect(inside).toMatchObject({
      passedAuth: false,
      passedAllowList: true,
      ok: false,
      detail: 'Authentication required: a valid bearer token for this tenant',
    });
    expect(connectionCheck({ ...base, status: 401, responseBody: body }, ['198.51.100.0/24']).passedAllowList).toBe(false);
    expect(connectionCheck({ ...base, status: 401, responseBody: body }, []).passedAllowList).toBe(true);
    expect(connectionCheck({ ...base, sourceIp: null, status: 401, responseBody: body }, ['198.51.100.0/24']).passedAllowList).toBe(false);
  });

  it("the allow-list's 403 failed the allow-list, another 403 did not", () => {
    expect(
      connectionCheck({ ...base, status: 403, responseBody: error(403, 'Requests from 203.0.113.9 are not allowed for this tenant') }, ['198.51.100.0/24']),
    ).toMatchObject({
      passedAuth: true,
      passedAllowList: false,
      ok: false,
    });
    expect(connectionCheck({ ...base, status: 403, responseBody: error(403, 'This tenant is disabled; ask the provider to enable it') }, [])).toMatchObject({
      passedAuth: true,
      passedAllowList: true,
      ok: false,
      detail: 'This tenant is disabled; ask the provider to enable it',
    });
  });

  it('reads the detail only from a SCIM error body', () => {
    expect(errorDetail(error(400, 'bad'))).toBe('bad');
    expect(errorDetail('{"detail": 5}')).toBeNull();
    expect(errorDetail('{"detai')).toBeNull();
    expect(errorDetail(null)).toBeNull();
  });
});
