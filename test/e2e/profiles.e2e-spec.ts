import { randomBytes, randomUUID } from 'node:crypto';
import { entraUser, patchOps, ScimClient } from '../support/scim-client';
import { useSystem } from '../support/system';
import { useReceiver } from '../support/webhook-receiver';
import type { ScimctlConfig } from '../../libs/config/src';
import { UsageError } from '../../apps/scimctl/src/verb';
import { auditVerb, tenantProfileVerb } from '../../apps/scimctl/src/verbs/audit.verbs';
import { adminRequest } from '../support/admin-client';

/** A scimctl verb run in-process against the run's database; returns its output lines. */
async function scimctl(verb: typeof auditVerb, ...args: string[]): Promise<string[]> {
  const lines: string[] = [];
  await verb.run(args, { config: { DATABASE_URL: process.env.DATABASE_URL! } as ScimctlConfig, out: (l) => lines.push(l) });
  return lines;
}

/**
 * The four product profiles on the whole system (real Kafka and Postgres): each scenario follows its product's
 * guide in ../shared/seeds/ and asserts HTTP answers, rows, events and the audit log.
 */
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const ADMIN_TOKEN = randomBytes(32).toString('base64url');

type Event = { id: string; type: string; sequence: number; data: any };

describe('product profiles end to end', () => {
  // settings changes apply at once (the reconciler's cache is exercised by its TTL elsewhere)
  const system = useSystem({ env: { ADMIN_TOKEN, PROFILE_CACHE_TTL_MS: '0' } });
  const receiver = useReceiver();

  const admin = (method: string, path: string, body?: unknown) => adminRequest(system.baseUrl, ADMIN_TOKEN, method, path, body);

  async function tenant(profile: string, settings?: Record<string, unknown>) {
    const created = await admin('POST', '/tenants', { name: `e2e ${profile}`, profile, webhooks: [receiver.url] });
    expect(created.status).toBe(201);
    if (settings) expect((await admin('PUT', `/tenants/${created.body.tenantId}/profile`, { profile, settings })).status).toBe(200);
    return { tenantId: created.body.tenantId as string, scim: new ScimClient(created.body.scimBaseUrl, created.body.token) };
  }

  const eventsOf = (userId: string): Event[] => receiver.eventsFor(userId);
  const memberships = async (userId: string): Promise<string[]> =>
    (await system.db.query(`SELECT group_id FROM scim_group_members WHERE user_id = $1 ORDER BY group_id`, [userId])).map(
      (r: { group_id: string }) => r.group_id,
    );

  describe('surecloud: group provisioning disabled, memberships through the userType directive', () => {
    let t: Awaited<ReturnType<typeof tenant>>;
    const g = [randomUUID(), randomUUID(), randomUUID()].sort();

    beforeAll(async () => {
      t = await tenant('surecloud');
      // the product's own groups (SureCloud does not let SCIM create them)
      for (const [i, id] of g.entries())
        await system.db.query(
          `INSERT INTO scim_groups (id, tenant_id, display_name, external_id, document, version, created_at, updated_at) VALUES ($1, $2, $3, null, $4, 1, now(), now())`,
          [id, t.tenantId, `Product group ${i}`, { schemas: [GROUP], displayName: `Product group ${i}` }],
        );
    });

    it('refuses writes to /Groups with 501 and a SCIM error, but lists groups', async () => {
      const post = await t.scim.post('/Groups', { schemas: [GROUP], displayName: 'From Entra' });
      expect(post.status).toBe(501);
      expect(post.body).toMatchObject({ schemas: [ERROR], status: '501', detail: expect.stringContaining('Group provisioning is disabled for this tenant') });
      expect((await t.scim.patch(`/Groups/${g[0]}`, patchOps({ op: 'replace', path: 'displayName', value: 'x' }))).status).toBe(501);
      const list = await t.scim.get('/Groups');
      expect(list.status).toBe(200);
      expect(list.body.totalResults).toBe(3);
    });

    it('applies the directive as a membership diff with events; IGNORE keeps, deactivation keeps, "" empties; unknown ids are 400', async () => {
      const created = await t.scim.post('/Users', entraUser('sc.user@example.com', { userType: `${g[0]},${g[1]}` }));
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      expect(await memberships(id)).toEqual([g[0], g[1]]);
      await receiver.waitFor(() => eventsOf(id).filter((e) => e.type.includes('membership.added')).length === 2);

      const moved = await t.scim.patch(`/Users/${id}`, patchOps({ op: 'replace', path: 'userType', value: `${g[1]}, ${g[2]}` }));
      expect(moved.status).toBe(200);
      expect(await memberships(id)).toEqual([g[1], g[2]]);
      await receiver.waitFor(() => eventsOf(id).some((e) => e.type.includes('membership.removed') && e.data.groupId === g[0]));
      expect(
        eventsOf(id)
          .filter((e) => e.type.includes('membership.added'))
          .map((e) => e.data.groupId)
          .sort(),
      ).toEqual([g[0], g[1], g[2]].sort());
      // the user's ETag is the sequence of its last event
      const sequences = eventsOf(id)
        .map((e) => e.sequence)
        .sort((a, b) => a - b);
      expect(sequences).toEqual(sequences.map((_, i) => i + 1));
      expect(moved.body.meta.version).toBe(`W/"${sequences[sequences.length - 1]}"`);

      expect((await t.scim.patch(`/Users/${id}`, patchOps({ op: 'replace', path: 'userType', value: 'IGNORE' }))).status).toBe(200);
      expect(await memberships(id)).toEqual([g[1], g[2]]);

      const disabled = await t.scim.patch(`/Users/${id}`, patchOps({ op: 'replace', path: 'active', value: false }));
      expect(disabled.body.active).toBe(false);
      expect(await memberships(id)).toEqual([g[1], g[2]]);

      const unknown = randomUUID();
      const bad = await t.scim.patch(`/Users/${id}`, patchOps({ op: 'replace', path: 'userType', value: `${g[0]},${unknown},not-a-group` }));
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ scimType: 'invalidValue', detail: expect.stringContaining(`${unknown}, not-a-group`) });
      expect(await memberships(id)).toEqual([g[1], g[2]]);

      expect((await t.scim.patch(`/Users/${id}`, patchOps({ op: 'replace', path: 'userType', value: '' }))).status).toBe(200);
      expect(await memberships(id)).toEqual([]);

      const failures = await admin('GET', `/tenants/${t.tenantId}/audit?resourceId=${id}&outcome=failure`);
      expect(failures.status).toBe(200);
      expect(failures.body).toHaveLength(1);
      expect(failures.body[0]).toMatchObject({ action: 'patch', status: 400, outcome: 'failure', error: { scimType: 'invalidValue' } });
      const all = await admin('GET', `/tenants/${t.tenantId}/audit?resourceId=${id}`);
      expect(all.body.map((e: { status: number }) => e.status)).toEqual([200, 400, 200, 200, 200, 201]);
      expect(all.body[all.body.length - 1].diff.joinedGroups.sort()).toEqual([g[0], g[1]]);
      expect(all.body[0].diff.leftGroups.sort()).toEqual([g[1], g[2]]);
      const groupAudit = await admin(
        'GET',
        `/tenants/${t.tenantId}/audit?outcome=failure&from=${encodeURIComponent(new Date(Date.now() - 600_000).toISOString())}`,
      );
      expect(groupAudit.body.filter((e: { resourceType: string; status: number }) => e.resourceType === 'Group' && e.status === 501).length).toBe(2);
      expect((await admin('GET', `/tenants/${t.tenantId}/audit?to=2000-01-01T00:00:00Z`)).body).toEqual([]);

      const cli = (await scimctl(auditVerb, '--tenant', t.tenantId, '--user', id, '--outcome', 'failure', '--from', '1h')).map((l) => JSON.parse(l));
      expect(cli).toEqual([expect.objectContaining({ resourceId: id, status: 400, outcome: 'failure' })]);
      expect(await scimctl(auditVerb, '--tenant', t.tenantId, '--user', id, '--to', '2000-01-01T00:00:00Z')).toEqual([]);
      await expect(scimctl(auditVerb, '--tenant', t.tenantId, '--outcome', 'maybe')).rejects.toBeInstanceOf(UsageError);
    });
  });

  describe('workforce: userType enumeration, required attributes, unique work email', () => {
    it('enforces the rules with clear 400s and 409', async () => {
      const t = await tenant('workforce');
      const created = await t.scim.post('/Users', entraUser('wf.one@example.com'));
      expect(created.status).toBe(201);
      expect(created.body.userType).toBe('Standard');
      const premium = await t.scim.post('/Users', entraUser('wf.two@example.com', { userType: 'Premium' }));
      expect(premium.body.userType).toBe('Premium');

      const gold = await t.scim.post('/Users', entraUser('wf.three@example.com', { userType: 'Gold' }));
      expect(gold.status).toBe(400);
      expect(gold.body).toMatchObject({
        schemas: [ERROR],
        scimType: 'invalidValue',
        detail: expect.stringContaining('userType must be one of Premium, Standard'),
      });

      const noFamily = await t.scim.post('/Users', entraUser('wf.four@example.com', { name: { givenName: 'Only' } }));
      expect(noFamily.status).toBe(400);
      expect(noFamily.body.detail).toContain('name.familyName');
      const noEmail = await t.scim.post('/Users', entraUser('wf.five@example.com', { emails: [{ type: 'home', value: 'x@example.com' }] }));
      expect(noEmail.status).toBe(400);
      expect(noEmail.body.detail).toContain('emails[type eq "work"].value');

      const dup = await t.scim.post('/Users', entraUser('wf.six@example.com', { emails: [{ type: 'work', value: 'WF.ONE@example.com' }] }));
      expect(dup.status).toBe(409);
      expect(dup.body.scimType).toBe('uniqueness');
      const rows = await system.db.query(`SELECT user_name FROM scim_users WHERE tenant_id = $1 ORDER BY user_name`, [t.tenantId]);
      expect(rows.map((r: { user_name: string }) => r.user_name)).toEqual(['wf.one@example.com', 'wf.two@example.com']);

      // a PATCH removing the surname is refused too, and the user keeps it
      const patch = await t.scim.patch(`/Users/${created.body.id}`, patchOps({ op: 'remove', path: 'name.familyName' }));
      expect(patch.status).toBe(400);
      expect((await t.scim.get(`/Users/${created.body.id}`)).body.name.familyName).toBe('Family');
    });
  });

  describe('segura: app roles map to product roles by exact name', () => {
    const complex = (value: string) => ({ primary: false, type: 'WindowsAzureActiveDirectoryRole', display: value, value });

    it('accepts both shapes, rejects malformed and unknown roles, records unknown ones when told to', async () => {
      const t = await tenant('segura', { roles: { mode: 'map', productRoles: ['Admin', 'Auditor_RO'], unknownRoles: 'reject' } });
      const assertive = await t.scim.post('/Users', entraUser('sg.one@example.com', { entitlements: [complex('Admin')] }));
      expect(assertive.status).toBe(201);
      const single = await t.scim.post('/Users', entraUser('sg.two@example.com', { roles: [{ value: 'Auditor_RO' }] }));
      expect(single.status).toBe(201);
      // SingleAppRoleAssignment mapped to entitlements.value: one string
      const viaPatch = await t.scim.patch(`/Users/${single.body.id}`, patchOps({ op: 'add', path: 'entitlements.value', value: 'Admin' }));
      expect(viaPatch.status).toBe(200);
      expect(viaPatch.body.entitlements).toEqual([{ value: 'Admin' }]);
      const unknownViaPatch = await t.scim.patch(`/Users/${single.body.id}`, patchOps({ op: 'replace', path: 'entitlements.value', value: 'Ghost' }));
      expect(unknownViaPatch.status).toBe(400);
      expect(unknownViaPatch.body.detail).toContain('roles not defined in the product: Ghost');
      const [kept] = await system.db.query(`SELECT document FROM scim_users WHERE id = $1`, [single.body.id]);
      expect(kept.document.entitlements).toEqual([{ value: 'Admin' }]);

      const spaced = await t.scim.post('/Users', entraUser('sg.three@example.com', { entitlements: [complex('Read Only')] }));
      expect(spaced.status).toBe(400);
      expect(spaced.body.detail).toContain('no spaces or accents');
      const unknown = await t.scim.post('/Users', entraUser('sg.four@example.com', { entitlements: [complex('Ghost')] }));
      expect(unknown.status).toBe(400);
      expect(unknown.body).toMatchObject({ scimType: 'invalidValue', detail: expect.stringContaining('roles not defined in the product: Ghost') });

      expect(
        (
          await admin('PUT', `/tenants/${t.tenantId}/profile`, {
            profile: 'segura',
            settings: { roles: { mode: 'map', productRoles: ['Admin'], unknownRoles: 'record' } },
          })
        ).status,
      ).toBe(200);
      const recorded = await t.scim.post('/Users', entraUser('sg.five@example.com', { entitlements: [complex('Admin'), complex('Ghost')] }));
      expect(recorded.status).toBe(201);
      const [row] = await system.db.query(`SELECT unmatched_roles, document FROM scim_users WHERE id = $1`, [recorded.body.id]);
      expect(row.unmatched_roles).toEqual(['Ghost']);
      expect(row.document.entitlements.map((e: { value: string }) => e.value)).toEqual(['Admin', 'Ghost']);
      await receiver.waitFor(() => eventsOf(recorded.body.id).some((e) => e.type.includes('user.created')));
      const audit = await admin('GET', `/tenants/${t.tenantId}/audit?resourceId=${recorded.body.id}`);
      expect(audit.body[0].diff.unmatchedRoles).toEqual(['Ghost']);

      const shown = JSON.parse((await scimctl(tenantProfileVerb, t.tenantId))[0]);
      expect(shown).toMatchObject({
        profile: 'segura',
        effective: { roles: { mode: 'map', productRoles: ['Admin'], unknownRoles: 'record' }, groupProvisioning: true },
      });
      await expect(scimctl(tenantProfileVerb, t.tenantId, '--settings', '{"roles":{"mode":"map","productRoles":["Café"]}}')).rejects.toThrow(
        /no spaces or accents/,
      );
      const set = JSON.parse((await scimctl(tenantProfileVerb, t.tenantId, '--settings', '{"roles":{"mode":"map","productRoles":["Admin","Ghost"]}}'))[0]);
      expect(set.effective.roles).toEqual({ mode: 'map', productRoles: ['Admin', 'Ghost'], unknownRoles: 'reject' });
      expect((await admin('GET', `/tenants/${t.tenantId}/profile`)).body.settings).toEqual({ roles: { mode: 'map', productRoles: ['Admin', 'Ghost'] } });

      const badSettings = await admin('PUT', `/tenants/${t.tenantId}/profile`, {
        profile: 'segura',
        settings: { roles: { mode: 'map', productRoles: ['Read Only'] } },
      });
      expect(badSettings.status).toBe(400);
      expect(badSettings.body.scimType).toBe('invalidValue');

      const nobody = randomUUID();
      for (const [method, body] of [
        ['GET', undefined],
        ['PUT', { profile: 'segura' }],
      ] as const) {
        const missing = await admin(method, `/tenants/${nobody}/profile`, body);
        expect(missing.status).toBe(404);
        expect(missing.body).toMatchObject({ status: '404', detail: `Tenant ${nobody} not found` });
      }
      expect((await admin('PUT', '/tenants/not-a-tenant/profile', { profile: 'segura' })).status).toBe(404);
      await expect(scimctl(tenantProfileVerb, nobody)).rejects.toThrow(`no tenant ${nobody}`);
    });
  });

  /**
   * The app role shapes of Entra's "Customize user provisioning attribute-mappings" ("Provisioning a role to a SCIM
   * app"), each mapped to roles or entitlements, on POST, PUT and PATCH, for a tenant without role mapping and for
   * segura ones that know, reject or record the roles.
   */
  describe('app roles in every shape Entra sends them', () => {
    const AAD = 'WindowsAzureActiveDirectoryRole';
    const encoded = (name: string) => ({ value: JSON.stringify({ id: randomUUID(), value: name, displayName: name }) });
    const shapes: Record<string, { post: (names: string[]) => unknown; patch: (attr: string, names: string[]) => object[] }> = {
      // one role: POST as a primary element, PATCH through the filtered path (an upsert) …
      'SingleAppRoleAssignment → [primary eq "True"].value': {
        post: (names) => [{ primary: true, type: AAD, value: names[0] }],
        patch: (attr, names) => [{ op: 'Replace', path: `${attr}[primary eq "True"].value`, value: names[0] }],
      },
      // … or mapped to the attribute itself: the bare name on POST, the documented PATCH Add of the encoded assignment
      'SingleAppRoleAssignment → attribute': {
        post: (names) => names[0],
        patch: (attr, names) => [{ op: 'Add', path: attr, value: [encoded(names[0])] }],
      },
      AppRoleAssignmentsComplex: {
        post: (names) => names.map((n) => ({ primary: false, type: AAD, displayName: n, value: n })),
        patch: (attr, names) => [{ op: 'Add', path: attr, value: names.map(encoded) }],
      },
      AssertiveAppRoleAssignmentsComplex: {
        post: (names) => names.map((n) => ({ primary: 'False', type: AAD, display: n, value: n })),
        patch: (attr, names) => [{ op: 'Replace', path: attr, value: names.map((n) => ({ primary: 'False', type: AAD, display: n, value: n })) }],
      },
    };
    const multi = (shape: string) => shape.includes('Complex');
    const valuesOf = (doc: Record<string, unknown>, attr: string) => ((doc[attr] as { value: string }[] | undefined) ?? []).map((r) => r.value);
    let serial = 0;

    /** POST with the roles; PUT of a role-less user with them; PATCH of a role-less user with them. Returns the ids. */
    async function writeEveryWay(
      t: Awaited<ReturnType<typeof tenant>>,
      shape: string,
      attr: string,
      names: string[],
    ): Promise<{ method: string; status: number; id: string; body: any }[]> {
      const make = () => `roles.${++serial}.${randomUUID().slice(0, 8)}@example.com`;
      const out: { method: string; status: number; id: string; body: any }[] = [];
      const posted = await t.scim.post('/Users', entraUser(make(), { [attr]: shapes[shape].post(names) }));
      out.push({ method: 'POST', status: posted.status, id: posted.body.id, body: posted.body });
      for (const method of ['PUT', 'PATCH']) {
        const userName = make();
        const plain = await t.scim.post('/Users', entraUser(userName));
        expect(plain.status).toBe(201);
        const res =
          method === 'PUT'
            ? await t.scim.put(`/Users/${plain.body.id}`, entraUser(userName, { [attr]: shapes[shape].post(names) }))
            : await t.scim.patch(`/Users/${plain.body.id}`, patchOps(...shapes[shape].patch(attr, names)));
        out.push({ method, status: res.status, id: plain.body.id, body: res.body });
      }
      return out;
    }

    it.each(['appsec (role mapping off)', 'segura (productRoles known)'])(
      '%s: each shape × roles/entitlements × POST/PUT/PATCH is stored, one element per role',
      async (which) => {
        const t = which.startsWith('appsec')
          ? await tenant('appsec')
          : await tenant('segura', { roles: { mode: 'map', productRoles: ['Admin', 'Auditor_RO'], unknownRoles: 'reject' } });
        for (const shape of Object.keys(shapes)) {
          const names = multi(shape) ? ['Admin', 'Auditor_RO'] : ['Admin'];
          for (const attr of ['roles', 'entitlements']) {
            for (const w of await writeEveryWay(t, shape, attr, names)) {
              const at = `${shape} ${attr} ${w.method}`;
              expect([at, w.status]).toEqual([at, w.method === 'POST' ? 201 : 200]);
              expect([at, valuesOf(w.body, attr)]).toEqual([at, names]);
              const got = await t.scim.get(`/Users/${w.id}`);
              expect([at, valuesOf(got.body, attr)]).toEqual([at, names]);
            }
          }
        }
        // the PATCH Add of roles the user already holds (AppRoleAssignmentsComplex) merges; Remove by the encoded form removes
        const [posted] = await writeEveryWay(t, 'AppRoleAssignmentsComplex', 'entitlements', ['Admin']);
        const again = await t.scim.patch(
          `/Users/${posted.id}`,
          patchOps({ op: 'Add', path: 'entitlements', value: [encoded('Admin'), encoded('Auditor_RO')] }),
        );
        expect(again.status).toBe(200);
        expect(again.body.entitlements).toEqual([
          { primary: false, type: AAD, display: 'Admin', value: 'Admin' },
          { display: 'Auditor_RO', value: 'Auditor_RO' },
        ]);
        const removed = await t.scim.patch(`/Users/${posted.id}`, patchOps({ op: 'Remove', path: 'entitlements', value: [encoded('Admin')] }));
        expect(removed.status).toBe(200);
        expect(valuesOf(removed.body, 'entitlements')).toEqual(['Auditor_RO']);
        // Assertive Replace with the full list drops the roles Entra no longer assigns
        const replaced = await t.scim.patch(`/Users/${posted.id}`, patchOps(...shapes.AssertiveAppRoleAssignmentsComplex.patch('entitlements', ['Admin'])));
        expect(valuesOf(replaced.body, 'entitlements')).toEqual(['Admin']);
        // SingleAppRoleAssignment: the same filtered path again updates the one primary role
        const [, , single] = await writeEveryWay(t, 'SingleAppRoleAssignment → [primary eq "True"].value', 'roles', ['Admin']);
        const changed = await t.scim.patch(
          `/Users/${single.id}`,
          patchOps(...shapes['SingleAppRoleAssignment → [primary eq "True"].value'].patch('roles', ['Auditor_RO'])),
        );
        expect(changed.status).toBe(200);
        expect((await t.scim.get(`/Users/${single.id}`)).body.roles).toEqual([{ primary: true, value: 'Auditor_RO' }]);
      },
    );

    it('segura rejecting unknown roles: each shape × roles/entitlements × POST/PUT/PATCH is 400 naming the role, nothing stored', async () => {
      const t = await tenant('segura', { roles: { mode: 'map', productRoles: ['Admin'], unknownRoles: 'reject' } });
      for (const shape of Object.keys(shapes)) {
        const names = multi(shape) ? ['Admin', 'Ghost'] : ['Ghost'];
        for (const attr of ['roles', 'entitlements']) {
          for (const w of await writeEveryWay(t, shape, attr, names)) {
            const at = `${shape} ${attr} ${w.method}`;
            expect([at, w.status, w.body.scimType]).toEqual([at, 400, 'invalidValue']);
            expect(w.body.detail).toContain('roles not defined in the product: Ghost');
            if (w.method !== 'POST') expect([at, valuesOf((await t.scim.get(`/Users/${w.id}`)).body, attr)]).toEqual([at, []]);
          }
        }
      }
    });

    it('segura recording unknown roles: each shape × roles/entitlements × POST/PUT/PATCH stores them and lists them in unmatched_roles', async () => {
      const t = await tenant('segura', { roles: { mode: 'map', productRoles: ['Admin'], unknownRoles: 'record' } });
      for (const shape of Object.keys(shapes)) {
        const names = multi(shape) ? ['Admin', 'Ghost'] : ['Ghost'];
        for (const attr of ['roles', 'entitlements']) {
          for (const w of await writeEveryWay(t, shape, attr, names)) {
            const at = `${shape} ${attr} ${w.method}`;
            expect([at, w.status]).toEqual([at, w.method === 'POST' ? 201 : 200]);
            const [row] = await system.db.query(`SELECT unmatched_roles, document FROM scim_users WHERE id = $1`, [w.id]);
            expect([at, row.unmatched_roles, valuesOf(row.document, attr)]).toEqual([at, ['Ghost'], names]);
          }
        }
      }
    });
  });

  describe('PATCH upserts of filtered multi-valued paths (Entra sends Replace for values the user lacks)', () => {
    it.each<[string, string, string, string, Record<string, unknown>]>([
      ['phoneNumbers', 'phoneNumbers[type eq "mobile"].value', '+1 555 0100', '+1 555 0199', { type: 'mobile' }],
      ['emails', 'emails[type eq "home"].value', 'home@example.com', 'home2@example.com', { type: 'home' }],
      ['addresses', 'addresses[type eq "work"].streetAddress', '1 Main St', '2 Main St', { type: 'work' }],
    ])('%s: %s on a user without it creates it once, the same PATCH again updates it', async (attr, path, first, second, seed) => {
      const t = await tenant('appsec');
      const created = await t.scim.post('/Users', entraUser(`upsert.${attr}.${randomUUID().slice(0, 8)}@example.com`));
      expect(created.status).toBe(201);
      const sub = path.split('.').pop()!;
      const ofSeed = (doc: Record<string, unknown>) => ((doc[attr] as Record<string, unknown>[] | undefined) ?? []).filter((e) => e.type === seed.type);
      const once = await t.scim.patch(`/Users/${created.body.id}`, patchOps({ op: 'Replace', path, value: first }));
      expect(once.status).toBe(200);
      expect(ofSeed((await t.scim.get(`/Users/${created.body.id}`)).body)).toEqual([{ ...seed, [sub]: first }]);
      const twice = await t.scim.patch(`/Users/${created.body.id}`, patchOps({ op: 'Replace', path, value: second }));
      expect(twice.status).toBe(200);
      expect(ofSeed((await t.scim.get(`/Users/${created.body.id}`)).body)).toEqual([{ ...seed, [sub]: second }]);
      // Add with the same path (Entra's other verb for it) still finds the one element
      expect((await t.scim.patch(`/Users/${created.body.id}`, patchOps({ op: 'Add', path, value: first }))).status).toBe(200);
      expect(ofSeed((await t.scim.get(`/Users/${created.body.id}`)).body)).toEqual([{ ...seed, [sub]: first }]);
    });

    it('two sub-attributes of one new address through two operations make one address; a filter that describes no element is 400 noTarget', async () => {
      const t = await tenant('appsec');
      const created = await t.scim.post('/Users', entraUser(`upsert.address.${randomUUID().slice(0, 8)}@example.com`));
      const res = await t.scim.patch(
        `/Users/${created.body.id}`,
        patchOps(
          { op: 'Replace', path: 'addresses[type eq "work"].streetAddress', value: '1 Main St' },
          { op: 'Replace', path: 'addresses[type eq "work"].locality', value: 'Springfield' },
        ),
      );
      expect(res.status).toBe(200);
      expect(res.body.addresses).toEqual([{ type: 'work', streetAddress: '1 Main St', locality: 'Springfield' }]);
      const bad = await t.scim.patch(
        `/Users/${created.body.id}`,
        patchOps({ op: 'Replace', path: 'phoneNumbers[type eq "fax" or type eq "pager"].value', value: '1' }),
      );
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ schemas: [ERROR], scimType: 'noTarget', detail: expect.stringContaining('does not describe a new value') });
      const removed = await t.scim.patch(`/Users/${created.body.id}`, patchOps({ op: 'Remove', path: 'phoneNumbers[type eq "fax"].value' }));
      expect(removed.status).toBe(200);
      expect(removed.body.phoneNumbers).toBeUndefined();
    });
  });

  describe('appsec: groups provisioned, listable and stable', () => {
    it('keeps a group id across a rename', async () => {
      const t = await tenant('appsec');
      const created = await t.scim.post('/Groups', { schemas: [GROUP], displayName: 'AppSec Team', externalId: 'appsec-1' });
      expect(created.status).toBe(201);
      const renamed = await t.scim.patch(`/Groups/${created.body.id}`, patchOps({ op: 'replace', path: 'displayName', value: 'AppSec Engineers' }));
      expect(renamed.status).toBe(204); // as Entra expects for Group PATCH
      const list = await t.scim.get(`/Groups?filter=${encodeURIComponent('externalId eq "appsec-1"')}`);
      expect(list.body.Resources).toEqual([expect.objectContaining({ id: created.body.id, displayName: 'AppSec Engineers' })]);

      // settings broken behind the admin API's back: commands are answered 400, not retried forever
      await system.db.query(`UPDATE tenants SET settings = '{"deleteMode":"archive"}' WHERE id = $1`, [t.tenantId]);
      const refused = await t.scim.post('/Users', entraUser('as.one@example.com'));
      expect(refused.status).toBe(400);
      expect(refused.body.detail).toContain('tenant settings: deleteMode must be one of hard');
      expect((await t.scim.post('/Groups', { schemas: [GROUP], displayName: 'Another' })).status).toBe(400);
    });
  });
});
