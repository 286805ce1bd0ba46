import { randomBytes } from 'node:crypto';
import { patchOps, ScimClient } from '../support/scim-client';
import { useSystem } from '../support/system';
import { useReceiver } from '../support/webhook-receiver';

/**
 * Names that are Object.prototype members, on the whole system (real Kafka and Postgres) for a workforce tenant
 * (which gets the open `…:Metadata:<key>` extension): as Metadata keys they are the customer's data (200, on GET, in
 * filters and in the webhook event); as core attributes they are unknown (400); `__proto__` is no attribute name (400).
 * Either way the user, and every other user, stays writable afterwards.
 */
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const METADATA = 'urn:ietf:params:scim:schemas:extension:2.0:Metadata';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const ADMIN_TOKEN = randomBytes(32).toString('base64url');
const DATA_NAMES = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];

type Event = { id: string; type: string; sequence: number; data: any };

describe('hostile attribute names are data or 400, never a stuck user', () => {
  const system = useSystem({ env: { ADMIN_TOKEN } });
  const receiver = useReceiver();
  let scim: ScimClient;

  beforeAll(async () => {
    const res = await fetch(`${system.baseUrl}/admin/tenants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'e2e hostile names', profile: 'workforce', webhooks: [receiver.url] }),
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { scimBaseUrl: string; token: string };
    scim = new ScimClient(created.scimBaseUrl, created.token);
  });

  let n = 0;
  async function createUser(): Promise<string> {
    const userName = `hostile${++n}@contoso.example`;
    const res = await scim.post('/Users', {
      schemas: [USER],
      userName,
      externalId: `hostile${n}`,
      active: true,
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      emails: [{ primary: true, type: 'work', value: userName }],
      userType: 'Standard',
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  async function eventWith(userId: string, sequence: number): Promise<Event> {
    await receiver.waitFor(() => receiver.eventsFor(userId).some((e) => e.sequence === sequence));
    return receiver.eventsFor(userId).find((e) => e.sequence === sequence) as Event;
  }

  /** A later write of the same user and a write of another user both succeed. */
  async function stillWritable(userId: string) {
    const same = await scim.patch(`/Users/${userId}`, patchOps({ op: 'Replace', path: 'displayName', value: `Ada ${++n}` }));
    expect(same.status).toBe(200);
    const other = await createUser();
    expect((await scim.patch(`/Users/${other}`, patchOps({ op: 'Replace', path: 'title', value: 'Engineer' }))).status).toBe(200);
  }

  const forms: [string, (key: string, value: string) => object][] = [
    ['a URN path', (key, value) => ({ op: 'replace', path: `${METADATA}:${key}`, value })],
    ['a no-path replace', (key, value) => ({ op: 'Replace', value: { [`${METADATA}:${key}`]: value } })],
    ['the Metadata object as value', (key, value) => ({ op: 'replace', path: METADATA, value: { [key]: value } })],
  ];

  describe.each(forms)('a Metadata key named like a prototype member, by %s', (_form, operation) => {
    it.each(DATA_NAMES)('%s is stored, returned on GET and in the webhook event, filterable', async (key) => {
      const id = await createUser();
      const value = `v-${key}-${n}`;
      const res = await scim.patch(`/Users/${id}`, patchOps(operation(key, value)));
      expect(res.status).toBe(200);
      expect(res.body[METADATA]).toEqual({ [key]: value });

      const got = await scim.get(`/Users/${id}`);
      expect(got.status).toBe(200);
      expect(got.body[METADATA]).toEqual({ [key]: value });
      expect(Object.keys(got.body[METADATA])).toEqual([key]);
      const only = await scim.get(`/Users/${id}?attributes=${encodeURIComponent(`${METADATA}:${key}`)}`);
      expect(only.body[METADATA]).toEqual({ [key]: value });

      const found = await scim.get(
        `/Users?filter=${encodeURIComponent(`${METADATA}:${key} eq "${value}"`)}&sortBy=${encodeURIComponent(`${METADATA}:${key}`)}`,
      );
      expect(found.status).toBe(200);
      expect(found.body.Resources.map((r: { id: string }) => r.id)).toEqual([id]);

      const event = await eventWith(id, 2);
      expect(event.type).toBe('dev.scimflow.user.updated.v1');
      expect(event.data.user[METADATA]).toEqual({ [key]: value });
      expect(event.data.changes).toContainEqual({ attribute: METADATA, after: { [key]: value } });

      await stillWritable(id);
      expect((await scim.get(`/Users/${id}`)).body[METADATA]).toEqual({ [key]: value });
    });
  });

  it('a Metadata key named like a prototype member is created, replaced and removed', async () => {
    const userName = `hostile-create${++n}@contoso.example`;
    const created = await scim.post('/Users', {
      schemas: [USER],
      userName,
      emails: [{ type: 'work', value: userName, primary: true }],
      name: { givenName: 'A', familyName: 'B' },
      userType: 'Standard',
      [`${METADATA}:constructor`]: 42,
    });
    expect(created.status).toBe(201);
    expect(created.body[METADATA]).toEqual({ constructor: '42' });
    const id = created.body.id as string;
    const replaced = await scim.patch(
      `/Users/${id}`,
      patchOps({ op: 'replace', path: `${METADATA}:constructor`, value: 'x' }, { op: 'add', path: `${METADATA}:toString`, value: 'y' }),
    );
    expect([replaced.status, replaced.body[METADATA]]).toEqual([200, { constructor: 'x', toString: 'y' }]);
    const removed = await scim.patch(
      `/Users/${id}`,
      patchOps({ op: 'remove', path: `${METADATA}:constructor` }, { op: 'remove', path: `${METADATA}:valueOf` }),
    );
    expect([removed.status, removed.body[METADATA]]).toEqual([200, { toString: 'y' }]);
    const event = await eventWith(id, 3);
    expect(event.data.user[METADATA]).toEqual({ toString: 'y' });
    await stillWritable(id);
  });

  const refused: [string, object, string][] = [
    ['a core attribute named constructor', { op: 'replace', path: 'constructor', value: 'x' }, 'invalidPath'],
    ['a core attribute named toString, no path', { op: 'replace', value: { toString: 'x' } }, 'invalidPath'],
    ['a sub-attribute named hasOwnProperty', { op: 'replace', path: 'name.hasOwnProperty', value: 'x' }, 'invalidPath'],
    ['a name sub-attribute valueOf in a value', { op: 'replace', path: 'name', value: { valueOf: 'x' } }, 'invalidValue'],
    ['the Metadata key __proto__ by path', { op: 'replace', path: `${METADATA}:__proto__`, value: 'x' }, 'invalidPath'],
    ['the Metadata key __defineGetter__ by path', { op: 'replace', path: `${METADATA}:__defineGetter__`, value: 'x' }, 'invalidPath'],
  ];
  it.each(refused)('%s is 400, and the user stays writable', async (_name, operation, scimType) => {
    const id = await createUser();
    const res = await scim.patch(`/Users/${id}`, patchOps(operation));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ schemas: [ERROR], status: '400', scimType });
    await stillWritable(id);
  });

  it('__proto__ as a key of a JSON body (no-path value, Metadata object, POST) is 400', async () => {
    const id = await createUser();
    for (const op of [
      `{"op":"replace","value":{"${METADATA}:__proto__":"x"}}`,
      `{"op":"replace","path":"${METADATA}","value":{"__proto__":"x"}}`,
      `{"op":"replace","value":{"__proto__":{"userName":"evil"}}}`,
    ]) {
      const res = await scim.patch(`/Users/${id}`, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[${op}]}`);
      expect([res.status, res.body.scimType]).toEqual([400, 'invalidPath']);
    }
    const post = await scim.post(
      '/Users',
      `{"schemas":["${USER}"],"userName":"proto@contoso.example","userType":"Standard","name":{"givenName":"A","familyName":"B"},"emails":[{"type":"work","value":"proto@contoso.example"}],"${METADATA}":{"__proto__":"x"}}`,
    );
    expect([post.status, post.body.scimType]).toEqual([400, 'invalidValue']);
    await stillWritable(id);
  });

  it('filters, sortBy and attributes naming prototype members of the core schema: 400 or nothing, never 500', async () => {
    const id = await createUser();
    expect((await scim.get(`/Users?filter=${encodeURIComponent('constructor eq "x"')}`)).status).toBe(400);
    expect((await scim.get(`/Users?filter=${encodeURIComponent('__proto__ eq "x"')}`)).status).toBe(400);
    expect((await scim.get('/Users?sortBy=toString')).status).toBe(400);
    const projected = await scim.get(`/Users/${id}?attributes=constructor,name.toString,__proto__`);
    expect(projected.status).toBe(200);
    expect(Object.keys(projected.body).sort()).toEqual(['id', 'schemas']);
  });
});
