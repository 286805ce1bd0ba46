import { ScimClient, patchOps } from '../support/scim-client';
import { useSystem } from '../support/system';
import { useReceiver } from '../support/webhook-receiver';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** Entra's create-user body, as in Microsoft's SCIM endpoint tutorial. */
function entraUser(userName: string, externalId: string) {
  return {
    schemas: [USER, ENTERPRISE],
    externalId,
    userName,
    active: true,
    emails: [{ primary: true, type: 'work', value: userName }],
    meta: { resourceType: 'User' },
    name: { formatted: 'Ada Lovelace', familyName: 'Lovelace', givenName: 'Ada' },
    roles: [],
    [ENTERPRISE]: { employeeNumber: '1815', department: 'Analytical Engines' },
  };
}

describe('Users pipeline end to end (HTTP → Kafka → reconciler → Postgres → events → webhook)', () => {
  const system = useSystem();
  const receiver = useReceiver();
  let scim: ScimClient;
  let tenantId: string;

  beforeAll(async () => {
    ({ tenantId, scim } = await system.createTenant('e2e users', [receiver.url]));
  });

  const row = async (id: string) => (await system.db.query(`SELECT user_name, external_id, active, document, version FROM scim_users WHERE id = $1`, [id]))[0];

  it("answers Entra's Test Connection query with 200 and an empty list", async () => {
    const res = await scim.get(`/Users?filter=${encodeURIComponent('userName eq "d6e8c1d0-8a6f-4b4e-9a0a-1f1f0e6c2b7a"')}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/scim\+json/);
    expect(res.body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });
  });

  it('creates, reads, filters, patches (Entra shapes), disables and deletes a user, with events in order', async () => {
    // create
    const created = await scim.post('/Users', entraUser('Ada.Lovelace@contoso.example', 'ext-ada'));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({
      schemas: expect.arrayContaining([USER]),
      userName: 'Ada.Lovelace@contoso.example',
      externalId: 'ext-ada',
      active: true,
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      meta: { resourceType: 'User', version: 'W/"1"', location: `${scim.baseUrl}/Users/${id}` },
    });
    expect(created.headers.get('location')).toBe(`${scim.baseUrl}/Users/${id}`);
    expect(await row(id)).toMatchObject({ user_name: 'Ada.Lovelace@contoso.example', external_id: 'ext-ada', active: true, version: 1 });

    // get by id
    const got = await scim.get(`/Users/${id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);
    expect(got.headers.get('etag')).toBe('W/"1"');

    // filter: hit (case-insensitive userName) and by externalId
    const byName = await scim.get(`/Users?filter=${encodeURIComponent('userName eq "ada.lovelace@CONTOSO.example"')}`);
    expect(byName.status).toBe(200);
    expect(byName.body.totalResults).toBe(1);
    expect(byName.body.Resources[0].id).toBe(id);
    const byExternal = await scim.get(`/Users?filter=${encodeURIComponent('externalId eq "ext-ada"')}`);
    expect(byExternal.body.Resources.map((r: { id: string }) => r.id)).toEqual([id]);
    const caseExactExternal = await scim.get(`/Users?filter=${encodeURIComponent('externalId eq "EXT-ADA"')}`);
    expect(caseExactExternal.body.totalResults).toBe(0);

    // PATCH as Entra sends it: capitalised op, path replace, and a no-path replace with a dotted key
    const patched = await scim.patch(
      `/Users/${id}`,
      patchOps(
        { op: 'Replace', path: 'displayName', value: 'Ada, Countess of Lovelace' },
        { op: 'Replace', value: { 'name.givenName': 'Augusta Ada', title: 'Mathematician' } },
        { op: 'Add', path: 'emails[type eq "work"].value', value: 'ada@contoso.example' },
      ),
    );
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      displayName: 'Ada, Countess of Lovelace',
      title: 'Mathematician',
      name: { givenName: 'Augusta Ada', familyName: 'Lovelace' },
      emails: [expect.objectContaining({ type: 'work', value: 'ada@contoso.example' })],
      meta: { version: 'W/"2"' },
    });
    expect((await row(id)).document.displayName).toBe('Ada, Countess of Lovelace');

    // disable the way Entra does: "False" as a string
    const disabled = await scim.patch(`/Users/${id}`, patchOps({ op: 'Replace', path: 'active', value: 'False' }));
    expect(disabled.status).toBe(200);
    expect(disabled.body.active).toBe(false);
    expect(await row(id)).toMatchObject({ active: false, version: 3 });

    // delete
    const deleted = await scim.delete(`/Users/${id}`);
    expect(deleted.status).toBe(204);
    expect(await row(id)).toBeUndefined();
    expect((await scim.get(`/Users/${id}`)).status).toBe(404);

    // the webhook got the four events, in sequence, with the right content
    await receiver.waitFor(() => receiver.eventsFor(id).length >= 4);
    const events = receiver.eventsFor(id);
    expect(events.map((e) => e.type)).toEqual([
      'dev.scimflow.user.created.v1',
      'dev.scimflow.user.updated.v1',
      'dev.scimflow.user.deactivated.v1',
      'dev.scimflow.user.deleted.v1',
    ]);
    expect(events.map((e) => e.sequence)).toEqual([1, 2, 3, 4]);
    for (const e of events) {
      expect(e).toMatchObject({ specversion: '1.0', tenantid: tenantId, subject: `tenants/${tenantId}/users/${id}`, datacontenttype: 'application/json' });
    }
    expect(new Set(events.map((e) => e.id)).size).toBe(4);
    expect(events[1].data.changes).toEqual(
      expect.arrayContaining([
        { attribute: 'displayName', after: 'Ada, Countess of Lovelace' },
        { attribute: 'title', after: 'Mathematician' },
        expect.objectContaining({
          attribute: 'name',
          before: expect.objectContaining({ givenName: 'Ada' }),
          after: expect.objectContaining({ givenName: 'Augusta Ada' }),
        }),
      ]),
    );
    expect(events[2].data).toMatchObject({ active: false, changes: [{ attribute: 'active', before: true, after: false }] });
    expect(events[3].data.user).toBeUndefined();
    const webhookIds = receiver.received.filter((r) => r.body.data?.userId === id).map((r) => r.headers['webhook-id']);
    expect(webhookIds).toEqual(events.map((e) => e.id));
  });

  it('replaces a user with PUT and honours If-Match', async () => {
    const created = await scim.post('/Users', entraUser('grace@contoso.example', 'ext-grace'));
    const id = created.body.id;
    const stale = await scim.put(`/Users/${id}`, { ...entraUser('grace@contoso.example', 'ext-grace'), title: 'x' }, { 'If-Match': 'W/"7"' });
    expect(stale.status).toBe(412);
    const replaced = await scim.put(
      `/Users/${id}`,
      { schemas: [USER], userName: 'grace.hopper@contoso.example', externalId: 'ext-grace', active: true },
      { 'If-Match': 'W/"1"' },
    );
    expect(replaced.status).toBe(200);
    expect(replaced.body.userName).toBe('grace.hopper@contoso.example');
    expect(replaced.body.name).toBeUndefined(); // PUT replaces: attributes not sent are gone
    expect(replaced.body.meta.version).toBe('W/"2"');
  });

  it('rejects a duplicate userName (case-insensitive) with 409 uniqueness', async () => {
    expect((await scim.post('/Users', entraUser('unique@contoso.example', 'u1'))).status).toBe(201);
    const dup = await scim.post('/Users', entraUser('UNIQUE@contoso.example', 'u2'));
    expect(dup.status).toBe(409);
    expect(dup.body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '409',
      scimType: 'uniqueness',
      detail: expect.any(String),
    });
  });

  it('pages with startIndex and count', async () => {
    for (let i = 0; i < 5; i++) expect((await scim.post('/Users', entraUser(`page${i}@paging.example`, `p${i}`))).status).toBe(201);
    const filter = encodeURIComponent('userName co "@paging.example"');
    const page = await scim.get(`/Users?filter=${filter}&startIndex=2&count=2`);
    expect(page.body).toMatchObject({ totalResults: 5, startIndex: 2, itemsPerPage: 2 });
    expect(page.body.Resources.map((r: { userName: string }) => r.userName)).toEqual(['page1@paging.example', 'page2@paging.example']);
    const countOnly = await scim.get(`/Users?filter=${filter}&count=0`);
    expect(countOnly.body).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
  });

  describe('bad input gets a SCIM error, never a 500', () => {
    const expectScimError = (res: { status: number; body: any }, status: number, scimType?: string) => {
      expect(res.status).toBe(status);
      expect(res.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
      expect(res.body.status).toBe(String(status));
      if (scimType) expect(res.body.scimType).toBe(scimType);
      expect(typeof res.body.detail).toBe('string');
    };

    it("401 without or with a wrong token, and with another tenant's token", async () => {
      const anonymous = await fetch(`${scim.baseUrl}/Users`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expectScimError({ status: anonymous.status, body: await anonymous.json() }, 401);
      expectScimError(await new ScimClient(scim.baseUrl, 'scimflow_aaaaaaaaaaaa_' + 'b'.repeat(43)).get('/Users'), 401);
      const other = await system.createTenant('other');
      expectScimError(await new ScimClient(scim.baseUrl, other.token).get('/Users'), 401);
      // the other tenant's own URL works, and shows nothing of this tenant
      const isolated = await new ScimClient(other.scimBaseUrl, other.token).get(`/Users?filter=${encodeURIComponent('userName eq "unique@contoso.example"')}`);
      expect(isolated.status).toBe(200);
      expect(isolated.body.totalResults).toBe(0);
    });

    it('400 for malformed JSON, missing userName, a bad filter, a bad PATCH', async () => {
      expectScimError(await scim.request('POST', '/Users', '{"userName": '), 400, 'invalidSyntax');
      expectScimError(await scim.post('/Users', { schemas: [USER], active: true }), 400, 'invalidValue');
      expectScimError(await scim.get(`/Users?filter=${encodeURIComponent('userName eq')}`), 400, 'invalidFilter');
      expectScimError(await scim.get('/Users?count=abc'), 400, 'invalidValue');
      const u = await scim.post('/Users', entraUser('patchme@contoso.example', 'pm'));
      expectScimError(await scim.patch(`/Users/${u.body.id}`, { schemas: ['wrong'], Operations: [] }), 400);
      expectScimError(await scim.patch(`/Users/${u.body.id}`, patchOps({ op: 'Replace', path: 'id', value: 'x' })), 400, 'mutability');
    });

    it('404 for unknown users and routes', async () => {
      expectScimError(await scim.get('/Users/00000000-0000-4000-8000-000000000000'), 404);
      expectScimError(await scim.get('/Users/not-a-uuid'), 404);
      expectScimError(await scim.patch('/Users/00000000-0000-4000-8000-000000000000', patchOps({ op: 'replace', path: 'active', value: false })), 404);
      expectScimError(await scim.delete('/Users/00000000-0000-4000-8000-000000000000'), 404);
    });

    it('413 for an oversized body', async () => {
      const big = { schemas: [USER], userName: 'big@contoso.example', title: 'x'.repeat(2 * 1024 * 1024) };
      expectScimError(await scim.post('/Users', big), 413);
    });
  });

  it('answers /healthz on every app', async () => {
    for (const app of [system.ingress, system.reconciler, system.notifier]) {
      const res = await fetch(`${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/healthz`);
      expect(res.status).toBe(200);
    }
  });
});
