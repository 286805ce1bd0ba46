import { MAX_RECORD_BYTES, MAX_RESOURCE_DOCUMENT_BYTES, topicName } from '../../libs/contracts/src';
import { ParkedRecords } from '../../libs/persistence/src';
import { ScimClient, patchOps } from '../support/scim-client';
import { useSystem } from '../support/system';
import { useReceiver } from '../support/webhook-receiver';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

/** Every record fits its topic; one that cannot be published is parked, its key waits, every other key flows. */
describe('records fit their topics; what cannot be published is parked', () => {
  const system = useSystem();
  const receiver = useReceiver();
  let scim: ScimClient;
  let tenantId: string;
  let parked: ParkedRecords;

  beforeAll(async () => {
    ({ tenantId, scim } = await system.createTenant('e2e records fit', [receiver.url]));
    parked = new ParkedRecords(system.db);
  });

  const createUser = async (userName: string, extra: object = {}) => {
    const res = await scim.post('/Users', { schemas: [USER], userName, active: true, ...extra });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  /** A user document of about `bytes`, spread over several attributes, each filled with `fill`. */
  const bigAttributes = (bytes: number, fill: string) => {
    const each = Math.floor(bytes / 4);
    return { displayName: fill.repeat(each), nickName: fill.repeat(each), title: fill.repeat(each), name: { formatted: fill.repeat(each) } };
  };

  it('delivers the change event of the largest accepted user, replaced so that every attribute changes', async () => {
    const budget = MAX_RESOURCE_DOCUMENT_BYTES - 4096; // room for schemas, id, meta
    const id = await createUser('largest@records.example', bigAttributes(budget, 'a'));
    const doc = (await system.db.query(`SELECT length(document::text) AS n FROM scim_users WHERE id = $1`, [id]))[0].n;
    expect(doc).toBeGreaterThan(MAX_RESOURCE_DOCUMENT_BYTES * 0.9);
    const replaced = await scim.put(`/Users/${id}`, { schemas: [USER], userName: 'largest-2@records.example', active: false, ...bigAttributes(budget, 'b') });
    expect(replaced.status).toBe(200);
    await receiver.waitFor(() => receiver.eventsFor(id).length >= 2, 60_000);
    const [, update] = receiver.eventsFor(id);
    expect(update.data.userId).toBe(id);
    expect(JSON.stringify(update).length).toBeGreaterThan(2 * MAX_RESOURCE_DOCUMENT_BYTES * 0.9); // before and after
    expect(await parked.list()).toEqual([]);
  });

  it('parks an outbox event the producer must refuse, holds back its key, lets others flow; discard and redrive release the key in order', async () => {
    const held = await createUser('held@records.example');
    await receiver.waitFor(() => receiver.eventsFor(held).length >= 1);
    const topic = topicName('userChanged', process.env.KAFKA_TOPIC_PREFIX ?? '');
    const insertTooLarge = async () =>
      (
        await system.db.query(`INSERT INTO outbox_events (topic, record_key, payload) VALUES ($1, $2, $3::json) RETURNING id`, [
          topic,
          `${tenantId}:${held}`,
          JSON.stringify({ pad: 'x'.repeat(MAX_RECORD_BYTES) }),
        ])
      )[0].id as string;

    const outboxId = await insertTooLarge();
    expect((await scim.patch(`/Users/${held}`, patchOps({ op: 'replace', path: 'title', value: 'after the parked one' }))).status).toBe(200);
    // another user's events flow
    const other = await createUser('other@records.example');
    await receiver.waitFor(() => receiver.eventsFor(other).length >= 1);
    const [record] = await parked.list({ stage: 'relay' });
    expect(record).toMatchObject({ stage: 'relay', topic, key: `${tenantId}:${held}`, outboxId: String(outboxId) });
    expect(record.error).toMatch(/larger than the \d+-byte limit/);
    // the held user's later event waits behind it
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.eventsFor(held)).toHaveLength(1);

    expect(await parked.discard(record.id)).toMatchObject({ id: record.id });
    await receiver.waitFor(() => receiver.eventsFor(held).length >= 2);
    expect(receiver.eventsFor(held)[1].data.after?.title ?? JSON.stringify(receiver.eventsFor(held)[1])).toContain('after the parked one');

    // redrive: the parked event (made publishable here) goes out before the key's later events
    const second = await insertTooLarge();
    expect((await scim.patch(`/Users/${held}`, patchOps({ op: 'replace', path: 'title', value: 'after the redriven one' }))).status).toBe(200);
    let again: { id: string } | undefined;
    for (let i = 0; i < 100 && !again; i++) {
      again = (await parked.list({ stage: 'relay' }))[0];
      if (!again) await new Promise((r) => setTimeout(r, 100));
    }
    expect(again).toBeDefined();
    await system.db.query(`UPDATE outbox_events SET payload = '{"redriven":true}'::json WHERE id = $1`, [second]);
    expect(await parked.redrive(again!.id, async () => undefined)).toMatchObject({ id: again!.id });
    await receiver.waitFor(() => receiver.eventsFor(held).length >= 3);
    expect(JSON.stringify(receiver.eventsFor(held)[2])).toContain('after the redriven one');
    // the redriven record was published: the notifier could not queue it (it is no event) and parked it at intake
    let intake: { source: string | null }[] = [];
    for (let i = 0; i < 100 && intake.length === 0; i++) {
      intake = await parked.list({ stage: 'intake' });
      if (intake.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(intake).toHaveLength(1);
    expect(await system.db.query(`SELECT id FROM outbox_events WHERE record_key = $1`, [`${tenantId}:${held}`])).toEqual([]);
  });
});
