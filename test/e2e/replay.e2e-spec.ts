import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createKafka, ensureTopics, parseBrokers } from '../../libs/messaging/src';
import { ScimctlConfig, validateConfig } from '../../libs/config/src';
import { contractValidator } from '../../libs/contracts/src/schemas/test-helpers';
import { replayCommands, replayCommandsVerb, parseReplayCommandsArgs } from '../../apps/scimctl/src/verbs/replay-commands.verbs';
import { parseReplayEventsArgs, replayEventsFromCli as replayEvents } from '../../apps/scimctl/src/verbs/replay-events.verbs';
import { rebuildVerb } from '../../apps/scimctl/src/verbs/rebuild.verbs';
import { useSystem } from '../support/system';
import { patchOps, ScimClient } from '../support/scim-client';
import { useReceiver } from '../support/webhook-receiver';
import { adminRequest } from '../support/admin-client';

/**
 * `scimctl replay commands` on real Kafka and Postgres: commands go through the running system, then the reconciler
 * is stopped and the commands topic is re-applied through the same use cases.
 */
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ADMIN_TOKEN = randomBytes(32).toString('base64url');

describe('replay commands (e2e)', () => {
  const system = useSystem({ env: { ADMIN_TOKEN } });
  const receiver = useReceiver();
  let tenantId: string;
  let client: ScimClient;
  let start: string;
  const ids: Record<string, string> = {};

  /** users, groups and memberships of the tenant, without timestamps (a re-applied command gets a new time). */
  async function stateHash(): Promise<string> {
    const users = await system.db.query(`SELECT id, user_name, active, document - 'meta' AS d, version FROM scim_users WHERE tenant_id = $1 ORDER BY id`, [
      tenantId,
    ]);
    const groups = await system.db.query(`SELECT id, display_name, document - 'meta' AS d, version FROM scim_groups WHERE tenant_id = $1 ORDER BY id`, [
      tenantId,
    ]);
    const members = await system.db.query(`SELECT group_id, user_id FROM scim_group_members WHERE tenant_id = $1 ORDER BY 1, 2`, [tenantId]);
    return createHash('sha256').update(JSON.stringify({ users, groups, members })).digest('hex');
  }
  /** the last outbox row id: published rows are deleted, ids keep growing */
  const outboxCount = async () => Number((await system.db.query(`SELECT coalesce(max(id), 0)::bigint AS n FROM outbox_events`))[0].n);
  const config = () => validateConfig(ScimctlConfig, process.env);
  const replay = async (args: string[]) => {
    const lines: string[] = [];
    await replayCommandsVerb.run(args, { config: config(), out: (l) => lines.push(l) });
    return JSON.parse(lines[0]);
  };

  beforeAll(async () => {
    start = new Date(Date.now() - 1000).toISOString();
    const tenant = await system.createTenant('e2e replay', [receiver.url]);
    tenantId = tenant.tenantId;
    client = new ScimClient(tenant.scimBaseUrl, tenant.token);
    for (const name of ['ada', 'bob', 'cy']) {
      const r = await client.post('/Users', { schemas: [USER], userName: `${name}@example.com`, externalId: `ext-${name}`, active: true });
      expect(r.status).toBe(201);
      ids[name] = r.body.id;
    }
    expect((await client.patch(`/Users/${ids.cy}`, patchOps({ op: 'replace', path: 'active', value: false }))).status).toBe(200);
    const g = await client.post('/Groups', { schemas: [GROUP], displayName: 'Ops', members: [{ value: ids.ada }, { value: ids.bob }] });
    expect(g.status).toBe(201);
    ids.ops = g.body.id;
    // 5 commands → user-changed ×4 (3 created, 1 deactivated), group-changed ×1, membership-changed ×2
    await receiver.waitFor((all) => all.length >= 7);
  });

  it('validates the events a webhook received against the published JSON Schemas', () => {
    const v = contractValidator();
    const byType = { user: 'userChanged', group: 'groupChanged', membership: 'membershipChanged' } as const;
    expect(receiver.received.length).toBeGreaterThanOrEqual(7);
    for (const { body } of receiver.received) {
      const kind = String(body.type).split('.')[2] as keyof typeof byType;
      expect({ type: body.type, errors: v.forTopic(byType[kind], body) }).toEqual({ type: body.type, errors: [] });
    }
  });

  it('refuses while the reconciler is running', async () => {
    await expect(replay(['--from', start, '--tenant', tenantId])).rejects.toThrow(/reconciler is running/);
  });

  it('re-applying everything is a no-op: same state, no new outbox rows', async () => {
    await system.reconciler.close();
    const before = await stateHash();
    const outbox = await outboxCount();
    const result = await replay(['--from', start, '--tenant', tenantId]);
    expect(result).toMatchObject({ applied: 0, alreadyApplied: 5, unreadable: 0 });
    expect(await stateHash()).toBe(before);
    expect(await outboxCount()).toBe(outbox);
  });

  it('after a "restore" that lost a user, --dry-run counts what would apply and the replay restores it with the same event ids', async () => {
    const before = await stateHash();
    // the ids the webhook got when the commands were first applied
    const original: string[] = receiver
      .eventsFor(ids.cy)
      .sort((a, b) => a.sequence - b.sequence)
      .map((e) => e.id);
    expect(original).toHaveLength(2);
    // what a backup taken before cy's commands would lack: the user and the records of its commands
    await system.db.query(`DELETE FROM scim_users WHERE id = $1`, [ids.cy]);
    await system.db.query(`DELETE FROM processed_commands WHERE resource_id = $1`, [ids.cy]);
    expect(await stateHash()).not.toBe(before);

    const dry = await replay(['--from', start, '--tenant', tenantId, '--dry-run']);
    expect(dry).toMatchObject({ dryRun: true, total: expect.any(Number), applied: 2, alreadyApplied: 3 });
    expect(dry.perTenant[tenantId]).toEqual({ create: { applied: 1, alreadyApplied: 3 }, patch: { applied: 1, alreadyApplied: 0 } });
    expect(await system.db.query(`SELECT 1 FROM scim_users WHERE id = $1`, [ids.cy])).toHaveLength(0);

    const outbox = await outboxCount();
    const result = await replay(['--from', start, '--tenant', tenantId]);
    expect(result).toMatchObject({ applied: 2, alreadyApplied: 3, events: 2 });
    expect(await stateHash()).toBe(before);
    const reemitted: string[] = (
      await system.db.query(
        `SELECT payload->>'id' AS id FROM outbox_events WHERE payload->>'subject' LIKE $1 AND outbox_events.id > $2 ORDER BY outbox_events.id`,
        [`%/users/${ids.cy}`, outbox],
      )
    ).map((r: { id: string }) => r.id);
    expect(reemitted).toEqual(original);

    // and once more: nothing left to do
    expect(await replay(['--from', start, '--tenant', tenantId])).toMatchObject({ applied: 0, alreadyApplied: 5 });
  });

  it('--tenant filters, and explicit partition offsets beyond the end read nothing', async () => {
    const other = await replayCommands(config(), system.db, {
      ...parseReplayCommandsArgs(['--from', start, '--tenant', '00000000-0000-4000-8000-00000000dead']),
    });
    expect(other.applied + other.alreadyApplied).toBe(0);
    expect(other.skippedOtherTenant).toBeGreaterThanOrEqual(5);
    const none = await replayCommands(config(), system.db, parseReplayCommandsArgs(['--from', '0:999999999']));
    expect(none.total).toBe(0);
  });

  it('replay events re-delivers the past events to the subscription, marked as replays, once per replay key', async () => {
    const [{ id: subscriptionId }] = await system.db.query(`SELECT id FROM webhook_subscriptions WHERE tenant_id = $1`, [tenantId]);
    const originals = receiver.received.filter((r) => !r.headers['webhook-replay']).map((r) => r.body.id as string);
    expect(originals.length).toBeGreaterThanOrEqual(7);
    const args = ['--from', start, '--subscription', subscriptionId];
    const progress = jest.spyOn(process.stderr, 'write');
    let written: string[] = [];
    const first = await replayEvents(config(), system.db, parseReplayEventsArgs(args)).finally(() => {
      written = progress.mock.calls.map(([chunk]) => String(chunk));
      progress.mockRestore();
    });
    expect(first).toMatchObject({ matched: originals.length, queued: originals.length, alreadyQueued: 0 });
    // progress lines of each topic count that topic's records only
    const lines = written.filter((l) => l.includes('replay events'));
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const line of lines) {
      const [, done, planned] = /: (\d+)\/(\d+) records/.exec(line)!;
      expect(Number(done)).toBeLessThanOrEqual(Number(planned));
    }
    await receiver.waitFor((all) => all.filter((r) => r.headers['webhook-replay'] === 'true').length >= originals.length);
    const replays = receiver.received.filter((r) => r.headers['webhook-replay'] === 'true');
    expect(replays.map((r) => r.body.id).sort()).toEqual([...originals].sort());
    for (const r of replays) expect(r.headers['webhook-id']).toBe(`replay_${first.replayKey}_${r.body.id}`);
    // re-running the same replay queues nothing; another key is another replay
    expect(await replayEvents(config(), system.db, parseReplayEventsArgs(args))).toMatchObject({ queued: 0, alreadyQueued: originals.length });
    const again = await replayEvents(config(), system.db, parseReplayEventsArgs([...args, '--replay-key', 'second']));
    expect(again).toMatchObject({ queued: originals.length, replayKey: 'second' });
  });

  it('the admin API counts a replay first (dry run), then runs it in the background with its progress readable', async () => {
    const admin = (method: string, path: string, body?: unknown) => adminRequest(system.baseUrl, ADMIN_TOKEN, method, path, body);
    const [{ id: subscriptionId }] = await system.db.query(`SELECT id FROM webhook_subscriptions WHERE tenant_id = $1`, [tenantId]);
    const originals = receiver.received.filter((r) => !r.headers['webhook-replay']).map((r) => r.body.id as string);
    // the test before queued two replays of them (two replay keys): let those arrive first
    const replayed = () => receiver.received.filter((r) => r.headers['webhook-replay'] === 'true').length;
    await receiver.waitFor(() => replayed() >= 2 * originals.length);
    const replaysBefore = replayed();

    const dry = await admin('POST', `/subscriptions/${subscriptionId}/replays`, { from: start, dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ matched: originals.length });
    expect(dry.body.read).toBeGreaterThanOrEqual(originals.length);
    // a dry run queues nothing
    await new Promise((r) => setTimeout(r, 300));
    expect(replayed()).toBe(replaysBefore);

    const started = await admin('POST', `/subscriptions/${subscriptionId}/replays`, { from: start });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ subscriptionId, tenantId, state: 'running' });
    let replay = started.body;
    const deadline = Date.now() + 30_000;
    while (replay.state === 'running' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      replay = (await admin('GET', `/replays/${started.body.id}`)).body;
    }
    expect(replay).toMatchObject({ state: 'done', matched: originals.length, queued: originals.length, alreadyQueued: 0, error: null });
    expect(replay.read).toBe(replay.planned);
    await receiver.waitFor(() => replayed() >= replaysBefore + originals.length);
    expect((await admin('GET', `/subscriptions/${subscriptionId}/replays`)).body.map((r: { id: string }) => r.id)).toEqual([started.body.id]);

    // the same range again queues nothing twice
    const again = await admin('POST', `/subscriptions/${subscriptionId}/replays`, { from: start });
    let second = again.body;
    while (second.state === 'running' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      second = (await admin('GET', `/replays/${again.body.id}`)).body;
    }
    expect(second).toMatchObject({ state: 'done', queued: 0, alreadyQueued: originals.length });

    // refused: bad times, unknown subscription, unknown replay
    expect((await admin('POST', `/subscriptions/${subscriptionId}/replays`, { from: 'yesterday' })).status).toBe(400);
    expect((await admin('POST', `/subscriptions/${subscriptionId}/replays`, { from: start, to: '2000-01-01T00:00:00Z' })).status).toBe(400);
    expect((await admin('POST', `/subscriptions/${randomUUID()}/replays`, { from: start, dryRun: true })).status).toBe(404);
    expect((await admin('GET', `/replays/${randomUUID()}`)).status).toBe(404);
    expect((await admin('GET', `/replays/not-a-uuid`)).status).toBe(404);
  });

  it('rebuild --tenant finds no difference on a healthy tenant, one after a manual row edit, and drops its schema', async () => {
    const rebuild = async (args: string[]) => {
      const lines: string[] = [];
      await rebuildVerb.run(args, { config: config(), out: (l) => lines.push(l) });
      return lines.map((l) => JSON.parse(l));
    };
    const healthy = await rebuild(['--tenant', tenantId]);
    expect(healthy).toHaveLength(1);
    expect(healthy[0]).toMatchObject({ tenantId, differences: 0, kept: false, commands: { applied: 5, alreadyApplied: 0 } });
    expect(await system.db.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [healthy[0].schema])).toHaveLength(0);

    await system.db.query(`UPDATE scim_users SET active = NOT active WHERE id = $1`, [ids.bob]);
    await system.db.query(`DELETE FROM scim_group_members WHERE group_id = $1 AND user_id = $2`, [ids.ops, ids.ada]);
    const broken = await rebuild(['--tenant', tenantId, '--keep']);
    expect(broken.slice(0, -1)).toEqual([
      { kind: 'membership', id: `${ids.ops}/${ids.ada}`, difference: 'only-rebuilt' },
      { kind: 'user', id: ids.bob, difference: 'differs', fields: { active: { live: false, rebuilt: true } } },
    ]);
    const summary = broken[broken.length - 1];
    expect(summary).toMatchObject({ differences: 2, kept: true });
    expect(await system.db.query(`SELECT count(*)::int AS n FROM "${summary.schema}".scim_users`)).toEqual([{ n: 3 }]);
    await system.db.query(`DROP SCHEMA "${summary.schema}" CASCADE`);
  });

  it('replay events --to-topic re-publishes the events with their keys, marked as replays', async () => {
    const target = `${process.env.KAFKA_TOPIC_PREFIX ?? ''}replay-target-${randomUUID().slice(0, 8)}`;
    const kafka = createKafka({ brokers: parseBrokers(config().KAFKA_BROKERS), clientId: 'e2e-replay' });
    await ensureTopics(kafka, [{ name: target, partitions: 3 }]);
    const result = await replayEvents(config(), system.db, parseReplayEventsArgs(['--from', start, '--tenant', tenantId, '--to-topic', target]));
    expect(result.republished).toBeGreaterThanOrEqual(7);
    const consumer = kafka.consumer({ groupId: `e2e-${randomUUID()}` });
    const got: { key: string; id: string; replay?: string }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: target, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        got.push({ key: message.key!.toString(), id: JSON.parse(message.value!.toString()).id, replay: message.headers?.['webhook-replay']?.toString() });
      },
    });
    const deadline = Date.now() + 20_000;
    while (got.length < result.republished && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await consumer.disconnect();
    expect(got).toHaveLength(result.republished);
    for (const g of got) {
      expect(g.replay).toBe('true');
      expect(g.key.startsWith(`${tenantId}:`)).toBe(true);
    }
  });
});
