import { randomBytes, randomUUID } from 'node:crypto';
import { groupMembers } from '../../libs/scim/src';
import { ScimClient } from '../support/scim-client';
import { useSystem } from '../support/system';
import { adminRequest } from '../support/admin-client';

/**
 * The admin API's read-only view of a tenant's groups (real Kafka and Postgres): groups Entra provisioned through SCIM
 * are listed in id order, filtered with SCIM filters, paged, and one group shows its members; nothing of another
 * tenant is visible.
 */
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const ADMIN_TOKEN = randomBytes(32).toString('base64url');

describe('admin groups list and detail', () => {
  const system = useSystem({ env: { ADMIN_TOKEN } });
  let tenantId: string;
  let scim: ScimClient;
  let otherTenantId: string;
  let otherGroup: string;
  const groups: Record<string, string> = {};
  const users: string[] = [];

  const admin = (path: string) => adminRequest(system.baseUrl, ADMIN_TOKEN, 'GET', path);
  const user = async (s: ScimClient, userName: string) => {
    const res = await s.post('/Users', {
      schemas: [USER],
      userName,
      active: true,
      name: { givenName: 'G', familyName: 'F' },
      emails: [{ type: 'work', value: userName, primary: true }],
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const group = async (s: ScimClient, displayName: string, externalId: string, members: string[] = []) => {
    const res = await s.post('/Groups', { schemas: [GROUP], displayName, externalId, members: groupMembers(members) });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  beforeAll(async () => {
    ({ tenantId, scim } = await system.createTenant('e2e admin groups'));
    for (const n of ['ann', 'bob', 'cid']) users.push(await user(scim, `${n}@contoso.example`));
    groups.sales = await group(scim, 'Sales EMEA', 'ext-sales', users);
    groups.salesUs = await group(scim, 'Sales US', 'ext-sales-us', [users[0]]);
    groups.ops = await group(scim, 'Ops', 'ext-ops');
    const o = await system.createTenant('e2e admin groups other');
    otherTenantId = o.tenantId;
    const otherScim = new ScimClient(o.scimBaseUrl, o.token);
    otherGroup = await group(otherScim, 'Sales Other', 'ext-sales', [await user(otherScim, 'zed@other.example')]);
  });

  it("lists the tenant's groups in id order with their member counts, and only them", async () => {
    const res = await admin(`/tenants/${tenantId}/groups`);
    expect(res.status).toBe(200);
    const ids = Object.values(groups).sort();
    expect(res.body.map((g: { id: string }) => g.id)).toEqual(ids);
    const sales = res.body.find((g: { id: string }) => g.id === groups.sales);
    expect(sales).toEqual({
      id: groups.sales,
      displayName: 'Sales EMEA',
      externalId: 'ext-sales',
      memberCount: 3,
      version: expect.any(Number),
      created: expect.any(String),
      lastModified: expect.any(String),
    });
    expect(res.body.find((g: { id: string }) => g.id === groups.ops).memberCount).toBe(0);
    expect(res.body.map((g: { id: string }) => g.id)).not.toContain(otherGroup);
  });

  it('filters with SCIM filters on displayName and externalId (case-insensitive like GET /Groups)', async () => {
    const names = async (filter: string) => {
      const res = await admin(`/tenants/${tenantId}/groups?filter=${encodeURIComponent(filter)}`);
      expect(res.status).toBe(200);
      return res.body.map((g: { displayName: string }) => g.displayName).sort();
    };
    expect(await names('displayName sw "sales"')).toEqual(['Sales EMEA', 'Sales US']);
    expect(await names('externalId eq "ext-ops"')).toEqual(['Ops']);
    expect(await names('displayName sw "Sales" and not (externalId eq "ext-sales")')).toEqual(['Sales US']);
    expect(await names(`members eq "${users[1]}"`)).toEqual(['Sales EMEA']);
    expect(await names('displayName eq "nobody"')).toEqual([]);
  });

  it('pages by id with after and limit', async () => {
    const ids = Object.values(groups).sort();
    const first = await admin(`/tenants/${tenantId}/groups?limit=2`);
    expect(first.body.map((g: { id: string }) => g.id)).toEqual(ids.slice(0, 2));
    const second = await admin(`/tenants/${tenantId}/groups?limit=2&after=${ids[1]}`);
    expect(second.body.map((g: { id: string }) => g.id)).toEqual(ids.slice(2));
    const filtered = await admin(`/tenants/${tenantId}/groups?limit=1&after=${ids[0]}&filter=${encodeURIComponent('displayName co "a"')}`);
    expect(filtered.status).toBe(200);
    expect(filtered.body.length).toBe(1);
    expect(filtered.body[0].id > ids[0]).toBe(true);
  });

  it("shows one group with its members' ids and userNames in id order, and the member count", async () => {
    const res = await admin(`/tenants/${tenantId}/groups/${groups.sales}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: groups.sales, displayName: 'Sales EMEA', externalId: 'ext-sales', memberCount: 3 });
    const expected = users.map((id, i) => ({ id, userName: `${['ann', 'bob', 'cid'][i]}@contoso.example` })).sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(res.body.members).toEqual(expected);
    const empty = await admin(`/tenants/${tenantId}/groups/${groups.ops}`);
    expect(empty.body).toMatchObject({ memberCount: 0, members: [] });
  });

  it("answers 404 for another tenant's group, an unknown id, a malformed id and an unknown tenant", async () => {
    for (const path of [
      `/tenants/${tenantId}/groups/${otherGroup}`,
      `/tenants/${tenantId}/groups/${randomUUID()}`,
      `/tenants/${tenantId}/groups/not-a-uuid`,
      `/tenants/${randomUUID()}/groups`,
    ]) {
      const res = await admin(path);
      expect(res.status).toBe(404);
      expect(res.body.schemas).toEqual([ERROR]);
    }
    expect((await admin(`/tenants/${otherTenantId}/groups/${otherGroup}`)).status).toBe(200);
  });

  it('answers 400 with a SCIM error for a bad filter, an unknown attribute, a bad after and a bad limit', async () => {
    for (const q of [`filter=${encodeURIComponent('displayName eq')}`, `filter=${encodeURIComponent('nosuch eq "x"')}`, 'after=xyz', 'limit=0', 'limit=5000']) {
      const res = await admin(`/tenants/${tenantId}/groups?${q}`);
      expect(res.status).toBe(400);
      expect(res.body.schemas).toEqual([ERROR]);
    }
    const bad = await admin(`/tenants/${tenantId}/groups?filter=${encodeURIComponent('displayName eq')}`);
    expect(bad.body.scimType).toBe('invalidFilter');
  });

  it('describes both routes in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${system.baseUrl}/admin/docs-json`)).json()) as {
      paths: Record<string, Record<string, { parameters?: { name: string }[] }>>;
    };
    const list = doc.paths['/admin/tenants/{tenantId}/groups']?.get;
    expect(list?.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['tenantId', 'filter', 'after', 'limit']));
    expect(doc.paths['/admin/tenants/{tenantId}/groups/{groupId}']?.get).toBeDefined();
  });
});
