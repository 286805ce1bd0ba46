import { randomBytes, randomUUID } from 'node:crypto';
import { patchOps, ScimClient } from '../support/scim-client';
import { useSystem } from '../support/system';
import { adminRequest } from '../support/admin-client';

/**
 * Ids a product chooses are scoped to their tenant (real Kafka and Postgres): two tenants import the same SureCloud
 * export (its groupIds, the same users and externalIds), each tenant's userType directive names its own groups, and
 * no answer tells one tenant that another holds an id.
 */
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const ADMIN_TOKEN = randomBytes(32).toString('base64url');

/** SureCloud's export, as its guide shows it (groupId, name, description), with fresh ids for this run. */
const EXPORT = [
  { groupId: randomUUID(), name: 'Privacy | Breach Reporter', description: 'Can report suspected privacy breaches.' },
  { groupId: randomUUID(), name: 'Read Only', description: 'Read-only access.' },
  { groupId: randomUUID(), name: 'Risk | Manager', description: 'Oversees risk registers.' },
];
const [breach, readOnly, risk] = EXPORT.map((g) => g.groupId);
const USERS = ['ann', 'bob'].map((n) => ({
  userName: `${n}@contoso.example`,
  externalId: `ext-${n}`,
  emails: [{ type: 'work', value: `${n}@contoso.example`, primary: true }],
  name: { givenName: n, familyName: 'Contoso' },
}));

const entraUser = (userName: string, userType: string) => ({
  schemas: [USER],
  userName,
  externalId: `ext-${userName.split('@')[0]}`,
  active: true,
  emails: [{ primary: true, type: 'work', value: userName }],
  name: { givenName: 'Given', familyName: 'Family' },
  userType,
});

describe('ids chosen by a product or Entra are scoped to their tenant', () => {
  const system = useSystem({ env: { ADMIN_TOKEN, PROFILE_CACHE_TTL_MS: '0' } });
  type Tenant = { tenantId: string; scim: ScimClient };
  let a: Tenant;
  let b: Tenant;

  const admin = (method: string, path: string, body?: unknown) => adminRequest(system.baseUrl, ADMIN_TOKEN, method, path, body);

  /** A SureCloud tenant (userType is its group directive) that also lets Entra write groups, so group writes reach the lookup. */
  async function tenant(name: string): Promise<Tenant> {
    const created = await admin('POST', '/tenants', { name, profile: 'surecloud' });
    expect(created.status).toBe(201);
    expect((await admin('PUT', `/tenants/${created.body.tenantId}/profile`, { profile: 'surecloud', settings: { groupProvisioning: true } })).status).toBe(200);
    return { tenantId: created.body.tenantId, scim: new ScimClient(created.body.scimBaseUrl, created.body.token) };
  }

  const members = async (t: Tenant, groupId: string): Promise<string[]> => {
    const res = await t.scim.get(`/Groups/${groupId}`);
    expect(res.status).toBe(200);
    return (res.body.members ?? []).map((m: { value: string }) => m.value).sort();
  };
  /** Every membership row holding `groupId`, whatever the tenant: what the database holds, not what one tenant sees. */
  const rowsOfGroup = async (groupId: string) =>
    (await system.db.query(`SELECT tenant_id, user_id FROM scim_group_members WHERE group_id = $1 ORDER BY tenant_id, user_id`, [groupId])) as {
      tenant_id: string;
      user_id: string;
    }[];
  /** The 404 body with the id in it replaced, to compare the answers for two ids. */
  const shape = (body: Record<string, unknown>, id: string) => JSON.parse(JSON.stringify(body).split(id).join('<id>'));

  beforeAll(async () => {
    a = await tenant('e2e ids A');
    b = await tenant('e2e ids B');
  });

  it('imports the same export (group ids, users, externalIds) into both tenants', async () => {
    for (const t of [a, b]) {
      const groups = await admin('POST', `/tenants/${t.tenantId}/groups/import`, EXPORT);
      expect(groups.status).toBe(200);
      expect(groups.body).toMatchObject({ total: 3, imported: 3, existing: 0, failed: 0 });
      expect(groups.body.results.map((r: { id: string }) => r.id)).toEqual([breach, readOnly, risk]);
      const users = await admin('POST', `/tenants/${t.tenantId}/users/import`, { users: USERS });
      expect(users.status).toBe(200);
      expect(users.body).toMatchObject({ total: 2, imported: 2, existing: 0, failed: 0 });
    }
    const rows = await system.db.query(`SELECT tenant_id, id FROM scim_groups WHERE id = ANY($1::uuid[])`, [[breach, readOnly, risk]]);
    expect(rows).toHaveLength(6);
    // the same externalId in both tenants, each tenant's filter finding only its own user
    for (const t of [a, b]) {
      const found = await t.scim.get(`/Users?filter=${encodeURIComponent('externalId eq "ext-ann"')}`);
      expect(found.body.totalResults).toBe(1);
      expect(found.body.Resources[0].userName).toBe('ann@contoso.example');
      const own = await admin('GET', `/tenants/${t.tenantId}/users/${found.body.Resources[0].id}`);
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ origin: 'import', externalId: 'ext-ann' });
    }
  });

  it("a duplicate within one tenant still conflicts, naming only that tenant's resource", async () => {
    const again = await admin('POST', `/tenants/${a.tenantId}/groups/import`, [{ groupId: breach, name: 'Another name' }]);
    expect(again.body).toMatchObject({ total: 1, imported: 0, existing: 1 });
    expect(again.body.results[0]).toMatchObject({ result: 'existing', status: 409, error: `Group ${breach} already exists` });
    expect(JSON.stringify(again.body)).not.toContain(b.tenantId);
    const sameName = await admin('POST', `/tenants/${a.tenantId}/groups/import`, [{ groupId: randomUUID(), name: 'read only' }]);
    expect(sameName.body.results[0]).toMatchObject({ result: 'existing', status: 409, error: 'displayName is already taken by another group of this tenant' });
    const user = await admin('POST', `/tenants/${a.tenantId}/users/import`, { users: [USERS[0]] });
    expect(user.body).toMatchObject({ total: 1, imported: 0, existing: 1 });
    expect(JSON.stringify(user.body)).not.toContain(b.tenantId);

    const post = await a.scim.post('/Groups', { schemas: [GROUP], displayName: 'Read Only' });
    expect(post.status).toBe(409);
    expect(post.body).toMatchObject({ schemas: [ERROR], scimType: 'uniqueness' });
    expect(JSON.stringify(post.body)).not.toContain(b.tenantId);
  });

  it("each tenant's userType directive resolves the shared group ids to its own groups", async () => {
    const annA = await a.scim.post('/Users', entraUser('ann@contoso.example', `${breach},${readOnly}`));
    expect(annA.status).toBe(201);
    const annB = await b.scim.post('/Users', entraUser('ann@contoso.example', risk));
    expect(annB.status).toBe(201);
    expect(annA.body.id).not.toBe(annB.body.id);

    expect(await members(a, breach)).toEqual([annA.body.id]);
    expect(await members(a, readOnly)).toEqual([annA.body.id]);
    expect(await members(a, risk)).toEqual([]);
    expect(await members(b, breach)).toEqual([]);
    expect(await members(b, risk)).toEqual([annB.body.id]);
    expect(await rowsOfGroup(breach)).toEqual([{ tenant_id: a.tenantId, user_id: annA.body.id }]);

    const readA = await a.scim.get(`/Users/${annA.body.id}`);
    expect(readA.body.groups.map((g: { value: string }) => g.value).sort()).toEqual([breach, readOnly].sort());
    expect(readA.body.meta.location).toContain(a.tenantId);
    const readB = await b.scim.get(`/Users/${annB.body.id}`);
    expect(readB.body.groups.map((g: { value: string }) => g.value)).toEqual([risk]);

    // a directive of B moves B's user only
    expect((await b.scim.patch(`/Users/${annB.body.id}`, patchOps({ op: 'replace', path: 'userType', value: `${breach},${risk}` }))).status).toBe(200);
    expect(await rowsOfGroup(breach)).toEqual(
      [
        { tenant_id: a.tenantId, user_id: annA.body.id },
        { tenant_id: b.tenantId, user_id: annB.body.id },
      ].sort((x, y) => x.tenant_id.localeCompare(y.tenant_id)),
    );
    expect(await members(a, breach)).toEqual([annA.body.id]);
    expect(await members(b, breach)).toEqual([annB.body.id]);
  });

  it('the same user id in two tenants: each reads, changes and deletes its own', async () => {
    // Entra cannot choose a user id and the import does not take one; a restored product database can hold them
    const shared = randomUUID();
    for (const [t, userName] of [
      [a, 'shared.a@contoso.example'],
      [b, 'shared.b@contoso.example'],
    ] as const)
      await system.db.query(
        `INSERT INTO scim_users (id, tenant_id, user_name, external_id, active, document, version, created_at, updated_at, work_email)
         VALUES ($1, $2, $3, 'ext-shared', true, $4, 1, now(), now(), $3)`,
        [shared, t.tenantId, userName, { schemas: [USER], userName, externalId: 'ext-shared', active: true, emails: [{ type: 'work', value: userName }] }],
      );
    expect((await a.scim.get(`/Users/${shared}`)).body).toMatchObject({ id: shared, userName: 'shared.a@contoso.example' });
    expect((await b.scim.get(`/Users/${shared}`)).body).toMatchObject({ id: shared, userName: 'shared.b@contoso.example' });

    const patched = await a.scim.patch(`/Users/${shared}`, patchOps({ op: 'replace', path: 'userType', value: readOnly }));
    expect(patched.status).toBe(200);
    expect(patched.body.meta.version).not.toBe((await b.scim.get(`/Users/${shared}`)).body.meta.version);
    expect(await members(a, readOnly)).toContain(shared);
    expect(await members(b, readOnly)).not.toContain(shared);

    expect((await a.scim.delete(`/Users/${shared}`)).status).toBe(204);
    expect((await a.scim.get(`/Users/${shared}`)).status).toBe(404);
    expect((await b.scim.get(`/Users/${shared}`)).body).toMatchObject({ id: shared, userName: 'shared.b@contoso.example', active: true });
  });

  it('deleting a shared group in one tenant leaves the other intact', async () => {
    const before = await members(b, breach);
    expect(before).toHaveLength(1);
    expect((await a.scim.delete(`/Groups/${breach}`)).status).toBe(204);
    expect((await a.scim.get(`/Groups/${breach}`)).status).toBe(404);
    const kept = await b.scim.get(`/Groups/${breach}`);
    expect(kept.status).toBe(200);
    expect(kept.body).toMatchObject({ id: breach, displayName: 'Privacy | Breach Reporter' });
    expect(await members(b, breach)).toEqual(before);
    // and A may import it again
    const again = await admin('POST', `/tenants/${a.tenantId}/groups/import`, [EXPORT[0]]);
    expect(again.body).toMatchObject({ imported: 1 });
  });

  it('a write in one tenant of an id only another tenant holds answers 404 exactly like an id that exists nowhere', async () => {
    const onlyB = await b.scim.post('/Groups', { schemas: [GROUP], displayName: 'Only in B' });
    expect(onlyB.status).toBe(201);
    const bUser = (await b.scim.get(`/Users?filter=${encodeURIComponent('userName eq "bob@contoso.example"')}`)).body.Resources[0].id as string;
    const nowhere = randomUUID();

    const cases: [kind: string, id: string, write: (id: string) => Promise<{ status: number; body: Record<string, unknown> }>][] = [
      ['Groups', onlyB.body.id, (id) => a.scim.patch(`/Groups/${id}`, patchOps({ op: 'replace', path: 'displayName', value: 'x' }))],
      ['Groups', onlyB.body.id, (id) => a.scim.delete(`/Groups/${id}`)],
      ['Groups', onlyB.body.id, (id) => a.scim.get(`/Groups/${id}`)],
      ['Users', bUser, (id) => a.scim.patch(`/Users/${id}`, patchOps({ op: 'replace', path: 'active', value: false }))],
      ['Users', bUser, (id) => a.scim.delete(`/Users/${id}`)],
      ['Users', bUser, (id) => a.scim.get(`/Users/${id}`)],
    ];
    for (const [kind, id, write] of cases) {
      const elsewhere = await write(id);
      const absent = await write(nowhere);
      expect({ kind, status: elsewhere.status }).toEqual({ kind, status: 404 });
      expect(shape(elsewhere.body, id)).toEqual(shape(absent.body, nowhere));
      expect(JSON.stringify(elsewhere.body)).not.toContain(b.tenantId);
    }
    // and B's resources are untouched
    expect((await b.scim.get(`/Groups/${onlyB.body.id}`)).body.displayName).toBe('Only in B');
    expect((await b.scim.get(`/Users/${bUser}`)).body).toMatchObject({ id: bUser, userName: 'bob@contoso.example' });
    expect((await admin('GET', `/tenants/${b.tenantId}/users/${bUser}`)).body).toMatchObject({ version: 1, deletedAt: null });
  });
});
