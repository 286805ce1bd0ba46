import { Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { COMMAND_SCHEMA_VERSION, ProvisioningCommand, resourceKey, topicName } from '../../libs/contracts/src';
import { ScimClient, patchOps } from '../support/scim-client';
import { useSystem } from '../support/system';
import { useReceiver } from '../support/webhook-receiver';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

describe('reconciler guarantees', () => {
  const system = useSystem();
  const receiver = useReceiver();
  let scim: ScimClient;
  let tenantId: string;
  let producer: Producer;

  beforeAll(async () => {
    ({ tenantId, scim } = await system.createTenant('e2e guarantees', [receiver.url]));
    producer = new Kafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'e2e', logLevel: logLevel.NOTHING }).producer({
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
  });

  /** Puts a command on the commands topic the way the ingress does, but without waiting for a reply. */
  const deliver = (command: Pick<ProvisioningCommand, 'tenantId' | 'resourceId'>) =>
    producer.send({
      topic: topicName('commands', process.env.KAFKA_TOPIC_PREFIX),
      messages: [{ key: resourceKey(command.tenantId, command.resourceId), value: JSON.stringify(command) }],
    });

  const waitForRow = async (sql: string, params: unknown[], check: (rows: any[]) => boolean) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const rows = await system.db.query(sql, params);
      if (check(rows)) return rows;
      if (Date.now() > deadline) throw new Error(`condition on ${sql} not met: ${JSON.stringify(rows)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('applies a command delivered twice once: one state change, one event', async () => {
    const userId = randomUUID();
    const create: ProvisioningCommand = {
      v: COMMAND_SCHEMA_VERSION,
      commandId: randomUUID(),
      tenantId,
      resourceType: 'User',
      resourceId: userId,
      action: 'create',
      payload: { schemas: [USER], userName: 'twice@contoso.example', active: true },
      issuedAt: new Date().toISOString(),
    };
    const patch = {
      ...create,
      commandId: randomUUID(),
      action: 'patch',
      payload: patchOps({ op: 'add', path: 'title', value: 'once' }),
    };
    await deliver(create);
    await deliver(create);
    await deliver(patch);
    await deliver(patch);
    // a marker command after the duplicates: once it is applied, the duplicates were consumed too
    const marker = { ...create, commandId: randomUUID(), action: 'patch' as const, payload: patchOps({ op: 'add', path: 'nickName', value: 'marker' }) };
    await deliver(marker);

    const [row] = await waitForRow(`SELECT version, document FROM scim_users WHERE id = $1`, [userId], (r) => r[0]?.document?.nickName === 'marker');
    expect(row.version).toBe(3); // create, patch, marker: the duplicates changed nothing
    expect(row.document.title).toBe('once');
    const processed = await system.db.query(`SELECT count(*)::int AS n FROM processed_commands WHERE resource_id = $1`, [userId]);
    expect(processed[0].n).toBe(3);

    await receiver.waitFor(() => receiver.eventsFor(userId).length >= 3);
    await new Promise((r) => setTimeout(r, 500)); // room for a wrongly duplicated event to arrive
    const events = receiver.eventsFor(userId);
    expect(events.map((e) => e.sequence)).toEqual([1, 2, 3]);
    expect(events.map((e) => e.type)).toEqual(['dev.scimflow.user.created.v1', 'dev.scimflow.user.updated.v1', 'dev.scimflow.user.updated.v1']);
  });

  it('keeps per-user order under 200 concurrent interleaved PATCHes to 10 users', async () => {
    const ids: string[] = [];
    for (let u = 0; u < 10; u++) {
      const res = await scim.post('/Users', { schemas: [USER], userName: `order${u}@contoso.example`, active: true });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    // interleaved: request i goes to user i % 10
    const requests = Array.from({ length: 200 }, (_, i) => ({ id: ids[i % 10], title: `t-${i}` }));
    const responses = await Promise.all(
      requests.map(async (r) => ({ ...r, res: await scim.patch(`/Users/${r.id}`, patchOps({ op: 'Replace', path: 'title', value: r.title })) })),
    );
    expect(responses.filter((r) => r.res.status !== 200).map((r) => [r.res.status, r.res.body])).toEqual([]);

    for (const id of ids) {
      const mine = responses.filter((r) => r.id === id);
      const versions = mine.map((r) => Number(/W\/"(\d+)"/.exec(r.res.body.meta.version)![1])).sort((a, b) => a - b);
      expect(versions).toEqual(Array.from({ length: 20 }, (_, i) => i + 2)); // each write applied exactly once
      const last = mine.reduce((a, b) => (a.res.body.meta.version.localeCompare(b.res.body.meta.version, undefined, { numeric: true }) > 0 ? a : b));
      const stored = await scim.get(`/Users/${id}`);
      expect(stored.body.title).toBe(last.title); // final state = last acknowledged write
      expect(stored.body.meta.version).toBe('W/"21"');
    }

    await receiver.waitFor(() => ids.every((id) => receiver.eventsFor(id).length >= 21), 60_000);
    for (const id of ids) {
      const events = receiver.eventsFor(id);
      expect(events.map((e) => e.sequence)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
      // the event stream replays the acknowledged writes in their applied order
      const titles = events.slice(1).map((e) => e.data.user.title);
      const byVersion = responses
        .filter((r) => r.id === id)
        .sort((a, b) => a.res.body.meta.version.localeCompare(b.res.body.meta.version, undefined, { numeric: true }));
      expect(titles).toEqual(byVersion.map((r) => r.title));
    }
  });

  it('keeps delivering in order after the webhook receiver fails for a while', async () => {
    const res = await scim.post('/Users', { schemas: [USER], userName: 'flaky@contoso.example', active: true });
    receiver.failNext = 3;
    for (let i = 0; i < 3; i++) await scim.patch(`/Users/${res.body.id}`, patchOps({ op: 'replace', path: 'title', value: `f${i}` }));
    await receiver.waitFor(() => receiver.eventsFor(res.body.id).length >= 4);
    expect(receiver.eventsFor(res.body.id).map((e) => e.sequence)).toEqual([1, 2, 3, 4]);
  });
});
