import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { entraUser, patchOps, ScimClient } from '../support/scim-client';
import { useSystem } from '../support/system';
import { useReceiver } from '../support/webhook-receiver';
import { ScimctlConfig, validateConfig } from '../../libs/config/src';
import { Verb } from '../../apps/scimctl/src/verb';
import { usersImportVerb, usersListVerb, usersLoginMethodVerb } from '../../apps/scimctl/src/verbs/users.verbs';
import { groupsImportVerb } from '../../apps/scimctl/src/verbs/groups.verbs';

/**
 * The product-side lifecycle of users on the whole system (real Kafka and Postgres): bulk import of the product's
 * existing users, Entra creates claiming them by userName then work email, login methods, soft delete and the
 * claim that brings a soft-deleted user back; admin API and scimctl; rows and events asserted.
 */
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const FOLDERS = 'urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName';
const METADATA = 'urn:ietf:params:scim:schemas:extension:2.0:Metadata';
const ADMIN_TOKEN = randomBytes(32).toString('base64url');

type Event = { id: string; type: string; sequence: number; data: any };

describe('user lifecycle: import, claim, login method, soft delete', () => {
  const system = useSystem({ env: { ADMIN_TOKEN, PROFILE_CACHE_TTL_MS: '0' } });
  const receiver = useReceiver();

  const admin = async (method: string, urlPath: string, body?: unknown, contentType = 'application/json') => {
    const res = await fetch(`${system.baseUrl}/admin${urlPath}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body !== undefined ? { 'content-type': contentType } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  async function tenant(profile: string, settings?: Record<string, unknown>) {
    const created = await admin('POST', '/tenants', { name: `e2e lifecycle ${profile}`, profile, webhooks: [receiver.url], ...(settings ? { settings } : {}) });
    expect(created.status).toBe(201);
    return { tenantId: created.body.tenantId as string, scim: new ScimClient(created.body.scimBaseUrl, created.body.token) };
  }

  const eventsOf = (userId: string): Event[] => receiver.eventsFor(userId);
  const row = async (id: string) => (await system.db.query(`SELECT * FROM scim_users WHERE id = $1`, [id]))[0];

  describe('workforce tenant created with settings: soft delete, folders and Metadata schemas registered', () => {
    let t: Awaited<ReturnType<typeof tenant>>;
    beforeAll(async () => {
      t = await tenant('workforce', { deleteMode: 'soft' });
    });

    it('stores the settings given at creation and registers the profile extension schemas', async () => {
      const profile = await admin('GET', `/tenants/${t.tenantId}/profile`);
      expect(profile.body).toMatchObject({ profile: 'workforce', settings: { deleteMode: 'soft' }, effective: { deleteMode: 'soft', uniqueWorkEmail: true } });
      const schemas = await t.scim.get('/Schemas');
      expect(schemas.body.Resources.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining([FOLDERS, METADATA]));
      const created = await t.scim.post(
        '/Users',
        entraUser('folders@contoso.example', {
          schemas: [USER, FOLDERS, METADATA],
          userType: 'Premium',
          [FOLDERS]: { folders: ['f1', 'f2'] },
          [METADATA]: { costCenter: 42 },
        }),
      );
      expect(created.status).toBe(201);
      expect(created.body[FOLDERS]).toEqual({ folders: ['f1', 'f2'] });
      expect(created.body[METADATA]).toEqual({ costCenter: '42' });
    });

    it('refuses invalid settings at creation with a 400 naming the field', async () => {
      const bad = await admin('POST', '/tenants', { name: 'bad', profile: 'workforce', settings: { deleteMode: 'archive' } });
      expect(bad.status).toBe(400);
      expect(bad.body.detail).toMatch(/deleteMode must be one of hard\|soft/);
    });

    it('bulk-imports CSV: unlinked users of origin import, visible to SCIM, announced as created; bad rows reported; re-run is safe', async () => {
      const csv =
        'userName,email,givenName,familyName,loginMethod\n' +
        'ann.legacy,ann@contoso.example,Ann,Archer,builtIn\n' +
        'bob.legacy,bob@contoso.example,Bob,Baker,\n' +
        'cid.legacy,cid@contoso.example,,Cole,\n' + // workforce requires a given name
        '"eve, legacy",eve@contoso.example,Eve,Evans,password\n';
      const imported = await admin('POST', `/tenants/${t.tenantId}/users/import`, csv, 'text/csv');
      expect(imported.status).toBe(200);
      expect(imported.body).toMatchObject({ total: 4, imported: 2, existing: 0, failed: 2 });
      const [ann, bob, cid, eve] = imported.body.results;
      expect([ann.result, bob.result, cid.result, eve.result]).toEqual(['imported', 'imported', 'failed', 'failed']);
      expect(cid).toMatchObject({ status: 400, error: expect.stringContaining('name.givenName') });
      expect(eve).toMatchObject({ status: 400, name: 'eve, legacy', error: expect.stringContaining('loginMethod') });

      expect(await row(ann.id)).toMatchObject({
        origin: 'import',
        linked: false,
        login_method: 'builtIn',
        work_email: 'ann@contoso.example',
        deleted_at: null,
      });
      expect((await row(bob.id)).login_method).toBe('sso');
      const found = await t.scim.get(`/Users?filter=${encodeURIComponent('userName eq "ann.legacy"')}`);
      expect(found.body.totalResults).toBe(1);
      expect(found.body.Resources[0]).toMatchObject({ id: ann.id, userType: 'Standard' });
      await receiver.waitFor(() => eventsOf(ann.id).length === 1);
      expect(eventsOf(ann.id)[0]).toMatchObject({
        type: 'dev.scimflow.user.created.v1',
        sequence: 1,
        data: { origin: 'import', linked: false, loginMethod: 'builtIn' },
      });

      const again = await admin('POST', `/tenants/${t.tenantId}/users/import`, {
        users: [{ userName: 'ann.legacy', emails: [{ type: 'work', value: 'ann@contoso.example' }], name: { givenName: 'A', familyName: 'A' } }],
      });
      expect(again.body).toMatchObject({ total: 1, imported: 0, existing: 1, failed: 0 });
    });

    it('an Entra POST claims the imported user by userName, else by work email: 201 with its id, linked, updated event', async () => {
      const [ann] = await system.db.query(`SELECT id FROM scim_users WHERE tenant_id = $1 AND user_name = 'ann.legacy'`, [t.tenantId]);
      const byName = await t.scim.post('/Users', entraUser('ann.legacy', { displayName: 'Ann Archer' }, 'ann@contoso.example'));
      expect(byName.status).toBe(201);
      expect(byName.body.id).toBe(ann.id);
      expect(byName.headers.get('location')).toMatch(new RegExp(`/Users/${ann.id}$`));
      expect(await row(ann.id)).toMatchObject({ linked: true, origin: 'import', login_method: 'builtIn', version: 2 });
      await receiver.waitFor(() => eventsOf(ann.id).length === 2);
      expect(eventsOf(ann.id)[1]).toMatchObject({ type: 'dev.scimflow.user.updated.v1', sequence: 2, data: { matchedBy: 'userName', linked: true } });

      const [bob] = await system.db.query(`SELECT id FROM scim_users WHERE tenant_id = $1 AND user_name = 'bob.legacy'`, [t.tenantId]);
      const byEmail = await t.scim.post('/Users', entraUser('bob@contoso.example', {}, 'BOB@contoso.example'));
      expect(byEmail.status).toBe(201);
      expect(byEmail.body).toMatchObject({ id: bob.id, userName: 'bob@contoso.example' });
      await receiver.waitFor(() => eventsOf(bob.id).some((e) => e.data.matchedBy === 'email'));

      // a linked user is not claimed again: the usual conflict
      const twice = await t.scim.post('/Users', entraUser('ann.legacy', {}, 'other@contoso.example'));
      expect(twice.status).toBe(409);
      const audit = await admin('GET', `/tenants/${t.tenantId}/audit?resourceId=${ann.id}`);
      expect(audit.body.some((a: { diff: { claimed?: { matchedBy: string } } }) => a.diff.claimed?.matchedBy === 'userName')).toBe(true);
    });

    it('login method: SSO by default for provisioned users, switched by the admin API with an event; bad input refused', async () => {
      const created = await t.scim.post('/Users', entraUser('dan@contoso.example'));
      const id = created.body.id as string;
      expect((await admin('GET', `/tenants/${t.tenantId}/users/${id}`)).body).toMatchObject({
        id,
        loginMethod: 'sso',
        origin: 'scim',
        linked: true,
        deletedAt: null,
      });
      const set = await admin('PUT', `/tenants/${t.tenantId}/users/${id}/login-method`, { loginMethod: 'builtIn' });
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({ loginMethod: 'builtIn', version: 2 });
      await receiver.waitFor(() => eventsOf(id).length === 2);
      expect(eventsOf(id)[1]).toMatchObject({
        type: 'dev.scimflow.user.updated.v1',
        sequence: 2,
        data: { loginMethod: 'builtIn', changes: [{ attribute: 'loginMethod', before: 'sso', after: 'builtIn' }] },
      });
      // the SCIM ETag moved with it: Entra's next If-Match sees the new version
      expect((await t.scim.get(`/Users/${id}`)).headers.get('etag')).toBe('W/"2"');

      expect((await admin('PUT', `/tenants/${t.tenantId}/users/${id}/login-method`, { loginMethod: 'password' })).status).toBe(400);
      expect((await admin('PUT', `/tenants/${t.tenantId}/users/${randomUUID()}/login-method`, { loginMethod: 'sso' })).status).toBe(404);
      const other = await tenant('custom');
      expect((await admin('PUT', `/tenants/${other.tenantId}/users/${id}/login-method`, { loginMethod: 'sso' })).status).toBe(404);
      expect((await admin('GET', `/tenants/${other.tenantId}/users/${id}`)).status).toBe(404);
    });

    it('soft delete: groups left with events, user gone for SCIM but kept; a later POST with its userName brings it back', async () => {
      const created = await t.scim.post('/Users', entraUser('gus@contoso.example', { userType: 'Premium' }));
      const id = created.body.id as string;
      const group = await t.scim.post('/Groups', { schemas: [GROUP], displayName: 'Soft group', members: [{ value: id }] });
      expect(group.status).toBe(201);

      expect((await t.scim.delete(`/Users/${id}`)).status).toBe(204);
      expect((await t.scim.get(`/Users/${id}`)).status).toBe(404);
      expect((await t.scim.get(`/Users?filter=${encodeURIComponent('userName eq "gus@contoso.example"')}`)).body.totalResults).toBe(0);
      expect((await t.scim.delete(`/Users/${id}`)).status).toBe(404);
      expect((await t.scim.patch(`/Users/${id}`, patchOps({ op: 'replace', path: 'displayName', value: 'x' }))).status).toBe(404);
      expect((await t.scim.get(`/Groups/${group.body.id}`)).body.members ?? []).toEqual([]);
      expect(await row(id)).toMatchObject({ active: false, linked: false, deleted_at: expect.any(Date) });
      expect((await admin('GET', `/tenants/${t.tenantId}/users?deleted=true`)).body.map((u: { id: string }) => u.id)).toContain(id);
      await receiver.waitFor(() => eventsOf(id).some((e) => e.type.endsWith('user.deleted.v1')));
      const types = eventsOf(id).map((e) => e.type.split('.').slice(2, 4).join('.'));
      expect(types).toEqual(['user.created', 'membership.added', 'membership.removed', 'user.deleted']);
      expect(eventsOf(id)[3].data.deleteMode).toBe('soft');

      const back = await t.scim.post('/Users', entraUser('gus@contoso.example', { userType: 'Standard' }));
      expect(back.status).toBe(201);
      expect(back.body).toMatchObject({ id, active: true, userType: 'Standard' });
      expect(await row(id)).toMatchObject({ linked: true, deleted_at: null, version: 5 });
      await receiver.waitFor(() => eventsOf(id).length === 5);
      expect(eventsOf(id)[4]).toMatchObject({ type: 'dev.scimflow.user.created.v1', sequence: 5, data: { matchedBy: 'userName' } });
    });

    it('a hard-delete tenant still removes the row', async () => {
      const hard = await tenant('appsec');
      const created = await hard.scim.post('/Users', entraUser('hal@contoso.example'));
      expect((await hard.scim.delete(`/Users/${created.body.id}`)).status).toBe(204);
      expect(await row(created.body.id)).toBeUndefined();
      await receiver.waitFor(() => eventsOf(created.body.id).some((e) => e.data.deleteMode === 'hard'));
    });

    it('documents the users endpoints in the OpenAPI document and guards them with the admin credential', async () => {
      const doc = (await (await fetch(`${system.baseUrl}/admin/docs-json`)).json()) as { paths: Record<string, unknown> };
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          '/admin/tenants/{tenantId}/users',
          '/admin/tenants/{tenantId}/users/import',
          '/admin/tenants/{tenantId}/users/{userId}',
          '/admin/tenants/{tenantId}/users/{userId}/login-method',
        ]),
      );
      for (const [method, p] of [
        ['GET', '/users'],
        ['POST', '/users/import'],
        ['PUT', `/users/${randomUUID()}/login-method`],
      ]) {
        const res = await fetch(`${system.baseUrl}/admin/tenants/${t.tenantId}${p}`, {
          method,
          headers: { authorization: 'Bearer wrong', 'content-type': 'application/json' },
          body: method === 'GET' ? undefined : '{}',
        });
        expect(res.status).toBe(401);
      }
    });

    it('refuses an import that is neither JSON nor CSV, or too malformed to read', async () => {
      expect((await admin('POST', `/tenants/${t.tenantId}/users/import`, '<users/>', 'application/xml')).status).toBe(415);
      const noUserName = await admin('POST', `/tenants/${t.tenantId}/users/import`, 'email\nx@y\n', 'text/csv');
      expect(noUserName).toMatchObject({ status: 400, body: { detail: expect.stringContaining('userName column') } });
      expect((await admin('POST', `/tenants/${randomUUID()}/users/import`, { users: [{ userName: 'x' }] })).status).toBe(404);
    });
  });

  describe("product groups: SureCloud's own group list imported, then named by userType", () => {
    const EXPORT = [
      { groupId: randomUUID(), description: 'Report suspected privacy breaches.', name: 'Privacy | Breach Reporter' },
      { groupId: randomUUID(), description: 'Read-only access.', name: 'Read Only' },
    ];

    it('imports the export as is (ids kept) where group provisioning is off, re-run reports existing, and the directive finds them', async () => {
      const t = await tenant('surecloud');
      const imported = await admin('POST', `/tenants/${t.tenantId}/groups/import`, EXPORT);
      expect(imported.status).toBe(200);
      expect(imported.body).toMatchObject({ total: 2, imported: 2, existing: 0, failed: 0 });
      expect(imported.body.results.map((r: { id: string }) => r.id)).toEqual(EXPORT.map((g) => g.groupId));
      const listed = await t.scim.get('/Groups?excludedAttributes=members');
      expect(listed.body.Resources.map((g: { displayName: string }) => g.displayName).sort()).toEqual(['Privacy | Breach Reporter', 'Read Only']);
      // Entra still may not write groups in this tenant
      expect((await t.scim.post('/Groups', { schemas: [GROUP], displayName: 'From Entra' })).status).toBe(501);

      const again = await admin(
        'POST',
        `/tenants/${t.tenantId}/groups/import`,
        'groupId,name\n' + EXPORT.map((g) => `${g.groupId},"${g.name}"`).join('\n'),
        'text/csv',
      );
      expect(again.body).toMatchObject({ total: 2, imported: 0, existing: 2 });

      const user = await t.scim.post('/Users', entraUser('sc@contoso.example', { userType: EXPORT.map((g) => g.groupId).join(',') }));
      expect(user.status).toBe(201);
      const members = await system.db.query(`SELECT group_id FROM scim_group_members WHERE user_id = $1 ORDER BY group_id`, [user.body.id]);
      expect(members.map((m: { group_id: string }) => m.group_id)).toEqual(EXPORT.map((g) => g.groupId).sort());
      await receiver.waitFor(() => eventsOf(user.body.id).filter((e) => e.type.includes('membership.added')).length === 2);
    });

    it("reports bad rows one by one (a bad id, a taken name); Entra's displayName query finds the imported group", async () => {
      const t = await tenant('segura');
      const res = await admin('POST', `/tenants/${t.tenantId}/groups/import`, {
        groups: [{ name: 'Admins' }, { name: 'Ops', groupId: 'x' }, { name: 'Admins' }],
      });
      expect(res.body).toMatchObject({ total: 3, imported: 1, existing: 1, failed: 1 });
      // Entra's matching query finds the product group by its exact name
      const found = await t.scim.get(`/Groups?filter=${encodeURIComponent('displayName eq "Admins"')}&excludedAttributes=members`);
      expect(found.body.totalResults).toBe(1);
    });
  });

  describe('scimctl users', () => {
    async function scimctl(verb: Verb, ...args: string[]): Promise<string[]> {
      const lines: string[] = [];
      await verb.run(args, { config: validateConfig(ScimctlConfig, process.env), out: (l) => lines.push(l) });
      return lines;
    }

    it('imports a JSON file through the pipeline, lists unlinked users, sets a login method', async () => {
      const t = await tenant('surecloud');
      const dir = mkdtempSync(path.join(tmpdir(), 'scimflow-import-'));
      const file = path.join(dir, 'users.json');
      writeFileSync(
        file,
        JSON.stringify({
          users: [
            { userName: 'kim.legacy', emails: [{ type: 'work', value: 'kim@contoso.example' }] },
            { userName: 'lee.legacy', loginMethod: 'builtIn' },
          ],
        }),
      );

      const lines = await scimctl(usersImportVerb, '--tenant', t.tenantId, '--file', file);
      expect(JSON.parse(lines[lines.length - 1])).toEqual({ total: 2, imported: 2, existing: 0, failed: 0 });
      const again = await scimctl(usersImportVerb, '--tenant', t.tenantId, '--file', file);
      expect(JSON.parse(again[again.length - 1])).toEqual({ total: 2, imported: 0, existing: 2, failed: 0 });

      const unlinked = (await scimctl(usersListVerb, '--tenant', t.tenantId, '--linked', 'false')).map((l) => JSON.parse(l));
      expect(unlinked.map((u) => [u.userName, u.loginMethod, u.origin]).sort()).toEqual([
        ['kim.legacy', 'sso', 'import'],
        ['lee.legacy', 'builtIn', 'import'],
      ]);
      const kim = unlinked.find((u) => u.userName === 'kim.legacy');
      const [set] = await scimctl(usersLoginMethodVerb, '--tenant', t.tenantId, kim.id, 'builtIn');
      expect(JSON.parse(set)).toMatchObject({ id: kim.id, loginMethod: 'builtIn', linked: false });

      // SureCloud matches by userName first, then the work email: Entra's user claims kim by email
      const claimed = await t.scim.post('/Users', entraUser('kim@contoso.example'));
      expect(claimed.body.id).toBe(kim.id);

      const groupsFile = path.join(dir, 'groups.csv');
      const groupId = randomUUID();
      writeFileSync(groupsFile, `groupId,name\n${groupId},Risk Manager\n`);
      const groups = await scimctl(groupsImportVerb, '--tenant', t.tenantId, '--file', groupsFile);
      expect(JSON.parse(groups[0])).toMatchObject({ row: 1, name: 'Risk Manager', result: 'imported', id: groupId });
      expect(JSON.parse(groups[1])).toEqual({ total: 1, imported: 1, existing: 0, failed: 0 });
    });
  });
});
