import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { COMMAND_SCHEMA_VERSION, UnstampedCommand, ProvisioningCommand, resourceKey, topicName } from '../../libs/contracts/src';
import { classifyFailure, KeyPartitioner, partitionOfKey } from '../../libs/messaging/src';
import { ParkedCommands } from '../../libs/persistence/src';
import { storesOn } from '../../bench/tenants';
import { run as scimctl } from '../../apps/scimctl/src/main';
import { PATCH_OP, patchOps, ScimClient } from '../support/scim-client';
import { useSystem } from '../support/system';
import { useReceiver } from '../support/webhook-receiver';

/**
 * Fault isolation on the real pipeline: a command that fails the same way every time is answered and recorded, and
 * its partition goes on; a command that keeps failing transiently (a row lock held elsewhere) is parked with its
 * user's later commands behind it, while every other user goes on, and is applied in order once the cause is gone.
 */
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PARTITIONS = 12;

describe('fault isolation', () => {
  const adminToken = `e2e-admin-${randomUUID()}`;
  const system = useSystem({
    env: {
      DB_LOCK_TIMEOUT_MS: '300',
      COMMAND_TRANSIENT_ATTEMPTS: '2',
      PARKED_RETRY_BASE_MS: '200',
      PARKED_RETRY_MAX_MS: '400',
      PARKED_POLL_MS: '100',
      HEAVY_COMMAND_BYTES: '4096',
      COMMAND_TIMEOUT_MS: '10000',
      ADMIN_TOKEN: adminToken,
    },
  });
  const receiver = useReceiver();
  let scim: ScimClient;
  let tenantId: string;
  let kafka: Kafka;
  let producer: ReturnType<Kafka['producer']>;
  let parked: ParkedCommands;

  beforeAll(async () => {
    ({ tenantId, scim } = await system.createTenant('e2e isolation', [receiver.url]));
    parked = storesOn(system.db).parkedCommands;
    kafka = new Kafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'e2e-isolation', logLevel: logLevel.NOTHING });
    producer = kafka.producer({ createPartitioner: KeyPartitioner });
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
  });

  const createUser = async (userName: string) => {
    const res = await scim.post('/Users', { schemas: [USER], userName, active: true });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const setTitle = (id: string, title: string) => scim.patch(`/Users/${id}`, patchOps({ op: 'replace', path: 'title', value: title }));
  const titleOf = async (id: string) => (await scim.get(`/Users/${id}`)).body.title;

  /** Users until one lands on every partition of the commands topic (the record key is tenant:user). */
  async function usersOnEveryPartition(tag: string): Promise<Map<number, string>> {
    const byPartition = new Map<number, string>();
    for (let i = 0; byPartition.size < PARTITIONS && i < 200; i++) {
      const id = await createUser(`${tag}-${i}@contoso.example`);
      const p = partitionOfKey(resourceKey(tenantId, id), PARTITIONS);
      if (!byPartition.has(p)) byPartition.set(p, id);
    }
    expect(byPartition.size).toBe(PARTITIONS);
    return byPartition;
  }

  /** A command published as another producer would: no ingress validation in front of it, nobody waiting. */
  async function publish(command: UnstampedCommand): Promise<string> {
    const commandId = randomUUID();
    const full: ProvisioningCommand = { v: COMMAND_SCHEMA_VERSION, commandId, issuedAt: new Date().toISOString(), ...command };
    await producer.send({
      topic: topicName('commands', process.env.KAFKA_TOPIC_PREFIX),
      messages: [{ key: resourceKey(command.tenantId, command.resourceId), value: JSON.stringify(full) }],
    });
    return commandId;
  }

  const outcomeOf = async (commandId: string) => {
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      const rows = await system.db.query(`SELECT outcome FROM processed_commands WHERE command_id = $1`, [commandId]);
      if (rows.length) return rows[0].outcome;
    }
    throw new Error(`command ${commandId} got no outcome`);
  };

  it('a value Postgres refuses is answered 400 and recorded; the user and every partition go on', async () => {
    const users = await usersOnEveryPartition('det');
    const victim = users.get(0)!;
    // \u0000 cannot be stored in jsonb: a command nobody can ever apply
    const commandId = await publish({
      tenantId,
      resourceType: 'User',
      resourceId: victim,
      action: 'patch',
      payload: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'nul \u0000 inside' }] },
    });
    const outcome = await outcomeOf(commandId);
    expect(outcome).toMatchObject({ commandId, status: 400, error: { scimType: 'invalidValue' } });
    expect(outcome.error.detail).toMatch(/cannot be stored/);
    const audit = await system.db.query(`SELECT status, outcome FROM audit_log WHERE command_id = $1`, [commandId]);
    expect(audit).toEqual([{ status: 400, outcome: 'failure' }]);

    // nothing stalled: a write on every partition, the victim's included, is applied at once and its event delivered
    const started = Date.now();
    const writes = await Promise.all([...users.values()].map((id) => setTitle(id, `after ${id}`)));
    expect(writes.map((w) => w.status)).toEqual(writes.map(() => 200));
    expect(Date.now() - started).toBeLessThan(5000);
    await receiver.waitFor(() => [...users.values()].every((id) => receiver.eventsFor(id).some((e) => e.data.user?.title === `after ${id}`)), 15_000);
  });

  it('an unreadable record and a command with a malformed id are answered and skipped', async () => {
    const victim = await createUser('skip@contoso.example');
    await producer.send({
      topic: topicName('commands', process.env.KAFKA_TOPIC_PREFIX),
      messages: [
        { key: resourceKey(tenantId, victim), value: '{"not json' },
        { key: resourceKey(tenantId, victim), value: JSON.stringify({ v: 1, commandId: 'x', tenantId, resourceId: victim, action: 'patch' }) },
      ],
    });
    expect((await setTitle(victim, 'still works')).status).toBe(200);
    expect(await titleOf(victim)).toBe('still works');
  });

  describe('a user whose row stays locked', () => {
    let lock: Client;
    let victim: string;
    let bystander: string;

    beforeAll(async () => {
      const users = await usersOnEveryPartition('park');
      victim = users.get(3)!;
      bystander = [...users.values()].find((id) => id !== victim)!;
      // a bystander on the victim's partition too: the partition itself must keep flowing
      for (let i = 0; partitionOfKey(resourceKey(tenantId, bystander), PARTITIONS) !== 3 && i < 200; i++)
        bystander = await createUser(`park-same-${i}@contoso.example`);
      lock = new Client({ connectionString: process.env.DATABASE_URL });
      await lock.connect();
    });

    afterAll(async () => {
      await lock?.end();
    });

    it('is parked with its later commands behind it, writers get 503 at once, everyone else goes on, and it is applied in order afterwards', async () => {
      await lock.query('BEGIN');
      await lock.query('SELECT 1 FROM scim_users WHERE id = $1 FOR UPDATE', [victim]);

      const first = await setTitle(victim, 'first');
      expect(first.status).toBe(503);
      expect(first.headers.get('retry-after')).toBeTruthy();
      expect(first.body.detail).toMatch(/temporary failure/);

      const started = Date.now();
      const second = await setTitle(victim, 'second');
      expect(second.status).toBe(503);
      expect(second.body.detail).toMatch(/waiting/);
      expect(Date.now() - started).toBeLessThan(3000); // not the 10 s command timeout

      // the same partition and every other user go on
      expect((await setTitle(bystander, 'bystander')).status).toBe(200);

      const list = (await parked.list({ tenantId })).reverse();
      expect(list.map((p) => [p.resourceId, p.state])).toEqual([
        [victim, 'failing'],
        [victim, 'waiting'],
      ]);
      expect(list[0].error).toMatch(/lock timeout/);
      expect(list[0].attempts).toBeGreaterThanOrEqual(2);

      // visible to operators through the admin API and the metric
      const admin = await fetch(`${system.baseUrl}/admin/parked-commands?tenantId=${tenantId}`, { headers: { authorization: `Bearer ${adminToken}` } });
      expect(admin.status).toBe(200);
      expect(((await admin.json()) as unknown[]).length).toBe(2);
      const metrics = await (await fetch(`${await system.reconciler.getUrl()}/metrics`)).text();
      expect(metrics).toMatch(/scimflow_parked_commands\{kind="commands"[^}]*\} 2/);

      await lock.query('COMMIT');
      for (const deadline = Date.now() + 10_000; (await parked.list({ tenantId })).length && Date.now() < deadline;)
        await new Promise((r) => setTimeout(r, 100));
      expect(await parked.list({ tenantId })).toEqual([]);
      expect(await titleOf(victim)).toBe('second');
      await receiver.waitFor(() => receiver.eventsFor(victim).some((e) => e.data.user?.title === 'second'), 15_000);
      const titles = receiver
        .eventsFor(victim)
        .map((e) => e.data.user?.title)
        .filter((t) => t === 'first' || t === 'second');
      expect(titles).toEqual(['first', 'second']);
    });

    it('an operator can discard the failing command; the one behind it is then applied', async () => {
      await lock.query('BEGIN');
      await lock.query('SELECT 1 FROM scim_users WHERE id = $1 FOR UPDATE', [victim]);
      expect((await setTitle(victim, 'doomed')).status).toBe(503);
      expect((await setTitle(victim, 'kept')).status).toBe(503);
      // through scimctl: list, then discard the failing one
      const lines: string[] = [];
      await scimctl(['commands', 'parked', '--tenant', tenantId], (l) => lines.push(l));
      const listed = lines.map((l) => JSON.parse(l));
      expect(listed.map((p) => p.state)).toEqual(['waiting', 'failing']);
      const failing = listed[1];
      const out: string[] = [];
      await scimctl(['commands', 'discard', failing.id], (l) => out.push(l));
      expect(JSON.parse(out[0])).toMatchObject({ id: failing.id, commandId: failing.commandId });
      const again = await fetch(`${system.baseUrl}/admin/parked-commands/${failing.id}/discard`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}` },
      });
      expect(again.status).toBe(404);
      expect(await outcomeOf(failing.commandId)).toMatchObject({ status: 500, error: { detail: expect.stringMatching(/discarded by an operator/) } });
      await lock.query('COMMIT');
      for (const deadline = Date.now() + 10_000; (await parked.list({ tenantId })).length && Date.now() < deadline;)
        await new Promise((r) => setTimeout(r, 100));
      expect(await titleOf(victim)).toBe('kept');
      const audit = await system.db.query(`SELECT status, diff FROM audit_log WHERE command_id = $1`, [failing.commandId]);
      expect(audit[0].status).toBe(500);
      expect(audit[0].diff.discarded).toBeDefined();
    });

    it('a heavy command is applied off its partition: the writer gets its answer, the next write of the user follows it, and a stalled one stalls nobody else', async () => {
      const big = 'x'.repeat(6000);
      const putAnswer = await scim.put(`/Users/${victim}`, { schemas: [USER], userName: 'victim-renamed@contoso.example', title: big, active: true });
      const patchAnswer = await setTitle(victim, 'after the big one');
      expect(putAnswer.status).toBe(200);
      expect(putAnswer.body.title).toBe(big);
      expect(patchAnswer.status).toBe(200);
      expect(await titleOf(victim)).toBe('after the big one');
      await receiver.waitFor(() => receiver.eventsFor(victim).some((e) => e.data.user?.title === 'after the big one'), 15_000);
      const versions = receiver.eventsFor(victim).map((e) => e.data.user?.title);
      expect(versions.lastIndexOf(big)).toBeGreaterThanOrEqual(0);
      expect(versions.lastIndexOf(big)).toBeLessThan(versions.lastIndexOf('after the big one'));

      // the heavy command stalls on a lock: the partition does not
      await lock.query('BEGIN');
      await lock.query('SELECT 1 FROM scim_users WHERE id = $1 FOR UPDATE', [victim]);
      const stalled = scim.put(`/Users/${victim}`, { schemas: [USER], userName: 'victim-renamed@contoso.example', title: `${big}!`, active: true });
      await new Promise((r) => setTimeout(r, 300));
      const started = Date.now();
      expect((await setTitle(bystander, 'not held up')).status).toBe(200);
      expect(Date.now() - started).toBeLessThan(1500);
      await lock.query('COMMIT');
      const late = await stalled;
      expect(late.status).toBe(200);
      expect(late.body.title).toBe(`${big}!`);
    });

    it('the lock timeout that parks it is a transient failure from the real driver', async () => {
      await lock.query('BEGIN');
      await lock.query('SELECT 1 FROM scim_users WHERE id = $1 FOR UPDATE', [victim]);
      const other = new Client({ connectionString: process.env.DATABASE_URL });
      await other.connect();
      try {
        await other.query(`SET lock_timeout = '50ms'`);
        const error = await other.query('SELECT 1 FROM scim_users WHERE id = $1 FOR UPDATE', [victim]).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect((error as { code?: string }).code).toBe('55P03');
        expect(classifyFailure(error)).toBe('transient');
        const nul = await other.query(`SELECT $1::jsonb`, ['{"a":"\\u0000"}']).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect((nul as { code?: string }).code).toBe('22P05');
        expect(classifyFailure(nul)).toBe('deterministic');
      } finally {
        await other.end();
        await lock.query('COMMIT');
      }
    });
  });
});
