import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../data-source';
import { useDatabase } from '../../../../test/support/medium/database';
import { TenantEvents } from '../events/tenant-events';
import { Outbox } from './outbox';
import { OutboxRelayStore, RelayLease } from './outbox-relay-store';
import { ParkedRecords } from './parked-records';

const db = useDatabase();

const storeOn = (ds: DataSource) => new OutboxRelayStore(ds, new Outbox(), new TenantEvents(ds), new ParkedRecords(ds));

describe('OutboxRelayStore (Postgres)', () => {
  let other: DataSource;
  const leases: RelayLease[] = [];
  const lead = async (store: OutboxRelayStore) => {
    const lease = await store.tryLead();
    if (lease) leases.push(lease);
    return lease;
  };

  beforeAll(async () => {
    // another reconciler instance: its own pool
    other = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!, { extra: { max: 2 } })).initialize();
  });
  afterEach(async () => {
    for (const lease of leases.splice(0)) await lease.release();
  });
  afterAll(async () => {
    await other?.destroy();
  });

  it('lets one relay lead at a time, also within one pool, until its lease is released', async () => {
    const mine = storeOn(db());
    const lease = await lead(mine);
    expect(lease).toBeDefined();
    expect(await lead(storeOn(other))).toBeUndefined();
    expect(await lead(mine)).toBeUndefined();
    await lease!.release();
    await lease!.release(); // once
    const next = await lead(storeOn(other));
    expect(next).toBeDefined();
  });

  it('hands the leader the pending events, and after a round removes the published ones and parks the refused one', async () => {
    const store = storeOn(db());
    const lease = (await lead(store))!;
    // the spec files share the medium tier's database: what others left unpublished is not this test's, so that the
    // outbox's age below is this test's alone
    await db().query(`UPDATE outbox_events SET published_at = now() WHERE published_at IS NULL`);
    const keys = [`${randomUUID()}:a`, `${randomUUID()}:b`];
    await db().transaction((em) =>
      new Outbox().append(em, [
        { topic: 'scim.user-changed', key: keys[0], payload: { n: 1 } },
        { topic: 'scim.user-changed', key: keys[1], payload: { n: 2 } },
        { topic: 'scim.user-changed', key: keys[1], payload: { n: 3 } },
      ]),
    );
    const pending = (await lease.pending(500)).filter((r) => keys.includes(r.key));
    expect(pending.map((r) => [r.key, r.value])).toEqual([
      [keys[0], '{"n":1}'],
      [keys[1], '{"n":2}'],
      [keys[1], '{"n":3}'],
    ]);
    expect(await lease.depth()).toBeGreaterThanOrEqual(3);

    await lease.recordPublishing([pending[0].id], [{ outboxId: pending[1].id, topic: pending[1].topic, key: keys[1], bytes: 7, error: 'too large' }]);
    // published: gone; refused: parked, and its key's later event waits behind it
    expect((await lease.pending(500)).filter((r) => keys.includes(r.key))).toEqual([]);
    expect((await new ParkedRecords(db()).list({ stage: 'relay' })).filter((p) => p.key === keys[1])).toMatchObject([
      { outboxId: pending[1].id, error: 'too large' },
    ]);
    expect(await store.oldestUnpublishedAgeSeconds()).toBe(0);
  });

  it('rolls a failed round back whole and keeps leading on a usable connection', async () => {
    const lease = (await lead(storeOn(db())))!;
    const key = `${randomUUID()}:c`;
    await db().transaction((em) => new Outbox().append(em, [{ topic: 'scim.user-changed', key, payload: { n: 4 } }]));
    const [event] = (await lease.pending(500)).filter((r) => r.key === key);

    await expect(lease.recordPublishing([event.id], [{ outboxId: 'not a number', topic: event.topic, key, bytes: 1, error: 'x' }])).rejects.toThrow();
    expect((await lease.pending(500)).filter((r) => r.key === key)).toEqual([event]);
    expect(await lead(storeOn(other))).toBeUndefined();
  });
});
