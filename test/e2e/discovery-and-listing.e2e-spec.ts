import { ScimClient, patchOps } from '../support/scim-client';
import { useSystem } from '../support/system';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

type Resource = Record<string, any>;
const q = (params: Record<string, string>) => `?${new URLSearchParams(params).toString()}`;

describe('Discovery (RFC 7644 §4) and listing: sort, projection, .search', () => {
  const system = useSystem();
  let scim: ScimClient;
  let other: ScimClient;
  let base: string;

  beforeAll(async () => {
    const tenant = await system.createTenant('e2e discovery');
    base = tenant.scimBaseUrl;
    scim = new ScimClient(tenant.scimBaseUrl, tenant.token);
    const second = await system.createTenant('e2e discovery other');
    other = new ScimClient(tenant.scimBaseUrl, second.token); // the other tenant's token against this tenant's URL
  });

  describe('discovery', () => {
    it('GET /ServiceProviderConfig advertises what is implemented', async () => {
      const res = await scim.get('/ServiceProviderConfig');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/application\/scim\+json/);
      expect(res.body).toEqual({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
        patch: { supported: true },
        bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
        filter: { supported: true, maxResults: 200 },
        changePassword: { supported: false },
        sort: { supported: true },
        etag: { supported: true },
        authenticationSchemes: [
          {
            type: 'oauthbearertoken',
            name: 'OAuth Bearer Token',
            description: expect.any(String),
            specUri: 'https://www.rfc-editor.org/info/rfc6750',
            primary: true,
          },
        ],
        meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
      });
    });

    it('GET /ResourceTypes is a ListResponse with User and its enterprise extension', async () => {
      const res = await scim.get('/ResourceTypes');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ schemas: [LIST], startIndex: 1 });
      expect(res.body.totalResults).toBe(res.body.Resources.length);
      expect(res.body.itemsPerPage).toBe(res.body.Resources.length);
      const user = res.body.Resources.find((r: Resource) => r.id === 'User');
      expect(user).toEqual({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
        id: 'User',
        name: 'User',
        endpoint: '/Users',
        description: 'User Account',
        schema: USER,
        schemaExtensions: [{ schema: ENTERPRISE, required: false }],
        meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` },
      });
      expect(res.body.Resources[0].id).toBe('User');
      // only types this ingress serves: User, and Group once the Groups endpoint registers itself
      for (const r of res.body.Resources) expect(['User', 'Group']).toContain(r.id);

      const one = await scim.get('/ResourceTypes/User');
      expect(one.status).toBe(200);
      expect(one.body).toEqual(user);
      expect((await scim.get('/ResourceTypes/user')).body).toEqual(user);
    });

    it('GET /Schemas lists the schemas of the resource types, generated from their definitions', async () => {
      const res = await scim.get('/Schemas');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ schemas: [LIST], startIndex: 1, totalResults: res.body.Resources.length });
      const ids = res.body.Resources.map((s: Resource) => s.id);
      expect(ids.slice(0, 2)).toEqual([USER, ENTERPRISE]);
      const user = res.body.Resources[0];
      expect(user).toMatchObject({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
        id: USER,
        name: 'User',
        description: 'User Account',
        meta: { resourceType: 'Schema', location: `${base}/Schemas/${USER}` },
      });
      expect(user.attributes.find((a: Resource) => a.name === 'userName')).toEqual({
        name: 'userName',
        type: 'string',
        multiValued: false,
        description: '',
        required: true,
        caseExact: false,
        mutability: 'readWrite',
        returned: 'default',
        uniqueness: 'server',
      });
      expect(user.attributes.find((a: Resource) => a.name === 'emails').subAttributes.map((s: Resource) => s.name)).toEqual([
        'value',
        'display',
        'type',
        'primary',
      ]);
      const enterprise = res.body.Resources[1];
      expect(enterprise.attributes.map((a: Resource) => a.name)).toEqual(['employeeNumber', 'costCenter', 'organization', 'division', 'department', 'manager']);

      const byId = await scim.get(`/Schemas/${USER}`);
      expect(byId.status).toBe(200);
      expect(byId.body).toEqual(user);
      expect((await scim.get(`/Schemas/${encodeURIComponent(ENTERPRISE)}`)).body).toEqual(enterprise);
    });

    it.each([
      ['/ResourceTypes/Device', /Resource type Device not found/],
      ['/Schemas/urn:ietf:params:scim:schemas:extension:2.0:Nope', /Schema urn:ietf:params:scim:schemas:extension:2.0:Nope not found/],
    ])('GET %s of an unknown id is a 404 SCIM error', async (path, detail) => {
      const res = await scim.get(path);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ schemas: [ERROR], status: '404', detail: expect.stringMatching(detail) });
    });

    it.each(['/ServiceProviderConfig', '/ResourceTypes', '/Schemas', '/Schemas/urn:ietf:params:scim:schemas:core:2.0:User'])(
      'GET %s with a filter is 403 (RFC 7644 §4), other query parameters are ignored',
      async (path) => {
        const filtered = await scim.get(`${path}${q({ filter: 'id eq "User"' })}`);
        expect(filtered.status).toBe(403);
        expect(filtered.body).toMatchObject({ schemas: [ERROR], status: '403' });
        const paged = await scim.get(`${path}${q({ startIndex: '5', count: '1', sortBy: 'nonsense' })}`);
        expect(paged.status).toBe(200);
        expect(paged.body).toEqual((await scim.get(path)).body);
      },
    );

    it("needs the tenant's own token, like every SCIM endpoint", async () => {
      for (const path of ['/ServiceProviderConfig', '/ResourceTypes', '/Schemas']) {
        const anonymous = await fetch(`${base}${path}`);
        expect(anonymous.status).toBe(401);
        expect((await other.get(path)).status).toBe(401);
      }
    });
  });

  describe('listing', () => {
    /** [userName, displayName, department, work email] — displayName missing on one, to see where missing values sort */
    const people: [string, string | undefined, string, string][] = [
      ['bob@contoso.example', 'Bob', 'Sales', 'zz-bob@contoso.example'],
      ['Alice@contoso.example', 'alice', 'Engineering', 'aa-alice@contoso.example'],
      ['carol@contoso.example', undefined, 'engineering', 'mm-carol@contoso.example'],
      ['Dave@contoso.example', 'Dave', 'Marketing', 'bb-dave@contoso.example'],
    ];
    const ids: Record<string, string> = {};
    const marker = 'sortTest';

    beforeAll(async () => {
      for (const [userName, displayName, department, email] of people) {
        const res = await scim.post('/Users', {
          schemas: [USER, ENTERPRISE],
          userName,
          ...(displayName ? { displayName } : {}),
          title: marker,
          emails: [
            { type: 'home', value: `home-${email}` },
            { type: 'work', value: email, primary: true },
          ],
          [ENTERPRISE]: { department },
        });
        expect(res.status).toBe(201);
        ids[userName] = res.body.id;
      }
    });

    const names = (body: Resource) => body.Resources.map((r: Resource) => r.userName);
    const sorted = async (sortBy: string, sortOrder?: string, extra: Record<string, string> = {}) => {
      const res = await scim.get(`/Users${q({ filter: `title eq "${marker}"`, sortBy, ...(sortOrder ? { sortOrder } : {}), ...extra })}`);
      expect(res.status).toBe(200);
      return res.body;
    };

    it('sorts by userName case-insensitively, both orders (ascending is the default)', async () => {
      const asc = ['Alice@contoso.example', 'bob@contoso.example', 'carol@contoso.example', 'Dave@contoso.example'];
      expect(names(await sorted('userName'))).toEqual(asc);
      expect(names(await sorted('userName', 'ascending'))).toEqual(asc);
      expect(names(await sorted('userName', 'descending'))).toEqual([...asc].reverse());
      expect(names(await sorted('USERNAME', 'Descending'))).toEqual([...asc].reverse());
    });

    it('puts users without the value last when ascending and first when descending', async () => {
      expect(names(await sorted('displayName'))).toEqual(['Alice@contoso.example', 'bob@contoso.example', 'Dave@contoso.example', 'carol@contoso.example']);
      expect(names(await sorted('displayName', 'descending'))).toEqual([
        'carol@contoso.example',
        'Dave@contoso.example',
        'bob@contoso.example',
        'Alice@contoso.example',
      ]);
    });

    it('sorts a multi-valued attribute by its primary value, an extension attribute, and the creation time', async () => {
      expect(names(await sorted('emails'))).toEqual(['Alice@contoso.example', 'Dave@contoso.example', 'carol@contoso.example', 'bob@contoso.example']);
      expect(names(await sorted('emails.value', 'descending'))).toEqual([
        'bob@contoso.example',
        'carol@contoso.example',
        'Dave@contoso.example',
        'Alice@contoso.example',
      ]);
      // Engineering = engineering (case-insensitive): ties keep creation order
      expect(names(await sorted(`${ENTERPRISE}:department`))).toEqual([
        'Alice@contoso.example',
        'carol@contoso.example',
        'Dave@contoso.example',
        'bob@contoso.example',
      ]);
      expect(names(await sorted('meta.created', 'descending'))).toEqual(people.map((p) => p[0]).reverse());
    });

    it('pages through a sorted list', async () => {
      const page1 = await sorted('userName', 'descending', { startIndex: '1', count: '2' });
      const page2 = await sorted('userName', 'descending', { startIndex: '3', count: '2' });
      expect(page1).toMatchObject({ totalResults: 4, startIndex: 1, itemsPerPage: 2 });
      expect(page2).toMatchObject({ totalResults: 4, startIndex: 3, itemsPerPage: 2 });
      expect([...names(page1), ...names(page2)]).toEqual(['Dave@contoso.example', 'carol@contoso.example', 'bob@contoso.example', 'Alice@contoso.example']);
    });

    it.each([
      ['an unknown attribute', { sortBy: 'shoeSize' }, /Invalid sortBy 'shoeSize'/],
      ['a complex attribute', { sortBy: 'name' }, /sort by one of its sub-attributes/],
      ['a filter', { sortBy: 'emails[type eq "work"].value' }, /cannot hold a filter/],
      ['an injection attempt', { sortBy: 'userName; DROP TABLE scim_users; --' }, /Invalid sortBy/],
      ['an unknown sortOrder', { sortBy: 'userName', sortOrder: 'upwards' }, /sortOrder must be/],
    ])('answers 400 invalidValue for sortBy with %s', async (_name, params, detail) => {
      const res = await scim.get(`/Users${q(params)}`);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ schemas: [ERROR], status: '400', scimType: 'invalidValue', detail: expect.stringMatching(detail) });
    });

    it('answers 400 invalidFilter for an invalid filter', async () => {
      const res = await scim.get(`/Users${q({ filter: 'userName eq' })}`);
      expect(res.status).toBe(400);
      expect(res.body.scimType).toBe('invalidFilter');
    });

    it('honours attributes and excludedAttributes on GET by id and on lists', async () => {
      const id = ids['bob@contoso.example'];
      const only = await scim.get(`/Users/${id}${q({ attributes: 'userName,emails.value' })}`);
      expect(only.status).toBe(200);
      expect(only.body).toEqual({
        schemas: [USER, ENTERPRISE],
        id,
        userName: 'bob@contoso.example',
        emails: [{ value: 'home-zz-bob@contoso.example' }, { value: 'zz-bob@contoso.example' }],
      });
      const without = await scim.get(`/Users/${id}${q({ excludedAttributes: `emails,meta,${ENTERPRISE}` })}`);
      expect(without.body).toEqual({ schemas: [USER, ENTERPRISE], id, userName: 'bob@contoso.example', displayName: 'Bob', title: marker });

      const list = await sorted('userName', undefined, { attributes: `${ENTERPRISE}:department` });
      expect(list.Resources).toEqual(
        ['Alice@contoso.example', 'bob@contoso.example', 'carol@contoso.example', 'Dave@contoso.example'].map((n, i) => ({
          schemas: [USER, ENTERPRISE],
          id: ids[n],
          [ENTERPRISE]: { department: ['Engineering', 'Sales', 'engineering', 'Marketing'][i] },
        })),
      );
    });

    it('honours attributes and excludedAttributes on POST, PUT and PATCH responses', async () => {
      const created = await scim.post(`/Users${q({ attributes: 'userName' })}`, {
        schemas: [USER],
        userName: 'proj@contoso.example',
        displayName: 'P',
        title: 't',
      });
      expect(created.status).toBe(201);
      const id = created.body.id;
      expect(created.body).toEqual({ schemas: [USER], id, userName: 'proj@contoso.example' });
      expect(created.headers.get('location')).toBe(`${base}/Users/${id}`);

      const replaced = await scim.request('PUT', `/Users/${id}${q({ excludedAttributes: 'meta,title' })}`, {
        schemas: [USER],
        userName: 'proj@contoso.example',
        displayName: 'Q',
        title: 't',
      });
      expect(replaced.status).toBe(200);
      expect(replaced.body).toEqual({ schemas: [USER], id, userName: 'proj@contoso.example', displayName: 'Q' });

      const patched = await scim.request(
        'PATCH',
        `/Users/${id}${q({ attributes: 'displayName,meta.version' })}`,
        patchOps({ op: 'replace', path: 'displayName', value: 'R' }),
      );
      expect(patched.status).toBe(200);
      expect(patched.body).toEqual({ schemas: [USER], id, displayName: 'R', meta: { version: 'W/"3"' } });
      // the projection only narrows the answer: the stored user is whole
      expect((await scim.get(`/Users/${id}`)).body).toMatchObject({ userName: 'proj@contoso.example', displayName: 'R', title: 't' });
    });

    it('POST /Users/.search answers like the GET query', async () => {
      const get = await sorted('userName', 'descending', { attributes: 'userName', count: '3' });
      const search = await scim.post('/Users/.search', {
        schemas: [SEARCH],
        filter: `title eq "${marker}"`,
        sortBy: 'userName',
        sortOrder: 'descending',
        attributes: ['userName'],
        count: 3,
      });
      expect(search.status).toBe(200);
      expect(search.body).toEqual(get);
      expect(search.body).toMatchObject({ schemas: [LIST], totalResults: 4, itemsPerPage: 3 });

      const paged = await scim.post('/Users/.search', {
        schemas: [SEARCH],
        filter: `title eq "${marker}"`,
        sortBy: 'userName',
        startIndex: 4,
        excludedAttributes: 'emails',
      });
      expect(paged.body.Resources.map((r: Resource) => r.userName)).toEqual(['Dave@contoso.example']);
      expect(paged.body.Resources[0].emails).toBeUndefined();
    });

    it.each([
      ['no schemas', 'invalidSyntax', { filter: 'userName pr' }],
      ['a wrong schema', 'invalidSyntax', { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'] }],
      ['an invalid filter', 'invalidFilter', { schemas: [SEARCH], filter: 'userName xx "a"' }],
      ['an invalid sortBy', 'invalidValue', { schemas: [SEARCH], sortBy: 'emails[' }],
      ['a non-integer count', 'invalidValue', { schemas: [SEARCH], count: 'many' }],
    ])('POST /Users/.search with %s is 400 %s', async (_name, scimType, body) => {
      const res = await scim.post('/Users/.search', body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ schemas: [ERROR], status: '400', scimType });
    });

    it('POST /.search at the tenant root searches across resource types', async () => {
      const all = await scim.post('/.search', {
        schemas: [SEARCH],
        filter: `title eq "${marker}"`,
        sortBy: 'userName',
        attributes: ['userName', 'displayName'],
      });
      expect(all.status).toBe(200);
      expect(all.body).toMatchObject({ schemas: [LIST], totalResults: 4, startIndex: 1, itemsPerPage: 4 });
      expect(all.body.Resources.map((r: Resource) => r.userName)).toEqual([
        'Alice@contoso.example',
        'bob@contoso.example',
        'carol@contoso.example',
        'Dave@contoso.example',
      ]);

      const page = await scim.post('/.search', { schemas: [SEARCH], filter: `title eq "${marker}"`, startIndex: 2, count: 2 });
      expect(page.body).toMatchObject({ totalResults: 4, startIndex: 2, itemsPerPage: 2 });
      expect(page.body.Resources.map((r: Resource) => r.meta.resourceType)).toEqual(['User', 'User']);

      // an attribute only some resource types have counts as unassigned elsewhere, not as an error
      const byName = await scim.post('/.search', { schemas: [SEARCH], filter: 'userName eq "alice@contoso.example"' });
      expect(byName.status).toBe(200);
      expect(byName.body.Resources.map((r: Resource) => r.id)).toEqual([ids['Alice@contoso.example']]);
    });

    describe('a sub-attribute after a value filter, as Entra matches users by work email', () => {
      const byWork = (email: string) => `emails[type eq "work"].value eq "${email}"`;
      const found = async (filter: string) => {
        const res = await scim.get(`/Users${q({ filter, attributes: 'userName' })}`);
        expect(res.status).toBe(200);
        return res.body.Resources.map((r: Resource) => r.id);
      };

      it('finds the user with that work email, case-insensitively', async () => {
        const res = await scim.get(`/Users${q({ filter: byWork('ZZ-Bob@Contoso.EXAMPLE') })}`);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ schemas: [LIST], totalResults: 1 });
        expect(res.body.Resources[0]).toMatchObject({ id: ids['bob@contoso.example'], userName: 'bob@contoso.example' });
      });

      it('does not take a home email for a work email', async () => {
        expect(await found(byWork('home-zz-bob@contoso.example'))).toEqual([]);
        expect(await found('emails[type eq "home"].value eq "home-zz-bob@contoso.example"')).toEqual([ids['bob@contoso.example']]);
        expect(await found('emails[type eq "home"].value eq "zz-bob@contoso.example"')).toEqual([]);
      });

      it('answers POST /Users/.search and the root /.search the same way', async () => {
        const get = await scim.get(`/Users${q({ filter: byWork('zz-bob@contoso.example') })}`);
        const search = await scim.post('/Users/.search', { schemas: [SEARCH], filter: byWork('zz-bob@contoso.example') });
        expect(search.status).toBe(200);
        expect(search.body).toEqual(get.body);
        const root = await scim.post('/.search', { schemas: [SEARCH], filter: byWork('ZZ-BOB@contoso.example') });
        expect(root.status).toBe(200);
        expect(root.body.Resources.map((r: Resource) => r.id)).toEqual([ids['bob@contoso.example']]);
        const miss = await scim.post('/Users/.search', { schemas: [SEARCH], filter: byWork('home-zz-bob@contoso.example') });
        expect(miss.body).toMatchObject({ totalResults: 0 });
      });

      it('supports pr, ne and not over the elements the brackets select', async () => {
        const everyone = people.map((p) => ids[p[0]]);
        const others = everyone.filter((id) => id !== ids['bob@contoso.example']);
        expect(await found(`title eq "${marker}" and emails[type eq "work"].value pr`)).toEqual(everyone);
        expect(await found(`title eq "${marker}" and emails[type eq "other"].value pr`)).toEqual([]);
        expect(await found(`title eq "${marker}" and emails[type eq "work"].value ne "zz-bob@contoso.example"`)).toEqual(others);
        expect(await found(`title eq "${marker}" and not (${byWork('ZZ-BOB@contoso.example')})`)).toEqual(others);
      });

      it('combines with userName and with other value paths', async () => {
        expect(await found(`${byWork('zz-bob@contoso.example')} and userName eq "BOB@contoso.example"`)).toEqual([ids['bob@contoso.example']]);
        expect(await found(`${byWork('zz-bob@contoso.example')} and userName eq "alice@contoso.example"`)).toEqual([]);
        expect(await found(`${byWork('zz-bob@contoso.example')} or ${byWork('aa-alice@contoso.example')}`)).toEqual([
          ids['bob@contoso.example'],
          ids['Alice@contoso.example'],
        ]);
        expect(await found(`${byWork('zz-bob@contoso.example')} and emails[type eq "home" and value sw "home-"]`)).toEqual([ids['bob@contoso.example']]);
      });

      it.each([
        ['a sub-attribute of a sub-attribute', 'emails[type eq "work"].value.x eq "y"', /must be one sub-attribute name.*\(at character 24\)/],
        ['a nested value filter', 'emails[type eq "work"].value[type pr] eq "y"', /cannot be nested.*\(at character 29\)/],
        ['an unknown sub-attribute', 'emails[type eq "work"].colour eq "red"', /'emails' has no sub-attribute 'colour'/],
        ['a simple attribute', 'title[value eq "x"].value eq "x"', /needs a complex attribute, and 'title' is not one/],
      ])('answers 400 invalidFilter for %s', async (_name, filter, detail) => {
        const res = await scim.get(`/Users${q({ filter })}`);
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ schemas: [ERROR], status: '400', scimType: 'invalidFilter', detail: expect.stringMatching(detail) });
      });
    });

    it('answers tooMany for a sorted root search paging deeper than it merges', async () => {
      const res = await scim.post('/.search', { schemas: [SEARCH], sortBy: 'userName', startIndex: 950, count: 100 });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ schemas: [ERROR], status: '400', scimType: 'tooMany' });
      const unsorted = await scim.post('/.search', { schemas: [SEARCH], startIndex: 950, count: 100 });
      expect(unsorted.status).toBe(200);
      expect(unsorted.body.Resources).toEqual([]);
    });
  });
});
