import { randomBytes } from 'node:crypto';
import { ChangeEvent, CursorExpiredError, EventsApiError, isReflectedIn, ScimflowEventsClient, snapshotVersions } from '../../packages/client/src';
import { TenantEvents } from '../../libs/persistence/src';
import { encodeEventsCursor } from '../../libs/contracts/src';
import { groupMembers } from '../../libs/scim/src';
import { eventConsumersVerb } from '../../apps/scimctl/src/verbs/events.verbs';
import { ScimctlConfig, validateConfig } from '../../libs/config/src';
import { adminRequest } from '../support/admin-client';
import { sample } from '../support/prometheus';
import { patchOps, ScimClient } from '../support/scim-client';
import { useSystem } from '../support/system';

/**
 * The events API against the real system: a tenant's change events in commit order with cursors, long-poll, types,
 * 410 past retention, credentials kept apart from Entra's; the state pull followed by the events loses and repeats
 * nothing while writes go on; a consumer following across a restart of every app loses and repeats nothing.
 */
const ADMIN_TOKEN = randomBytes(32).toString('base64url');
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Tenant {
  tenantId: string;
  scim: ScimClient;
  credential: string;
  credentialId: string;
  client: ScimflowEventsClient;
}

describe('events API', () => {
  const system = useSystem({ env: { ADMIN_TOKEN } });

  const admin = (method: string, path: string, body?: unknown) => adminRequest(system.baseUrl, ADMIN_TOKEN, method, path, body);
  const api = (credential: string, path: string) => fetch(`${system.baseUrl}${path}`, { headers: { authorization: `Bearer ${credential}` } });

  async function tenant(name: string): Promise<Tenant & { token: string; tokenUrl: string; clientId: string; clientSecret: string }> {
    const created = await admin('POST', '/tenants', { name });
    expect(created.status).toBe(201);
    const { tenantId, scimBaseUrl, token, tokenUrl, clientId, clientSecret } = created.body;
    const cred = await admin('POST', `/tenants/${tenantId}/product-credentials`, { description: `${name} consumer` });
    expect(cred.status).toBe(201);
    expect(cred.body.credential).toMatch(/^sfp_[a-z0-9]{12}_/);
    return {
      tenantId,
      token,
      tokenUrl,
      clientId,
      clientSecret,
      scim: new ScimClient(scimBaseUrl, token),
      credential: cred.body.credential,
      credentialId: cred.body.id,
      client: new ScimflowEventsClient({ baseUrl: system.baseUrl, credential: cred.body.credential, retryMinMs: 50, retryMaxMs: 500 }),
    };
  }

  async function createUser(scim: ScimClient, userName: string): Promise<string> {
    const res = await scim.post('/Users', { schemas: [USER], userName, active: true });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  /** The tenant's log as the database holds it, in position order. */
  async function logOf(tenantId: string): Promise<{ id: string; type: string; sequence: number; key: string }[]> {
    const rows: { event_id: string; type: string; sequence: string; record_key: string }[] = await system.db.query(
      `SELECT event_id, type, sequence, record_key FROM tenant_events WHERE tenant_id = $1 ORDER BY position`,
      [tenantId],
    );
    return rows.map((r) => ({ id: r.event_id, type: r.type, sequence: Number(r.sequence), key: r.record_key }));
  }

  /** Every event after `after` until the log has nothing more, through the client. */
  async function drain(t: Tenant, after?: string): Promise<{ events: ChangeEvent[]; cursor: string }> {
    const events: ChangeEvent[] = [];
    let cursor = after;
    for (;;) {
      const page = await t.client.page({ after: cursor, limit: 50 });
      events.push(...page.events.map((e) => e.event));
      cursor = page.cursor;
      if (!page.more) return { events, cursor };
    }
  }

  /** Waits until the tenant's outbox is empty (every committed event relayed into the log). */
  async function relayed(tenantId: string): Promise<void> {
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; await sleep(100)) {
      const [{ n }] = await system.db.query(`SELECT count(*)::int AS n FROM outbox_events WHERE payload->>'tenantid' = $1`, [tenantId]);
      if (n === 0) return;
    }
    throw new Error('outbox not drained');
  }

  it('keeps product credentials and Entra credentials apart, and refuses bad parameters with SCIM errors', async () => {
    const t = await tenant('events auth');
    expect((await api(t.credential, '/api/v1/events')).status).toBe(200);
    // Entra's secret token on the events API, a product credential on SCIM: 401 both
    const entraOnEvents = await api(t.token, '/api/v1/events');
    expect(entraOnEvents.status).toBe(401);
    expect(((await entraOnEvents.json()) as { schemas: string[] }).schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
    expect((await new ScimClient(`${system.baseUrl}/scim/v2/${t.tenantId}`, t.credential).get('/Users')).status).toBe(401);
    expect((await api(t.token, '/api/v1/users')).status).toBe(401);
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: t.clientId, client_secret: t.clientSecret });
    const issued = await fetch(t.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    expect(issued.status).toBe(200);
    expect((await api(((await issued.json()) as { access_token: string }).access_token, '/api/v1/events')).status).toBe(401);
    expect((await fetch(`${system.baseUrl}/api/v1/events`)).status).toBe(401);
    expect((await api(`${t.credential.slice(0, -3)}abc`, '/api/v1/events')).status).toBe(401);

    for (const query of ['after=garbage', 'after=AQEAAAAAAAAAAQAAAAAAAA', 'limit=0', 'limit=5000', 'wait=-1s', 'wait=soon', 'types=a%25b']) {
      const res = await api(t.credential, `/api/v1/events?${query}`);
      expect([query, res.status]).toEqual([query, 400]);
    }
    // another tenant's cursor is not this tenant's
    const other = await tenant('events auth other');
    const { cursor } = await other.client.page();
    expect((await api(t.credential, `/api/v1/events?after=${cursor}`)).status).toBe(400);

    // a second credential works alongside; revoking one stops it at once, the other goes on
    const second = await admin('POST', `/tenants/${t.tenantId}/product-credentials`, {});
    expect((await admin('GET', `/tenants/${t.tenantId}/product-credentials`)).body.map((c: { id: string }) => c.id)).toEqual([t.credentialId, second.body.id]);
    expect((await admin('DELETE', `/tenants/${t.tenantId}/product-credentials/${t.credentialId}`)).status).toBe(204);
    expect((await api(t.credential, '/api/v1/events')).status).toBe(401);
    expect((await api(second.body.credential, '/api/v1/events')).status).toBe(200);
    expect((await admin('DELETE', `/tenants/${other.tenantId}/product-credentials/${second.body.id}`)).status).toBe(404);
  });

  it('answers the change events in commit order with sequences and cursors, filters by type, and long-polls', async () => {
    const t = await tenant('events order');
    const ada = await createUser(t.scim, 'ada@contoso.example');
    const bob = await createUser(t.scim, 'bob@contoso.example');
    expect((await t.scim.patch(`/Users/${ada}`, patchOps({ op: 'replace', path: 'active', value: false }))).status).toBe(200);
    const group = await t.scim.post('/Groups', { schemas: [GROUP], displayName: 'Sales', members: [{ value: ada }, { value: bob }] });
    expect(group.status).toBe(201);
    expect((await t.scim.delete(`/Users/${bob}`)).status).toBe(204);
    await relayed(t.tenantId);

    const log = await logOf(t.tenantId);
    const { events, cursor } = await drain(t);
    // everything, once, in the log's order: a page boundary neither skips nor repeats
    expect(events.map((e) => e.id)).toEqual(log.map((e) => e.id));
    const perResource = new Map<string, number[]>();
    for (const e of events) {
      expect(e.tenantid).toBe(t.tenantId);
      const key = e.type.includes('.group.') ? `g:${e.data.groupId}` : `u:${e.data.userId}`;
      perResource.set(key, [...(perResource.get(key) ?? []), e.sequence]);
    }
    expect(perResource.get(`u:${ada}`)).toEqual([1, 2, 3]);
    expect(perResource.get(`u:${bob}`)).toEqual([1, 2, 3, 4]);
    expect(perResource.get(`g:${group.body.id}`)).toEqual([1]);
    expect(events.filter((e) => e.data.userId === bob).map((e) => e.type)).toEqual([
      'dev.scimflow.user.created.v1',
      'dev.scimflow.membership.added.v1',
      'dev.scimflow.membership.removed.v1',
      'dev.scimflow.user.deleted.v1',
    ]);

    // small pages: same events, each page's cursor continues exactly after it
    const paged: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await t.client.page({ after, limit: 2 });
      paged.push(...page.events.map((e) => e.event.id));
      expect(page.events.length ? page.events[page.events.length - 1].cursor : page.cursor).toBe(page.cursor);
      after = page.cursor;
      if (!page.more) break;
    }
    expect(paged).toEqual(log.map((e) => e.id));
    // resuming from an event's own cursor continues with the next event
    const third = (await t.client.page({ limit: 3 })).events[2];
    expect((await t.client.page({ after: third.cursor, limit: 1 })).events[0].event.id).toBe(log[3].id);

    // types: exact and prefix; the cursor moves past what the filter left out
    const groupsOnly = await t.client.page({ types: ['dev.scimflow.group.*'] });
    expect(groupsOnly.events.map((e) => e.event.type)).toEqual(['dev.scimflow.group.created.v1']);
    expect(groupsOnly.cursor).toBe(cursor);
    const deletions = await t.client.page({ types: ['dev.scimflow.user.deleted.v1', 'dev.scimflow.user.deactivated.v1'] });
    expect(deletions.events.map((e) => [e.event.type, e.event.data.userId])).toEqual([
      ['dev.scimflow.user.deactivated.v1', ada],
      ['dev.scimflow.user.deleted.v1', bob],
    ]);

    // nothing new: answered at once without wait; with wait it holds, then answers within a second of a write
    const idle = Date.now();
    expect((await t.client.page({ after: cursor })).events).toEqual([]);
    expect(Date.now() - idle).toBeLessThan(1000);
    const polling = t.client.page({ after: cursor, waitSeconds: 20 }).then((page) => ({ page, at: Date.now() }));
    await sleep(700);
    const carol = await createUser(t.scim, 'carol@contoso.example');
    const written = Date.now();
    const { page, at } = await polling;
    expect(page.events.map((e) => [e.event.type, e.event.data.userId])).toEqual([['dev.scimflow.user.created.v1', carol]]);
    expect(at - written).toBeLessThan(1000);
    // a filtered long-poll is not answered by an event it filters out
    const groupPoll = t.client.page({ after: page.cursor, waitSeconds: 2, types: ['dev.scimflow.group.*'] });
    await createUser(t.scim, 'dave@contoso.example');
    expect((await groupPoll).events).toEqual([]);

    // the consumer's position and lag: admin API, scimctl, metric
    await t.client.page({ after: page.cursor });
    const consumers = await admin('GET', `/tenants/${t.tenantId}/event-consumers`);
    expect(consumers.status).toBe(200);
    expect(consumers.body).toEqual([
      expect.objectContaining({ id: t.credentialId, description: 'events order consumer', lagEvents: 1, lastReadAt: expect.any(String) }),
    ]);
    const lines: string[] = [];
    await eventConsumersVerb.run(['--tenant', t.tenantId], { config: validateConfig(ScimctlConfig, process.env), out: (l) => lines.push(l) });
    expect(lines.map((l) => JSON.parse(l))).toEqual([expect.objectContaining({ id: t.credentialId, lagEvents: 1, position: consumers.body[0].position })]);
    const metrics = await (await fetch(`${await system.ingress.getUrl()}/metrics`)).text();
    expect(sample(metrics, 'scimflow_events_api_consumer_lag', { tenant: t.tenantId, consumer: t.credentialId })).toBe(1);
  }, 60_000);

  it('answers 410 with a resync hint for a cursor older than the retention, also after the partition is dropped', async () => {
    const t = await tenant('events retention');
    const zero = encodeEventsCursor(t.tenantId, '0');
    await createUser(t.scim, 'old@contoso.example');
    await relayed(t.tenantId);
    const oldEvent = (await t.client.page()).events[0];
    expect(oldEvent.event.data.userName).toBe('old@contoso.example');
    expect((await t.client.page({ after: zero })).events).toHaveLength(1);
    expect((await admin('PUT', `/tenants/${t.tenantId}/events-retention`, { days: 1 })).body).toEqual({ days: 1 });
    expect((await admin('GET', `/tenants/${t.tenantId}/events-retention`)).body).toEqual({ days: 1 });
    expect((await admin('PUT', `/tenants/${t.tenantId}/events-retention`, { days: 0 })).status).toBe(400);
    // the event is now older than a day (kept inside the partitions that exist: yesterday's at the oldest)
    await system.db.query(
      `UPDATE tenant_events SET created_at = greatest(now() - interval '25 hours', date_trunc('day', now()) - interval '1 day' + interval '1 second') WHERE tenant_id = $1`,
      [t.tenantId],
    );
    await createUser(t.scim, 'new@contoso.example');
    await relayed(t.tenantId);

    // no cursor: from the oldest retained event; the expired event's own cursor lost nothing after it
    expect((await t.client.page()).events.map((e) => e.event.data.userName)).toEqual(['new@contoso.example']);
    expect((await t.client.page({ after: oldEvent.cursor })).events.map((e) => e.event.data.userName)).toEqual(['new@contoso.example']);
    // a cursor before it did: 410, a SCIM error that says to resync
    const lost = await api(t.credential, `/api/v1/events?after=${zero}`);
    expect(lost.status).toBe(410);
    const body = (await lost.json()) as { schemas: string[]; status: string; detail: string };
    expect(body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
    expect(body.status).toBe('410');
    expect(body.detail).toMatch(/retention \(1 days\).*Resync: load the state .*eventsCursor/);
    await expect(t.client.page({ after: zero })).rejects.toBeInstanceOf(CursorExpiredError);
    await expect(t.client.page({ after: 'garbage' })).rejects.toBeInstanceOf(EventsApiError);

    // the state pull's cursor is past the horizon: following from it works
    const state = await t.client.state();
    expect(state.users.map((u) => u.user.userName).sort()).toEqual(['new@contoso.example', 'old@contoso.example']);
    expect((await t.client.page({ after: state.eventsCursor })).events).toEqual([]);

    // dropping the partitions past every tenant's retention records the horizon: a cursor before it stays 410, not empty
    const events = new TenantEvents(system.db);
    const dropped = await events.dropExpired(new Date(Date.now() + 400 * 86_400_000));
    await events.ensurePartitions(new Date(), 3);
    expect(dropped.length).toBeGreaterThan(0);
    expect((await api(t.credential, `/api/v1/events?after=${oldEvent.cursor}`)).status).toBe(410);
    expect((await t.client.page()).events).toEqual([]);
    const afterDrop = await t.client.state();
    expect(afterDrop.users).toHaveLength(2);
    await createUser(t.scim, 'later@contoso.example');
    await relayed(t.tenantId);
    expect((await t.client.page({ after: afterDrop.eventsCursor })).events.map((e) => e.event.data.userName)).toEqual(['later@contoso.example']);
  }, 60_000);

  it("holds a tenant's events while its delivery is paused, and answers them in order on resume", async () => {
    const t = await tenant('events paused');
    const ada = await createUser(t.scim, 'ada@contoso.example');
    await relayed(t.tenantId);
    const { cursor } = await drain(t);
    expect((await admin('POST', `/tenants/${t.tenantId}/delivery/pause`)).status).toBe(200);
    for (const title of ['one', 'two', 'three'])
      expect((await t.scim.patch(`/Users/${ada}`, patchOps({ op: 'replace', path: 'title', value: title }))).status).toBe(200);
    expect((await t.client.page({ after: cursor, waitSeconds: 1.5 })).events).toEqual([]);
    const polling = t.client.page({ after: cursor, waitSeconds: 20 });
    expect((await admin('POST', `/tenants/${t.tenantId}/delivery/resume`)).status).toBe(200);
    const page = await polling;
    const rest = (await drain(t, page.cursor)).events;
    expect([...page.events.map((e) => e.event), ...rest].map((e) => [e.sequence, (e.data.user as { title?: string }).title])).toEqual([
      [2, 'one'],
      [3, 'two'],
      [4, 'three'],
    ]);
  }, 60_000);

  it('a state pull followed by the events from its cursor loses and repeats nothing while writes go on', async () => {
    const t = await tenant('events state');
    const userIds: string[] = [];
    for (let i = 0; i < 24; i++) userIds.push(await createUser(t.scim, `seed${i}@contoso.example`));
    const groupIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const g = await t.scim.post('/Groups', { schemas: [GROUP], displayName: `seed group ${i}`, members: groupMembers(userIds.slice(i * 5, i * 5 + 5)) });
      expect(g.status).toBe(201);
      groupIds.push(g.body.id);
    }
    const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
    let writing = true;
    let n = 0;
    const writer = async () => {
      while (writing) {
        const i = n++;
        const op = i % 9;
        if (op === 0) userIds.push(await createUser(t.scim, `new${i}@contoso.example`).catch(() => ''));
        else if (op === 1) await t.scim.delete(`/Users/${userIds.splice(Math.floor(Math.random() * userIds.length), 1)[0]}`);
        else if (op === 2) await t.scim.patch(`/Groups/${pick(groupIds)}`, patchOps({ op: 'add', path: 'members', value: [{ value: pick(userIds) }] }));
        else if (op === 3) await t.scim.patch(`/Groups/${pick(groupIds)}`, patchOps({ op: 'remove', path: `members[value eq "${pick(userIds)}"]` }));
        else if (op === 4) await t.scim.patch(`/Groups/${pick(groupIds)}`, patchOps({ op: 'replace', path: 'displayName', value: `group ${i}` }));
        else if (op === 5 && i % 4 === 1) {
          const g = await t.scim.post('/Groups', { schemas: [GROUP], displayName: `made ${i}`, members: [{ value: pick(userIds) }] });
          if (g.status === 201) groupIds.push(g.body.id);
        } else if (op === 6 && i % 5 === 1 && groupIds.length > 2)
          await t.scim.delete(`/Groups/${groupIds.splice(Math.floor(Math.random() * groupIds.length), 1)[0]}`);
        else
          await t.scim.patch(
            `/Users/${pick(userIds)}`,
            patchOps({ op: 'replace', path: op === 7 ? 'active' : 'title', value: op === 7 ? Math.random() < 0.5 : `t${i}` }),
          );
      }
    };
    const writers = Promise.all([writer(), writer(), writer()]);
    await sleep(400);

    // small pages: the pull spans many snapshots while the writers go on
    const slowPull = new ScimflowEventsClient({
      baseUrl: system.baseUrl,
      credential: t.credential,
      fetch: (async (url: string, init: RequestInit) => (await sleep(150), fetch(url, init))) as typeof fetch,
    });
    const snapshot = await slowPull.state({ pageSize: 4 });
    const versions = snapshotVersions(snapshot);
    const users = new Map(snapshot.users.map((u) => [u.id, { userName: u.user.userName, active: u.user.active, version: u.version }]));
    const groups = new Map(snapshot.groups.map((g) => [g.id, { displayName: g.group.displayName, version: g.version }]));
    const pairs = new Set(snapshot.groups.flatMap((g) => g.members.map((u) => `${g.id}|${u}`)));
    const applied = new Map<string, number[]>();
    const apply = (e: ChangeEvent) => {
      const d = e.data as Record<string, any>;
      const kind = e.type.split('.')[2];
      const key = kind === 'group' ? `group:${d.groupId}` : `user:${d.userId}`;
      applied.set(key, [...(applied.get(key) ?? []), e.sequence]);
      const user = users.get(d.userId);
      if (kind === 'user') {
        if (e.type.endsWith('deleted.v1')) {
          users.delete(d.userId);
          for (const p of pairs) if (p.endsWith(`|${d.userId}`)) pairs.delete(p);
        } else users.set(d.userId, { userName: d.userName, active: d.active, version: e.sequence });
      } else if (kind === 'membership') {
        if (user) user.version = e.sequence;
        if (e.type.endsWith('added.v1')) pairs.add(`${d.groupId}|${d.userId}`);
        else pairs.delete(`${d.groupId}|${d.userId}`);
      } else if (e.type.endsWith('deleted.v1')) {
        groups.delete(d.groupId);
        for (const p of pairs) if (p.startsWith(`${d.groupId}|`)) pairs.delete(p);
      } else {
        groups.set(d.groupId, { displayName: d.displayName, version: e.sequence });
        for (const u of d.members?.added ?? []) pairs.add(`${d.groupId}|${u}`);
        for (const u of d.members?.removed ?? []) pairs.delete(`${d.groupId}|${u}`);
      }
    };

    const abort = new AbortController();
    const stream = t.client.events({ after: snapshot.eventsCursor, waitSeconds: 1, signal: abort.signal });
    let skipped = 0;
    const follower = (async () => {
      try {
        for await (const e of stream)
          if (isReflectedIn(e, versions)) skipped++;
          else apply(e);
      } catch (e) {
        if (!abort.signal.aborted) throw e;
      }
    })();
    await sleep(2500);
    writing = false;
    await writers;
    await relayed(t.tenantId);
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; await sleep(200))
      if (!(await t.client.page({ after: stream.cursor })).events.length) break;
    await sleep(300);
    abort.abort();
    await follower;
    expect(n).toBeGreaterThan(30);

    // nothing lost: the replica is the database
    const dbUsers: { id: string; user_name: string; active: boolean; version: number }[] = await system.db.query(
      `SELECT id::text, user_name, active, version FROM scim_users WHERE tenant_id = $1 AND deleted_at IS NULL`,
      [t.tenantId],
    );
    expect(new Map(dbUsers.map((u) => [u.id, { userName: u.user_name, active: u.active, version: u.version }]))).toEqual(users);
    const dbGroups: { id: string; display_name: string; version: number }[] = await system.db.query(
      `SELECT id::text, display_name, version FROM scim_groups WHERE tenant_id = $1`,
      [t.tenantId],
    );
    expect(new Map(dbGroups.map((g) => [g.id, { displayName: g.display_name, version: g.version }]))).toEqual(groups);
    const dbPairs: { p: string }[] = await system.db.query(`SELECT group_id::text || '|' || user_id::text AS p FROM scim_group_members WHERE tenant_id = $1`, [
      t.tenantId,
    ]);
    expect([...pairs].sort()).toEqual(dbPairs.map((r) => r.p).sort());
    // nothing twice: per resource the applied sequences follow on from the version loaded, without repeats or gaps
    for (const [key, seqs] of applied) {
      const loaded = versions.get(key);
      const first = loaded === undefined ? seqs[0] : loaded + 1;
      expect([key, seqs]).toEqual([key, seqs.map((_, i) => first + i)]);
    }
    // the writes really overlapped the pull: some events were already in the snapshot
    expect(skipped).toBeGreaterThan(0);
  }, 90_000);

  it('a consumer following the events across a restart of every app loses and repeats nothing', async () => {
    const t = await tenant('events restart');
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await createUser(t.scim, `r${i}@contoso.example`));
    const received: ChangeEvent[] = [];
    const abort = new AbortController();
    const stream = t.client.events({ waitSeconds: 5, signal: abort.signal });
    const consumer = (async () => {
      try {
        for await (const e of stream) received.push(e);
      } catch (e) {
        if (!abort.signal.aborted) throw e;
      }
    })();
    let writing = true;
    let n = 0;
    const writer = async () => {
      // failures while the apps are down are expected: whatever was applied is in the database, which is compared below
      while (writing) await t.scim.patch(`/Users/${ids[n % ids.length]}`, patchOps({ op: 'replace', path: 'title', value: `w${n++}` })).catch(() => sleep(100));
    };
    const writers = Promise.all([writer(), writer()]);
    await sleep(1500);
    await system.restart(500);
    await sleep(1500);
    writing = false;
    await writers;
    await relayed(t.tenantId);
    const log = await logOf(t.tenantId);
    for (const deadline = Date.now() + 20_000; Date.now() < deadline && received.length < log.length;) await sleep(100);
    await sleep(500); // a repeat would arrive now
    abort.abort();
    await consumer;

    expect(received.map((e) => e.id)).toEqual(log.map((e) => e.id));
    const versions: { id: string; version: number }[] = await system.db.query(`SELECT id::text, version FROM scim_users WHERE tenant_id = $1`, [t.tenantId]);
    for (const { id, version } of versions)
      expect([id, received.filter((e) => e.data.userId === id).map((e) => e.sequence)]).toEqual([id, Array.from({ length: version }, (_, i) => i + 1)]);
    expect(received.length).toBeGreaterThan(20);
  }, 120_000);
});
