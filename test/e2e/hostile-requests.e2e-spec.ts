import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { patchOps, ScimClient } from '../support/scim-client';
import { useSystem } from '../support/system';

/**
 * Hostile or oversized requests are refused at the ingress with a SCIM 4xx, before anything is published, and a
 * normal write still succeeds afterwards.
 */
const ADMIN_TOKEN = randomBytes(32).toString('base64url');
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

describe('hostile requests at the edge', () => {
  const system = useSystem({ env: { ADMIN_TOKEN } });
  let scim: ScimClient;
  let base: string;
  let tenantId: string;
  let token: string;
  let userId: string;

  beforeAll(async () => {
    ({ tenantId, token, scimBaseUrl: base } = await system.createTenant('hostile'));
    scim = new ScimClient(base, token);
    const created = await scim.post('/Users', { schemas: [USER], userName: 'target@contoso.example' });
    expect(created.status).toBe(201);
    userId = created.body.id;
  });

  const raw = async (method: string, path: string, body: string | Buffer | undefined, headers: Record<string, string>, auth = `Bearer ${token}`) => {
    const res = await fetch(`${path.startsWith('/admin') ? system.baseUrl : base}${path}`, { method, headers: { authorization: auth, ...headers }, body });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const scimJson = { 'content-type': 'application/scim+json' };
  const expectScimError = (r: { status: number; body: { schemas?: string[]; status?: string; scimType?: string } }, status: number, scimType?: string) => {
    expect([r.status, r.body?.schemas, r.body?.status]).toEqual([status, ['urn:ietf:params:scim:api:messages:2.0:Error'], String(status)]);
    if (scimType) expect(r.body.scimType).toBe(scimType);
  };

  it('JSON nested 10,000 deep (PATCH value, POST body, .search) is 400 invalidSyntax; a deeply nested filter is 400 invalidFilter', async () => {
    const patchBody = `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"title","value":${deep(10_000)}}]}`;
    expectScimError(await raw('PATCH', `/Users/${userId}`, patchBody, scimJson), 400, 'invalidSyntax');
    expectScimError(await raw('POST', '/Users', `{"schemas":["${USER}"],"userName":"d","x":${deep(10_000)}}`, scimJson), 400, 'invalidSyntax');
    expectScimError(await raw('POST', '/Users/.search', `{"schemas":["${SEARCH}"],"filter":${deep(10_000)}}`, scimJson), 400, 'invalidSyntax');
    expectScimError(
      await scim.post('/Users/.search', { schemas: [SEARCH], filter: '('.repeat(4_000) + 'userName pr' + ')'.repeat(4_000) }),
      400,
      'invalidFilter',
    );
  });

  it('NUL and lone surrogates in values, keys, query parameters and admin imports are 400 invalidValue naming the place', async () => {
    const r = await raw(
      'PATCH',
      `/Users/${userId}`,
      '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"title","value":"a\\ud800"}]}',
      scimJson,
    );
    expectScimError(r, 400, 'invalidValue');
    expect(r.body.detail).toMatch(/lone surrogate \(U\+D800\) at \/Operations\/0\/value/);
    expectScimError(await scim.post('/Groups', { schemas: [GROUP], displayName: 'a\u0000' }), 400, 'invalidValue');
    expectScimError(await scim.post('/Users', { schemas: [USER], userName: 'k', 'x\u0000': 1 }), 400, 'invalidValue');
    expectScimError(await scim.put(`/Users/${userId}`, { schemas: [USER], userName: '\udc00' }), 400, 'invalidValue');
    expectScimError(await scim.post('/Users/.search', { schemas: [SEARCH], filter: 'userName eq "\u0000"' }), 400, 'invalidValue');
    expectScimError(await scim.get(`/Users?filter=${encodeURIComponent('userName eq "\u0000"')}`), 400, 'invalidValue');
    expectScimError(await scim.get(`/Users?sortBy=%00`), 400, 'invalidValue');
    const adminAuth = `Bearer ${ADMIN_TOKEN}`;
    const json = await raw(
      'POST',
      `/admin/tenants/${tenantId}/users/import`,
      JSON.stringify([{ userName: '\u0000' }, { userName: 'imported-ok' }]),
      { 'content-type': 'application/json' },
      adminAuth,
    );
    expect(json.status).toBe(200);
    expect(json.body.results.map((x: { status: number }) => x.status)).toEqual([400, 201]);
    expect(json.body.results[0].error).toMatch(/NUL character \(U\+0000\) at \/userName/);
    const csv = await raw('POST', `/admin/tenants/${tenantId}/groups/import`, 'displayName\nbad\u0000\n', { 'content-type': 'text/csv' }, adminAuth);
    expect([csv.status, csv.body.results[0].status]).toEqual([200, 400]);
  });

  it('a document over MAX_RESOURCE_DOCUMENT_BYTES is 413 (POST, PUT, PATCH result, import row); a body of MAX_BODY_BYTES is never 503', async () => {
    const big = 'x'.repeat(300_000);
    expectScimError(await scim.post('/Users', { schemas: [USER], userName: 'big', title: big }), 413);
    expectScimError(await scim.put(`/Users/${userId}`, { schemas: [USER], userName: 'target@contoso.example', title: big }), 413);
    expectScimError(await scim.post('/Groups', { schemas: [GROUP], displayName: big }), 413);
    expectScimError(await scim.patch(`/Users/${userId}`, patchOps({ op: 'replace', path: 'title', value: big })), 413);
    const exact = JSON.stringify({ schemas: [USER], userName: 'exact', title: '' });
    const body = exact.replace('"title":""', `"title":"${'x'.repeat(1024 * 1024 - exact.length)}"`);
    expect(Buffer.byteLength(body)).toBe(1024 * 1024);
    expectScimError(await raw('POST', '/Users', body, scimJson), 413);
    const imp = await raw(
      'POST',
      `/admin/tenants/${tenantId}/users/import`,
      JSON.stringify([{ userName: 'big-import', title: big }]),
      { 'content-type': 'application/json' },
      `Bearer ${ADMIN_TOKEN}`,
    );
    expect(imp.body.results[0].status).toBe(413);
  });

  it('content encodings and content types the API does not take are 400/415', async () => {
    const body = JSON.stringify({ schemas: [USER], userName: 'enc@contoso.example' });
    expectScimError(await raw('POST', '/Users', body, { ...scimJson, 'content-encoding': 'gzip' }), 400);
    expectScimError(await raw('POST', '/Users', body, { ...scimJson, 'content-encoding': 'br' }), 415);
    expectScimError(await raw('POST', '/Users', body, { ...scimJson, 'content-encoding': 'x-unknown' }), 415);
    expectScimError(await raw('POST', '/Users', body, { 'content-type': 'text/plain' }), 415);
    expectScimError(await raw('POST', '/Users', body, {}), 415);
    const gz = await raw('POST', '/Users', gzipSync(body), { 'content-type': 'application/json; charset=utf-8', 'content-encoding': 'gzip' });
    expect(gz.status).toBe(201);
  });

  it('a form body with 1,500 fields is 413; wrongly typed .search members are 400', async () => {
    const form = Array.from({ length: 1500 }, (_, i) => `f${i}=1`).join('&');
    expectScimError(await raw('POST', '/Users', form, { 'content-type': 'application/x-www-form-urlencoded' }), 413);
    expectScimError(await scim.post('/Users/.search', { schemas: [SEARCH], filter: { constructor: 1 } }), 400, 'invalidValue');
    expectScimError(await scim.post('/Users/.search', { schemas: [SEARCH], attributes: [1] }), 400, 'invalidValue');
    expectScimError(await scim.post('/Users/.search', { schemas: [SEARCH], sortBy: {} }), 400, 'invalidValue');
    expectScimError(await scim.post('/Users/.search', { schemas: [SEARCH], startIndex: {} }), 400, 'invalidValue');
  });

  it('afterwards a normal write succeeds, as Entra sends it', async () => {
    const r = await scim.patch(`/Users/${userId}`, patchOps({ op: 'replace', path: 'title', value: 'Engineer' }));
    expect([r.status, r.body.title]).toEqual([200, 'Engineer']);
    const json = await raw('POST', '/Users', JSON.stringify({ schemas: [USER], userName: 'after@contoso.example' }), {
      'content-type': 'application/json; charset=utf-8',
    });
    expect(json.status).toBe(201);
  });
});
