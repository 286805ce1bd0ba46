/**
 * The User requests of Microsoft's "Tutorial: Develop and plan provisioning for a SCIM endpoint in Microsoft Entra ID"
 * (user operations, in the tutorial's order and with its request bodies), replayed against the running system:
 * HTTP → Kafka → reconciler → Postgres, asserting status codes, bodies and stored rows.
 */
import { ScimClient } from '../support/scim-client';
import { useSystem } from '../support/system';
import { useReceiver } from '../support/webhook-receiver';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describe("Microsoft Entra's documented User request sequence", () => {
  const system = useSystem();
  const receiver = useReceiver();
  let scim: ScimClient;
  let id: string;
  let created: Record<string, unknown>;

  const row = async () => (await system.db.query(`SELECT user_name, external_id, active, document, version FROM scim_users WHERE id = $1`, [id]))[0];

  beforeAll(async () => {
    ({ scim } = await system.createTenant('e2e entra user sequence', [receiver.url]));
  });

  it('Create User: POST /Users answers 201 with the created user', async () => {
    const res = await scim.post('/Users', {
      schemas: [USER, ENTERPRISE],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
      active: true,
      emails: [{ primary: true, type: 'work', value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com' }],
      meta: { resourceType: 'User' },
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      roles: [],
    });
    expect(res.status).toBe(201);
    id = res.body.id;
    expect(res.body).toEqual({
      // the enterprise extension holds no data, so only the core schema is listed (as in the tutorial's response)
      schemas: [USER],
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
      active: true,
      emails: [{ primary: true, type: 'work', value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com' }],
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      meta: {
        resourceType: 'User',
        created: expect.stringMatching(ISO),
        lastModified: expect.stringMatching(ISO),
        location: `${scim.baseUrl}/Users/${id}`,
        version: 'W/"1"',
      },
    });
    expect(res.headers.get('location')).toBe(`${scim.baseUrl}/Users/${id}`);
    expect(res.headers.get('etag')).toBe('W/"1"');
    created = res.body;
    expect(await row()).toMatchObject({
      user_name: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
      external_id: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      active: true,
      version: 1,
    });
  });

  it('Get User: GET /Users/{id} answers 200 with the same user', async () => {
    const res = await scim.get(`/Users/${id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(created);
  });

  it('Get User by query: GET /Users?filter=userName eq "…" answers a ListResponse with the user', async () => {
    const res = await scim.get(`/Users?filter=${encodeURIComponent('userName eq "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1"')}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ schemas: [LIST], totalResults: 1, startIndex: 1, itemsPerPage: 1, Resources: [created] });
  });

  it('Get User by query - Zero results: answers 200 with an empty ListResponse', async () => {
    const res = await scim.get(`/Users?filter=${encodeURIComponent('userName eq "non-existent user"')}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ schemas: [LIST], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
  });

  it('Update User [Multi-valued properties]: PATCH replaces the work email and the family name', async () => {
    const res = await scim.patch(`/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
        { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ...created,
      emails: [{ primary: true, type: 'work', value: 'updatedEmail@microsoft.com' }],
      name: { formatted: 'givenName familyName', familyName: 'updatedFamilyName', givenName: 'givenName' },
      meta: { ...(created.meta as object), lastModified: expect.stringMatching(ISO), version: 'W/"2"' },
    });
    expect((await row()).document).toMatchObject({
      emails: [{ type: 'work', value: 'updatedEmail@microsoft.com' }],
      name: { familyName: 'updatedFamilyName' },
    });
  });

  it('Update User [Multi-valued properties]: a phone number is added and replaced by its type, as Entra sends it', async () => {
    const added = await scim.patch(`/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0100' }],
    });
    expect(added.status).toBe(200);
    expect(added.body.phoneNumbers).toEqual([{ type: 'mobile', value: '+1 555 0100' }]);
    const replaced = await scim.patch(`/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0199' }],
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.phoneNumbers).toEqual([{ type: 'mobile', value: '+1 555 0199' }]);
    expect(replaced.body.meta.version).toBe('W/"4"');
  });

  it('Update User [Single-valued properties]: PATCH replaces userName', async () => {
    const res = await scim.patch(`/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'userName', value: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com' }],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, userName: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com', meta: { version: 'W/"5"' } });
    expect(await row()).toMatchObject({ user_name: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com', version: 5 });
    // the user is found under its new name only
    const byNew = await scim.get(`/Users?filter=${encodeURIComponent('userName eq "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"')}`);
    expect(byNew.body.Resources.map((r: { id: string }) => r.id)).toEqual([id]);
    const byOld = await scim.get(`/Users?filter=${encodeURIComponent('userName eq "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1"')}`);
    expect(byOld.body.totalResults).toBe(0);
  });

  it('Disable User: PATCH replaces active with false', async () => {
    const res = await scim.patch(`/Users/${id}`, {
      Operations: [{ op: 'Replace', path: 'active', value: false }],
      schemas: [PATCH_OP],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, active: false, meta: { version: 'W/"6"' } });
    expect(await row()).toMatchObject({ active: false, version: 6 });
    const listed = await scim.get(`/Users?filter=${encodeURIComponent('userName eq "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"')}`);
    expect(listed.body.Resources[0].active).toBe(false);
  });

  it('Delete User: DELETE /Users/{id} answers 204 with no body, and the user is gone', async () => {
    const res = await scim.delete(`/Users/${id}`);
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    expect(await row()).toBeUndefined();
    const got = await scim.get(`/Users/${id}`);
    expect(got.status).toBe(404);
    expect(got.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404' });
  });

  it('sent the product one event per applied change, in order', async () => {
    await receiver.waitFor(() => receiver.eventsFor(id).length >= 7);
    const events = receiver.eventsFor(id);
    expect(events.map((e) => e.type)).toEqual([
      'dev.scimflow.user.created.v1',
      'dev.scimflow.user.updated.v1',
      'dev.scimflow.user.updated.v1',
      'dev.scimflow.user.updated.v1',
      'dev.scimflow.user.updated.v1',
      'dev.scimflow.user.deactivated.v1',
      'dev.scimflow.user.deleted.v1',
    ]);
    expect(events.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});
