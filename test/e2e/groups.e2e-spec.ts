import { Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { COMMAND_SCHEMA_VERSION, resourceKey, topicName } from '../../libs/contracts/src';
import { groupMembers } from '../../libs/scim/src';
import { entraUser, ScimClient, patchOps } from '../support/scim-client';
import { useSystem } from '../support/system';
import { useReceiver } from '../support/webhook-receiver';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ADSCIM_GROUP = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const q = (s: string) => encodeURIComponent(s);

/** Entra's create-group body, as in Microsoft's SCIM endpoint tutorial. */
const entraGroup = (displayName: string, externalId: string) => ({
  schemas: [GROUP, ADSCIM_GROUP],
  externalId,
  displayName,
  meta: { resourceType: 'Group' },
});

type Event = { id: string; type: string; sequence: number; subject: string; tenantid: string; data: any };

describe('Groups end to end (HTTP → Kafka → reconciler → Postgres → group/membership events → webhook)', () => {
  const system = useSystem();
  const receiver = useReceiver();
  let scim: ScimClient;
  let tenantId: string;

  beforeAll(async () => {
    ({ tenantId, scim } = await system.createTenant('e2e groups', [receiver.url]));
  });

  const events = (): Event[] => receiver.received.map((r) => r.body);
  const groupEvents = (groupId: string) => events().filter((e) => e.type.startsWith('dev.scimflow.group.') && e.data.groupId === groupId);
  const membershipEventsOf = (userId: string) => events().filter((e) => e.type.startsWith('dev.scimflow.membership.') && e.data.userId === userId);
  const userEventsOf = (userId: string) => events().filter((e) => e.type.startsWith('dev.scimflow.user.') && e.data.userId === userId);
  const memberRows = async (groupId: string): Promise<string[]> =>
    (await system.db.query(`SELECT user_id FROM scim_group_members WHERE group_id = $1 ORDER BY user_id`, [groupId])).map(
      (r: { user_id: string }) => r.user_id,
    );
  const createUser = async (userName: string, displayName?: string): Promise<string> => {
    const res = await scim.post('/Users', entraUser(userName, displayName ? { displayName } : {}));
    expect(res.status).toBe(201);
    return res.body.id;
  };
  const expectScimError = (res: { status: number; body: any }, status: number, scimType?: string) => {
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ schemas: [ERROR], status: String(status) });
    if (scimType) expect(res.body.scimType).toBe(scimType);
  };

  it("replays Microsoft's documented group request sequence, with rows and events", async () => {
    const ada = await createUser('ada@groups.example', 'Ada Lovelace');
    const grace = await createUser('grace@groups.example'); // no displayName
    const alan = await createUser('alan@groups.example', 'Alan Turing');
    const [u1, u2, u3] = [ada, grace, alan].sort(); // the order of member lists and diffs

    // Test Connection-style query: a filter that matches nothing is 200 with an empty list
    const probe = await scim.get(`/Groups?excludedAttributes=members&filter=${q(`displayName eq "${randomUUID()}"`)}`);
    expect(probe.status).toBe(200);
    expect(probe.headers.get('content-type')).toMatch(/application\/scim\+json/);
    expect(probe.body).toEqual({ schemas: [LIST], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });

    // Create Group
    const created = await scim.post('/Groups', entraGroup('displayName', '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159'));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toEqual({
      schemas: [GROUP],
      id,
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'displayName',
      meta: {
        resourceType: 'Group',
        created: expect.any(String),
        lastModified: expect.any(String),
        location: `${scim.baseUrl}/Groups/${id}`,
        version: 'W/"1"',
      },
    });
    expect(created.headers.get('location')).toBe(`${scim.baseUrl}/Groups/${id}`);
    expect(created.headers.get('etag')).toBe('W/"1"');
    expect(await system.db.query(`SELECT display_name, external_id, version, document FROM scim_groups WHERE id = $1`, [id])).toEqual([
      {
        display_name: 'displayName',
        external_id: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
        version: 1,
        document: { schemas: [GROUP], externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159', displayName: 'displayName' },
      },
    ]);

    // Get Group (Entra asks without members)
    const got = await scim.get(`/Groups/${id}?excludedAttributes=members`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);
    expect(got.headers.get('etag')).toBe('W/"1"');

    // Get Group by displayName (case-insensitive), and by externalId (case-exact)
    const byName = await scim.get(`/Groups?excludedAttributes=members&filter=${q('displayName eq "DISPLAYNAME"')}`);
    expect(byName.body).toEqual({ schemas: [LIST], totalResults: 1, startIndex: 1, itemsPerPage: 1, Resources: [created.body] });
    const byExternal = await scim.get(`/Groups?filter=${q('externalId eq "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159"')}`);
    expect(byExternal.body.Resources.map((g: { id: string }) => g.id)).toEqual([id]);
    expect((await scim.get(`/Groups?filter=${q('externalId eq "8AA1A0C0-C4C3-4BC0-B4A5-2EF676900159"')}`)).body.totalResults).toBe(0);

    // Update Group [non-member attributes]: the id never changes on rename
    const renamed = await scim.patch(
      `/Groups/${id}`,
      patchOps({ op: 'Replace', path: 'displayName', value: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName' }),
    );
    expect(renamed.status).toBe(204);
    expect(renamed.body).toBeUndefined();
    expect(renamed.headers.get('etag')).toBe('W/"2"');
    expect((await scim.get(`/Groups/${id}`)).body).toMatchObject({
      id,
      displayName: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName',
      meta: { version: 'W/"2"' },
    });

    // Update Group [add members], the tutorial's shape with "$ref": null
    const added = await scim.patch(
      `/Groups/${id}`,
      patchOps({ op: 'Add', path: 'members', value: [{ $ref: null, value: u1 }, { $ref: null, value: u2 }, { value: u3 }] }),
    );
    expect(added.status).toBe(204);
    expect(await memberRows(id)).toEqual([u1, u2, u3]);
    const withMembers = await scim.get(`/Groups/${id}`);
    expect(withMembers.body.members).toEqual(
      [u1, u2, u3].map((u) => ({ value: u, $ref: `${scim.baseUrl}/Users/${u}`, display: expect.any(String), type: 'User' })),
    );
    const displays = Object.fromEntries(withMembers.body.members.map((m: { value: string; display: string }) => [m.value, m.display]));
    expect([displays[ada], displays[grace], displays[alan]]).toEqual(['Ada Lovelace', 'grace@groups.example', 'Alan Turing']); // else userName
    expect(withMembers.body.meta.version).toBe('W/"3"');
    // the users' read-only groups attribute, on GET and in lists
    const member = await scim.get(`/Users/${u1}`);
    expect(member.body.groups).toEqual([
      { value: id, $ref: `${scim.baseUrl}/Groups/${id}`, display: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName', type: 'direct' },
    ]);
    expect(member.body.meta.version).toBe('W/"2"'); // a membership change is a change of the user
    expect((await scim.get(`/Users/${u1}?excludedAttributes=groups`)).body.groups).toBeUndefined();
    const listed = await scim.get(`/Users?filter=${q('userName co "@groups.example"')}`);
    expect(listed.body.Resources.every((u: { groups?: { value: string }[] }) => u.groups?.[0]?.value === id)).toBe(true);

    // Entra's membership check: id eq … and members eq …
    const isMember = await scim.get(`/Groups?excludedAttributes=members&filter=${q(`id eq "${id}" and members eq "${u2}"`)}`);
    expect(isMember.body.totalResults).toBe(1);
    const notMember = await scim.get(`/Groups?excludedAttributes=members&filter=${q(`id eq "${id}" and members eq "${randomUUID()}"`)}`);
    expect(notMember.body.totalResults).toBe(0);

    // Update Group [remove members], both shapes Entra sends
    expect((await scim.patch(`/Groups/${id}`, patchOps({ op: 'Remove', path: 'members', value: [{ $ref: null, value: u1 }] }))).status).toBe(204);
    expect(await memberRows(id)).toEqual([u2, u3]);
    expect((await scim.patch(`/Groups/${id}`, patchOps({ op: 'Remove', path: `members[value eq "${u2}"]` }))).status).toBe(204);
    expect(await memberRows(id)).toEqual([u3]);
    // removing a non-member is a no-op: 204, no new version, no event
    const noop = await scim.patch(`/Groups/${id}`, patchOps({ op: 'Remove', path: `members[value eq "${u1}"]` }));
    expect([noop.status, noop.headers.get('etag')]).toEqual([204, 'W/"5"']);

    // Replace displayName the way Entra does without a path (echoing the id)
    expect((await scim.patch(`/Groups/${id}`, patchOps({ op: 'Replace', value: { id, displayName: 'Renamed Group' } }))).status).toBe(204);
    const afterRename = await scim.get(`/Groups/${id}?excludedAttributes=members`);
    expect(afterRename.body).toMatchObject({ id, displayName: 'Renamed Group', meta: { version: 'W/"6"' } });
    expect(afterRename.body.members).toBeUndefined();
    expect((await scim.get(`/Groups/${id}`)).body.members.map((m: { value: string }) => m.value)).toEqual([u3]);
    expect((await scim.get(`/Groups/${id}?attributes=members.value`)).body).toEqual({ schemas: [GROUP], id, members: [{ value: u3 }] });

    // Delete Group: memberships go with it
    expect((await scim.delete(`/Groups/${id}`)).status).toBe(204);
    expect(await system.db.query(`SELECT 1 FROM scim_groups WHERE id = $1`, [id])).toEqual([]);
    expect(await memberRows(id)).toEqual([]);
    expectScimError(await scim.get(`/Groups/${id}`), 404);
    expect((await scim.get(`/Users/${u3}`)).body.groups).toBeUndefined();

    // group-changed: one event per change, per-group sequence, before/after and member ids
    await receiver.waitFor(() => groupEvents(id).length >= 7 && [u1, u2, u3].every((u) => membershipEventsOf(u).length >= 2));
    const ge = groupEvents(id);
    expect(ge.map((e) => [e.type, e.sequence])).toEqual([
      ['dev.scimflow.group.created.v1', 1],
      ['dev.scimflow.group.updated.v1', 2],
      ['dev.scimflow.group.updated.v1', 3],
      ['dev.scimflow.group.updated.v1', 4],
      ['dev.scimflow.group.updated.v1', 5],
      ['dev.scimflow.group.updated.v1', 6],
      ['dev.scimflow.group.deleted.v1', 7],
    ]);
    for (const e of ge) expect(e).toMatchObject({ tenantid: tenantId, subject: `tenants/${tenantId}/groups/${id}`, data: { part: { index: 1, count: 1 } } });
    expect(ge[1].data.changes).toEqual([{ attribute: 'displayName', before: 'displayName', after: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName' }]);
    expect(ge[2].data).toMatchObject({ changes: [], members: { added: [u1, u2, u3], removed: [] }, memberCounts: { added: 3, removed: 0 } });
    expect(ge[3].data.members).toEqual({ added: [], removed: [u1] });
    expect(ge[4].data.members).toEqual({ added: [], removed: [u2] });
    expect(ge[5].data.changes).toEqual([
      { attribute: 'displayName', before: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName', after: 'Renamed Group' },
    ]);
    expect(ge[6].data).toMatchObject({ members: { added: [], removed: [u3] }, displayName: 'Renamed Group' });
    expect(ge[6].data.group).toBeUndefined();

    // membership-changed: per user, keyed by the user, on the user's own sequence (user.created is 1)
    for (const [u, removedBy] of [
      [u1, 'remove'],
      [u2, 'remove'],
      [u3, 'delete'],
    ] as const) {
      const me = membershipEventsOf(u);
      expect(me.map((e) => [e.type, e.sequence])).toEqual([
        ['dev.scimflow.membership.added.v1', 2],
        ['dev.scimflow.membership.removed.v1', 3],
      ]);
      expect(me.map((e) => e.data)).toEqual([
        { userId: u, groupId: id, groupDisplayName: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName', commandId: expect.any(String) },
        {
          userId: u,
          groupId: id,
          groupDisplayName: removedBy === 'delete' ? 'Renamed Group' : '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName',
          commandId: expect.any(String),
        },
      ]);
      expect(me.every((e) => e.subject === `tenants/${tenantId}/users/${u}`)).toBe(true);
      // one gapless sequence per user across user-changed and membership-changed
      const all = [...userEventsOf(u), ...me].map((e) => e.sequence).sort((a, b) => a - b);
      expect(all).toEqual([1, 2, 3]);
      expect((await scim.get(`/Users/${u}`)).body.meta.version).toBe('W/"3"');
    }
    expect(new Set(events().map((e) => e.id)).size).toBe(events().length);
  });

  it('PUT replaces attributes and members, honours If-Match, keeps the id', async () => {
    const [a, b, c] = [await createUser('put-a@groups.example'), await createUser('put-b@groups.example'), await createUser('put-c@groups.example')];
    const created = await scim.post('/Groups', { schemas: [GROUP], displayName: 'Put Group', members: [{ value: a }, { value: b }] });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body.members.map((m: { value: string }) => m.value).sort()).toEqual([a, b].sort());
    expect(await memberRows(id)).toEqual([a, b].sort());

    const stale = await scim.put(`/Groups/${id}`, { schemas: [GROUP], displayName: 'x' }, { 'If-Match': 'W/"9"' });
    expectScimError(stale, 412);
    const replaced = await scim.put(
      `/Groups/${id}`,
      { schemas: [GROUP], displayName: 'Put Group 2', members: [{ value: c }, { value: b }] },
      { 'If-Match': 'W/"1"' },
    );
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id, displayName: 'Put Group 2', meta: { version: 'W/"2"' } });
    expect(replaced.body.members.map((m: { value: string }) => m.value).sort()).toEqual([b, c].sort());
    expect(await memberRows(id)).toEqual([b, c].sort());
    await receiver.waitFor(() => groupEvents(id).length >= 2);
    expect(groupEvents(id)[1].data.members).toEqual({ added: [c], removed: [a] });

    // PUT without members empties the group (RFC 7644 §3.5.1)
    const emptied = await scim.put(`/Groups/${id}`, { schemas: [GROUP], displayName: 'Put Group 2' });
    expect(emptied.status).toBe(200);
    expect(emptied.body.members).toBeUndefined();
    expect(await memberRows(id)).toEqual([]);
  });

  it('rejects what RFC 7644 says to reject, and nothing is applied', async () => {
    const u = await createUser('rules@groups.example');
    const g = (await scim.post('/Groups', { schemas: [GROUP], displayName: 'Rules' })).body.id;

    // displayName unique per tenant, case-insensitively
    expectScimError(await scim.post('/Groups', { schemas: [GROUP], displayName: 'RULES' }), 409, 'uniqueness');
    const other = (await scim.post('/Groups', { schemas: [GROUP], displayName: 'Rules 2' })).body.id;
    expectScimError(await scim.patch(`/Groups/${other}`, patchOps({ op: 'Replace', path: 'displayName', value: 'rules' })), 409, 'uniqueness');

    // unknown members: 400 invalidValue naming them; the known one is not added either
    const ghost = randomUUID();
    const unknown = await scim.patch(
      `/Groups/${g}`,
      patchOps({ op: 'Add', path: 'members', value: [{ value: u }, { value: ghost }, { value: 'not-a-uuid' }] }),
    );
    expectScimError(unknown, 400, 'invalidValue');
    expect(unknown.body.detail).toContain(ghost);
    expect(unknown.body.detail).toContain('not-a-uuid');
    expect(await memberRows(g)).toEqual([]);
    expectScimError(await scim.post('/Groups', { schemas: [GROUP], displayName: 'Ghosts', members: [{ value: ghost }] }), 400, 'invalidValue');
    expect(await system.db.query(`SELECT 1 FROM scim_groups WHERE tenant_id = $1 AND display_name = 'Ghosts'`, [tenantId])).toEqual([]);

    // shapes and paths
    expectScimError(await scim.post('/Groups', { schemas: [GROUP] }), 400, 'invalidValue');
    expectScimError(await scim.post('/Groups', { schemas: [GROUP], displayName: 'N', members: [{ value: u, type: 'Group' }] }), 400, 'invalidValue');
    expectScimError(await scim.patch(`/Groups/${g}`, patchOps({ op: 'Replace', path: 'members[value eq "x"].display', value: 'y' })), 400, 'invalidPath');
    expectScimError(await scim.patch(`/Groups/${g}`, patchOps({ op: 'Replace', value: { id: randomUUID(), displayName: 'y' } })), 400, 'mutability');
    expectScimError(await scim.patch(`/Groups/${g}`, patchOps({ op: 'Remove', path: 'displayName' })), 400, 'mutability');
    expectScimError(await scim.get(`/Groups?filter=${q('members.foo eq "x"')}`), 400, 'invalidFilter');
    expectScimError(await scim.patch(`/Groups/${randomUUID()}`, patchOps({ op: 'Add', path: 'members', value: [{ value: u }] })), 404);
    expectScimError(await scim.get('/Groups/not-a-uuid'), 404);
    expectScimError(await scim.patch(`/Groups/${g}`, patchOps({ op: 'Replace', path: 'displayName', value: 'z' }), { 'If-Match': 'W/"42"' }), 412);
    expect((await scim.get(`/Groups/${g}`)).body).toMatchObject({ displayName: 'Rules', meta: { version: 'W/"1"' } });
  });

  it('pages, sorts and searches group lists; discovery and root search know Groups', async () => {
    for (let i = 0; i < 4; i++) expect((await scim.post('/Groups', { schemas: [GROUP], displayName: `page-${i}`, externalId: `p${3 - i}` })).status).toBe(201);
    const page = await scim.get(`/Groups?filter=${q('displayName sw "page-"')}&startIndex=2&count=2&attributes=displayName`);
    expect(page.body).toMatchObject({ schemas: [LIST], totalResults: 4, startIndex: 2, itemsPerPage: 2 });
    expect(page.body.Resources.map((g: { displayName: string }) => g.displayName)).toEqual(['page-1', 'page-2']);
    expect(Object.keys(page.body.Resources[0]).sort()).toEqual(['displayName', 'id', 'schemas']);

    const sorted = await scim.get(`/Groups?filter=${q('displayName sw "page-"')}&sortBy=externalId&sortOrder=ascending&attributes=displayName`);
    expect(sorted.body.Resources.map((g: { displayName: string }) => g.displayName)).toEqual(['page-3', 'page-2', 'page-1', 'page-0']);

    const search = await scim.post('/Groups/.search', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
      filter: 'displayName sw "page-" and externalId eq "p0"',
      excludedAttributes: ['members'],
    });
    expect(search.status).toBe(200);
    expect(search.body.Resources.map((g: { displayName: string }) => g.displayName)).toEqual(['page-3']);

    // POST /.search at the tenant root spans Users and Groups; userName is not a Group attribute, displayName matches both
    const root = await scim.post('/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'displayName sw "page-"' });
    expect(root.status).toBe(200);
    expect(root.body.Resources.map((r: { meta: { resourceType: string } }) => r.meta.resourceType)).toEqual(['Group', 'Group', 'Group', 'Group']);

    const types = await scim.get('/ResourceTypes/Group');
    expect(types.status).toBe(200);
    expect(types.body).toMatchObject({ id: 'Group', name: 'Group', endpoint: '/Groups', schema: GROUP });
  });

  it('deleting a user drops their memberships, with membership events before user.deleted', async () => {
    const u = await createUser('leaver@groups.example');
    const stay = await createUser('stayer@groups.example');
    const g1 = (await scim.post('/Groups', { schemas: [GROUP], displayName: 'Leaver A', members: [{ value: u }, { value: stay }] })).body.id;
    const g2 = (await scim.post('/Groups', { schemas: [GROUP], displayName: 'Leaver B' })).body.id;
    expect((await scim.patch(`/Groups/${g2}`, patchOps({ op: 'Add', path: 'members', value: [{ value: u }] }))).status).toBe(204);
    const byId = (await scim.get(`/Users/${u}`)).body.groups;
    expect(byId.map((x: { display: string }) => x.display)).toEqual(['Leaver A', 'Leaver B']);
    // a list reads the groups with the users in one statement: the same attribute, in the same order
    const looked = await scim.get(`/Users?filter=${encodeURIComponent('userName eq "leaver@groups.example"')}`);
    expect(looked.body.Resources[0].groups).toEqual(byId);
    expect(
      (await scim.get(`/Users?filter=${encodeURIComponent('userName eq "leaver@groups.example"')}&attributes=userName`)).body.Resources[0].groups,
    ).toBeUndefined();

    expect((await scim.delete(`/Users/${u}`)).status).toBe(204);
    expect(await system.db.query(`SELECT group_id FROM scim_group_members WHERE user_id = $1`, [u])).toEqual([]);
    expect(await memberRows(g1)).toEqual([stay]);
    expect((await scim.get(`/Groups/${g1}`)).body.members.map((m: { value: string }) => m.value)).toEqual([stay]);

    await receiver.waitFor(() => userEventsOf(u).some((e) => e.type === 'dev.scimflow.user.deleted.v1') && membershipEventsOf(u).length >= 4);
    const removed = membershipEventsOf(u).filter((e) => e.type === 'dev.scimflow.membership.removed.v1');
    expect(removed.map((e) => e.data.groupId).sort()).toEqual([g1, g2].sort());
    const deleted = userEventsOf(u).find((e) => e.type === 'dev.scimflow.user.deleted.v1')!;
    // created 1, added to g1 2, added to g2 3, removed from both 4 and 5, deleted 6
    expect([...removed.map((e) => e.sequence).sort(), deleted.sequence]).toEqual([4, 5, 6]);
  });

  it('keeps memberships inside one tenant', async () => {
    const other = await system.createTenant('e2e groups other');
    const otherScim = new ScimClient(other.scimBaseUrl, other.token);
    const outsider = (await otherScim.post('/Users', entraUser('outsider@other.example'))).body.id;
    const insider = await createUser('insider@groups.example');
    const g = (await scim.post('/Groups', { schemas: [GROUP], displayName: 'Tenant A only' })).body.id;

    const res = await scim.patch(`/Groups/${g}`, patchOps({ op: 'Add', path: 'members', value: [{ value: outsider }] }));
    expectScimError(res, 400, 'invalidValue');
    expect(res.body.detail).toContain(outsider);
    expect(await memberRows(g)).toEqual([]);

    // tenant B sees neither the group nor the membership; A's filter does not match B's user
    expectScimError(await otherScim.get(`/Groups/${g}`), 404);
    expect((await otherScim.get('/Groups')).body.totalResults).toBe(0);
    expect((await scim.patch(`/Groups/${g}`, patchOps({ op: 'Add', path: 'members', value: [{ value: insider }] }))).status).toBe(204);
    expect((await scim.get(`/Groups?filter=${q(`members eq "${outsider}"`)}`)).body.totalResults).toBe(0);
    // B's group cannot take A's users either
    const gb = (await otherScim.post('/Groups', { schemas: [GROUP], displayName: 'Tenant B' })).body.id;
    expectScimError(await otherScim.patch(`/Groups/${gb}`, patchOps({ op: 'Add', path: 'members', value: [{ value: insider }] })), 400, 'invalidValue');
  });

  it('applies a group command delivered twice once', async () => {
    const u = await createUser('twice@groups.example');
    const g = (await scim.post('/Groups', { schemas: [GROUP], displayName: 'Twice' })).body.id;
    const producer: Producer = new Kafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'e2e-groups', logLevel: logLevel.NOTHING }).producer({
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    try {
      // as another producer (or an earlier ingress) writes it: the PATCH in Entra's spelling
      const command = {
        v: COMMAND_SCHEMA_VERSION,
        commandId: randomUUID(),
        tenantId,
        resourceType: 'Group',
        resourceId: g,
        action: 'patch',
        payload: patchOps({ op: 'Remove', path: 'members' }, { op: 'Add', path: 'members', value: [{ value: u }] }),
        issuedAt: new Date().toISOString(),
      };
      const message = { key: resourceKey(tenantId, g), value: JSON.stringify(command) };
      await producer.send({ topic: topicName('commands', process.env.KAFKA_TOPIC_PREFIX), messages: [message, message] });
      const deadline = Date.now() + 30_000;
      while ((await system.db.query(`SELECT 1 FROM processed_commands WHERE command_id = $1`, [command.commandId])).length === 0) {
        if (Date.now() > deadline) throw new Error('command not applied');
        await new Promise((r) => setTimeout(r, 50));
      }
      await receiver.waitFor(() => groupEvents(g).length >= 2);
      await new Promise((r) => setTimeout(r, 500)); // time for a wrongly applied second copy to show
      expect(await memberRows(g)).toEqual([u]);
      expect(groupEvents(g).map((e) => e.sequence)).toEqual([1, 2]);
      expect(membershipEventsOf(u).map((e) => e.type)).toEqual(['dev.scimflow.membership.added.v1']);
    } finally {
      await producer.disconnect();
    }
  });

  describe('a 5,000-member group', () => {
    const SIZE = 5000;
    const BATCH = 100;
    let groupId: string;
    let userIds: string[];

    beforeAll(async () => {
      // Fixture: users inserted directly (5,000 SCIM POSTs would test Users, not Groups); the members go through PATCH.
      const result: { id: string }[] = await system.db.query(
        `INSERT INTO scim_users (id, tenant_id, user_name, external_id, active, document, version, created_at, updated_at)
         SELECT gen_random_uuid(), $1, 'bulk' || i || '@scale.example', NULL, true,
                jsonb_build_object('schemas', jsonb_build_array($2::text), 'userName', 'bulk' || i || '@scale.example', 'displayName', 'Bulk ' || i),
                1, now(), now()
           FROM generate_series(1, $3::int) AS i RETURNING id`,
        [tenantId, USER, SIZE],
      );
      userIds = result.map((r) => r.id).sort();
    });

    it('is built by 50 PATCHes of 100 members, filtered with id and members, read whole and without members', async () => {
      groupId = (await scim.post('/Groups', entraGroup('Everyone', 'everyone'))).body.id;
      for (let i = 0; i < SIZE; i += BATCH) {
        const res = await scim.patch(`/Groups/${groupId}`, patchOps({ op: 'Add', path: 'members', value: groupMembers(userIds.slice(i, i + BATCH)) }));
        expect(res.status).toBe(204);
      }
      expect((await system.db.query(`SELECT count(*)::int AS n FROM scim_group_members WHERE group_id = $1`, [groupId]))[0].n).toBe(SIZE);

      for (const probe of [userIds[0], userIds[2500], userIds[SIZE - 1]]) {
        const hit = await scim.get(`/Groups?excludedAttributes=members&filter=${q(`id eq "${groupId}" and members eq "${probe}"`)}`);
        expect(hit.body).toMatchObject({ totalResults: 1, Resources: [{ id: groupId, displayName: 'Everyone' }] });
        expect(hit.body.Resources[0].members).toBeUndefined();
      }
      const miss = await scim.get(`/Groups?excludedAttributes=members&filter=${q(`id eq "${groupId}" and members eq "${randomUUID()}"`)}`);
      expect(miss.body.totalResults).toBe(0);

      const whole = await scim.get(`/Groups/${groupId}`);
      expect(whole.status).toBe(200);
      expect(whole.body.members).toHaveLength(SIZE);
      expect(whole.body.members.map((m: { value: string }) => m.value)).toEqual(userIds);
      expect(whole.body.members[0]).toEqual({
        value: userIds[0],
        $ref: `${scim.baseUrl}/Users/${userIds[0]}`,
        display: expect.stringMatching(/^Bulk \d+$/),
        type: 'User',
      });
      expect(whole.body.meta.version).toBe(`W/"${1 + SIZE / BATCH}"`);

      await receiver.waitFor(() => groupEvents(groupId).length >= 1 + SIZE / BATCH, 60_000);
      expect(groupEvents(groupId).map((e) => e.sequence)).toEqual(Array.from({ length: 1 + SIZE / BATCH }, (_, i) => i + 1));
      expect(
        groupEvents(groupId)
          .slice(1)
          .every((e) => e.data.members.added.length === BATCH),
      ).toBe(true);
    });

    it('answers excludedAttributes=members without touching the membership table', async () => {
      const locker = system.db.createQueryRunner();
      await locker.connect();
      await locker.startTransaction();
      try {
        await locker.query('LOCK TABLE scim_group_members IN ACCESS EXCLUSIVE MODE');
        const quick = await scim.get(`/Groups/${groupId}?excludedAttributes=members`);
        expect(quick.status).toBe(200);
        expect(quick.body.members).toBeUndefined();
        // a read that needs members waits for the lock: proof that the one above did not read the table
        let settled = false;
        const full = scim.get(`/Groups/${groupId}?attributes=members.value`).then((r) => ((settled = true), r));
        await new Promise((r) => setTimeout(r, 500));
        expect(settled).toBe(false);
        await locker.commitTransaction();
        expect((await full).body.members).toHaveLength(SIZE);
      } finally {
        if (locker.isTransactionActive) await locker.rollbackTransaction();
        await locker.release();
      }
    });

    it('removes all 5,000 in one PATCH: chunked group events, one membership event per user', async () => {
      const res = await scim.patch(`/Groups/${groupId}`, patchOps({ op: 'Remove', path: 'members' }));
      expect(res.status).toBe(204);
      expect((await system.db.query(`SELECT count(*)::int AS n FROM scim_group_members WHERE group_id = $1`, [groupId]))[0].n).toBe(0);
      const before = 1 + SIZE / BATCH;
      await receiver.waitFor(() => groupEvents(groupId).length >= before + SIZE / 1000, 60_000);
      const parts = groupEvents(groupId).slice(before);
      expect(parts.map((e) => [e.sequence, e.data.part.index, e.data.part.count, e.data.members.removed.length])).toEqual(
        Array.from({ length: SIZE / 1000 }, (_, i) => [before + i + 1, i + 1, SIZE / 1000, 1000]),
      );
      expect(parts.flatMap((e) => e.data.members.removed)).toEqual(userIds);
      // every user got its added and removed events, on its own sequence (the fixture users started at version 1)
      const wanted = new Set(userIds);
      await receiver.waitFor(
        () => events().filter((e) => e.type.startsWith('dev.scimflow.membership.') && wanted.has(e.data.userId)).length >= 2 * SIZE,
        120_000,
      );
      for (const u of [userIds[0], userIds[1234], userIds[SIZE - 1]]) {
        expect(membershipEventsOf(u).map((e) => [e.type, e.sequence])).toEqual([
          ['dev.scimflow.membership.added.v1', 2],
          ['dev.scimflow.membership.removed.v1', 3],
        ]);
      }
      expect(
        (await system.db.query(`SELECT DISTINCT version FROM scim_users WHERE id = ANY($1::uuid[])`, [userIds])).map((r: { version: number }) => r.version),
      ).toEqual([3]);
    });
  });
});
