import { randomBytes } from 'node:crypto';
import { ScimctlConfig, validateConfig } from '../../libs/config/src';
import { HOLDS_VERBS, holdsListVerb, thresholdVerb } from '../../apps/scimctl/src/verbs/holds.verbs';
import { adminRequest } from '../support/admin-client';
import { sample } from '../support/prometheus';
import { patchOps, ScimClient } from '../support/scim-client';
import { useSystem } from '../support/system';
import { useReceiver } from '../support/webhook-receiver';

/**
 * The deprovisioning threshold: a mass unassignment beyond it is answered to Entra at once, but only the
 * deprovisionings within the threshold are applied; the rest wait unapplied in a hold (no event, users still active)
 * until an operator approves (applied in order, gap-free per user) or rejects (discarded, nothing downstream).
 */
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ADMIN_TOKEN = randomBytes(32).toString('base64url');
const DEACTIVATE = patchOps({ op: 'Replace', path: 'active', value: 'False' });
const scimctlReject = HOLDS_VERBS.find((c) => c.words.join(' ') === 'tenant holds reject')!;

describe('deprovisioning holds (e2e)', () => {
  const system = useSystem({ env: { ADMIN_TOKEN } });
  const receiver = useReceiver();
  let tenantId: string;
  let client: ScimClient;
  const ids: string[] = [];
  const admin = (method: string, path: string, body?: unknown) => adminRequest(system.baseUrl, ADMIN_TOKEN, method, path, body);
  const events = () => receiver.received.map((r) => r.body).filter((e) => e.tenantid === tenantId);
  const ofType = (type: string) => events().filter((e) => e.type.endsWith(`.user.${type}.v1`));
  const settle = () => new Promise((r) => setTimeout(r, 2500));
  const heldMetric = async () => {
    const text = await (await fetch(`${(await system.reconciler.getUrl()).replace('[::1]', '127.0.0.1')}/metrics`)).text();
    return sample(text, 'scimflow_deprovisioning_held', { tenant: tenantId });
  };

  beforeAll(async () => {
    const t = await system.createTenant('e2e deprovisioning holds', [receiver.url]);
    tenantId = t.tenantId;
    client = t.scim;
  });

  it("defaults to Entra's threshold and takes a validated one", async () => {
    expect((await admin('GET', `/tenants/${tenantId}/deprovision-threshold`)).body).toEqual({ maxUsers: 500, maxPercent: null, windowSeconds: 3600 });
    const refused = await admin('PUT', `/tenants/${tenantId}/deprovision-threshold`, { maxUsers: 5, maxPercent: 250 });
    expect(refused.status).toBe(400);
    expect(refused.body.scimType).toBe('invalidValue');
    const set = await admin('PUT', `/tenants/${tenantId}/deprovision-threshold`, { maxUsers: 5, windowSeconds: 3600 });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ maxUsers: 5, maxPercent: null, windowSeconds: 3600 });
    const out: string[] = [];
    await thresholdVerb.run([tenantId], { config: validateConfig(ScimctlConfig, process.env), out: (s: string) => void out.push(s) });
    expect(JSON.parse(out[0])).toEqual({ maxUsers: 5, maxPercent: null, windowSeconds: 3600 });
  });

  it('holds a mass unassignment beyond the threshold, answering Entra at once, and applies it in order on approval', async () => {
    for (let i = 0; i < 20; i++) {
      const created = await client.post('/Users', { schemas: [USER], userName: `user${i}@contoso.example`, active: true });
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
    await receiver.waitFor(() => ofType('created').length === 20);

    // 12 deactivations as Entra sends them and 2 deletions: every one answered at once, as if applied
    const started = Date.now();
    for (let i = 0; i < 12; i++) {
      const answer = await client.patch(`/Users/${ids[i]}`, DEACTIVATE);
      expect(answer.status).toBe(200);
      expect(answer.body.active).toBe(false);
    }
    for (const i of [12, 13]) expect((await client.delete(`/Users/${ids[i]}`)).status).toBe(204);
    expect(Date.now() - started).toBeLessThan(20_000);

    // the first 5 deactivations are applied and sent; the other 7 and the deletions are held
    await receiver.waitFor(() => ofType('deactivated').length >= 5);
    await settle();
    expect(
      ofType('deactivated')
        .map((e) => e.data.userId)
        .sort(),
    ).toEqual(ids.slice(0, 5).sort());
    expect(ofType('deleted')).toEqual([]);
    for (const i of [5, 11, 12]) {
      const held = await client.get(`/Users/${ids[i]}`);
      expect(held.status).toBe(200);
      expect(held.body.active).toBe(true);
    }

    // a later write of a held user waits behind its held deactivation (its writer is told to come back)
    const behind = await client.patch(`/Users/${ids[5]}`, patchOps({ op: 'Replace', path: 'title', value: 'Former' }));
    expect(behind.status).toBe(503);
    expect(behind.body.detail).toMatch(/held for an operator's decision/);

    const open = await admin('GET', `/tenants/${tenantId}/holds`);
    expect(open.status).toBe(200);
    expect(open.body).toHaveLength(1);
    const hold = open.body[0];
    expect(hold).toMatchObject({ tenantId, status: 'open', commands: 9, decidedAt: null });
    expect(hold.firstAt <= hold.lastAt).toBe(true);
    expect(hold.sampleUsers[0]).toEqual({ id: ids[5], userName: 'user5@contoso.example' });
    const listed: string[] = [];
    await holdsListVerb.run([tenantId], { config: validateConfig(ScimctlConfig, process.env), out: (s: string) => void listed.push(s) });
    expect(listed.map((l) => JSON.parse(l).holdId)).toEqual([hold.holdId]);
    expect(await heldMetric()).toBe(9);
    const parked = await admin('GET', `/parked-commands?tenantId=${tenantId}`);
    expect(parked.body.find((p: { resourceId: string; state: string }) => p.resourceId === ids[5] && p.state === 'held')).toMatchObject({
      holdId: hold.holdId,
      reason: 'held',
    });
    // a held command is decided with its hold, not discarded on its own
    const heldRow = parked.body.find((p: { state: string }) => p.state === 'held');
    const refused = await admin('POST', `/parked-commands/${heldRow.id}/discard`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/approve or reject the hold/);

    const approved = await admin('POST', `/tenants/${tenantId}/holds/${hold.holdId}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', decidedBy: 'admin-api' });
    expect((await admin('POST', `/tenants/${tenantId}/holds/${hold.holdId}/reject`)).status).toBe(409);

    await receiver.waitFor(() => ofType('deactivated').length === 12 && ofType('deleted').length === 2 && ofType('updated').length === 1, 30_000);
    expect(
      ofType('deactivated')
        .map((e) => e.data.userId)
        .slice(5)
        .sort(),
    ).toEqual(ids.slice(5, 12).sort());
    expect(
      ofType('deleted')
        .map((e) => e.data.userId)
        .sort(),
    ).toEqual(ids.slice(12, 14).sort());
    // per user, in order and gap-free: created, deactivated (then the write that waited behind it)
    for (const id of ids.slice(0, 14)) {
      const mine = events().filter((e) => e.data.userId === id);
      expect(mine.map((e) => e.sequence)).toEqual(mine.map((_, n) => n + 1));
    }
    expect(
      events()
        .filter((e) => e.data.userId === ids[5])
        .map((e) => e.type.replace(/^.*\.user\./, '')),
    ).toEqual(['created.v1', 'deactivated.v1', 'updated.v1']);
    expect((await client.get(`/Users/${ids[11]}`)).body.active).toBe(false);
    expect((await client.get(`/Users/${ids[12]}`)).status).toBe(404);
    expect((await admin('GET', `/tenants/${tenantId}/holds`)).body).toEqual([]);
    expect((await heldMetric()) ?? 0).toBe(0);
  });

  it('holds a second mass deactivation (the approved ones count in the window), and a rejected hold leaves the users as they are', async () => {
    const received = events().length;
    for (let i = 14; i < 20; i++) expect((await client.patch(`/Users/${ids[i]}`, DEACTIVATE)).status).toBe(200);
    const open = (await admin('GET', `/tenants/${tenantId}/holds`)).body;
    expect(open).toMatchObject([{ status: 'open', commands: 6 }]);

    const out: string[] = [];
    await scimctlReject.run([tenantId, open[0].holdId], { config: validateConfig(ScimctlConfig, process.env), out: (s: string) => void out.push(s) });
    expect(JSON.parse(out[0])).toMatchObject({ status: 'rejected', decidedBy: 'scimctl', commands: 0 });
    await settle();
    expect(events().length).toBe(received);
    for (let i = 14; i < 20; i++) expect((await client.get(`/Users/${ids[i]}`)).body.active).toBe(true);

    // the rejected users' later changes flow as usual
    expect((await client.patch(`/Users/${ids[14]}`, patchOps({ op: 'Replace', path: 'title', value: 'Stays' }))).status).toBe(200);
    await receiver.waitFor(() => events().some((e) => e.data.userId === ids[14] && e.type.endsWith('.user.updated.v1')));
    expect(
      events()
        .filter((e) => e.data.userId === ids[14])
        .map((e) => e.sequence),
    ).toEqual([1, 2]);

    const audit: { action: string; resource_type: string; status: number }[] = await system.db.query(
      `SELECT action, resource_type, status FROM audit_log WHERE tenant_id = $1 AND (resource_type = 'DeprovisioningHold' OR status = 409) ORDER BY id`,
      [tenantId],
    );
    expect(audit.filter((a) => a.resource_type === 'DeprovisioningHold').map((a) => a.action)).toEqual([
      'hold.open',
      'hold.approve',
      'hold.open',
      'hold.reject',
    ]);
    expect(audit.filter((a) => a.status === 409)).toHaveLength(6);
  });

  it('turns off: deprovisionings are applied at once', async () => {
    expect((await admin('DELETE', `/tenants/${tenantId}/deprovision-threshold`)).body).toEqual({ maxUsers: null, maxPercent: null, windowSeconds: 3600 });
    expect((await client.patch(`/Users/${ids[15]}`, DEACTIVATE)).status).toBe(200);
    await receiver.waitFor(() => events().some((e) => e.data.userId === ids[15] && e.type.endsWith('.user.deactivated.v1')));
    expect((await admin('GET', `/tenants/${tenantId}/holds`)).body).toEqual([]);
    expect((await admin('GET', `/tenants/00000000-0000-4000-8000-000000000000/holds`)).status).toBe(404);
  });

  it('counts concurrent deprovisionings under the tenant lock: exactly the threshold passes; a tenant with an open hold can be deleted', async () => {
    const t = await system.createTenant('e2e deprovisioning holds, concurrent', []);
    const c = new ScimClient(t.scimBaseUrl, t.token);
    expect((await admin('PUT', `/tenants/${t.tenantId}/deprovision-threshold`, { maxUsers: 3 })).status).toBe(200);
    const mine: string[] = [];
    for (let i = 0; i < 12; i++) mine.push((await c.post('/Users', { schemas: [USER], userName: `c${i}@contoso.example`, active: true })).body.id);
    // users spread over the partitions, sent at once
    const answers = await Promise.all(mine.map((id) => c.patch(`/Users/${id}`, DEACTIVATE)));
    expect(answers.map((a) => a.status)).toEqual(mine.map(() => 200));
    const [{ count }] = await system.db.query(`SELECT count(*)::int AS count FROM scim_users WHERE tenant_id = $1 AND NOT active`, [t.tenantId]);
    expect(count).toBe(3);
    expect((await admin('GET', `/tenants/${t.tenantId}/holds`)).body).toMatchObject([{ status: 'open', commands: 9 }]);

    expect((await admin('DELETE', `/tenants/${t.tenantId}`)).status).toBe(204);
    const [{ left }] = await system.db.query(`SELECT count(*)::int AS left FROM parked_commands WHERE tenant_id = $1`, [t.tenantId]);
    expect(left).toBe(0);
  });
});
