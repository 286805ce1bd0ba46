import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, migrate } from '../../libs/persistence/src';
import { createTenant } from '../../bench/tenants';
import { freePort, PrivateKafka, PrivatePostgres, processEnv, ProcessSystem } from '../support/process-system';
import { ScimClient } from '../support/scim-client';
import { WebhookReceiver } from '../support/webhook-receiver';
import { expectedState, runWorkload, withoutDeprovisioningThreshold } from '../support/workload';

/**
 * Real processes, real failures: kill -9 of the reconciler, a Kafka broker stopped and restarted, a
 * Postgres server restarted — and nothing acknowledged is lost, nothing applied twice.
 * FAULT_SCALE scales the write counts (default 1: 20,000 writes in the kill test).
 */
const SCALE = Number(process.env.FAULT_SCALE ?? 1);
const baseEnv = () => ({
  ...processEnv('faults'),
  WEBHOOK_RETRY_BASE_MS: '50',
  WEBHOOK_RETRY_MAX_MS: '1000',
  KAFKA_SESSION_TIMEOUT_MS: '6000', // the broker's minimum: a killed reconciler's partitions move on fastest
});

type Query = (sql: string, params: unknown[]) => Promise<{ user_name: string; title: string; active: boolean; version: number; document: object }[]>;
const viaDataSource =
  (db: DataSource): Query =>
  (sql, params) =>
    db.query(sql, params);
const viaClient =
  (c: Client): Query =>
  async (sql, params) =>
    (await c.query(sql, params)).rows;

async function stateOf(query: Query, tenantId: string) {
  return query(`SELECT user_name, document->>'title' AS title, active, version, document FROM scim_users WHERE tenant_id = $1 ORDER BY user_name`, [tenantId]);
}

/** A hash of a tenant's users that ignores what differs between runs by design (ids, times, the run's tag). */
function stateHash(rows: { user_name: string; version: number; document: object }[], tag: string): string {
  const h = createHash('sha256');
  for (const r of rows) h.update(JSON.stringify([r.user_name.replace(tag, 'TAG'), r.version, JSON.parse(JSON.stringify(r.document).split(tag).join('TAG'))]));
  return h.digest('hex');
}

function expectMatchesExpected(rows: Awaited<ReturnType<typeof stateOf>>, opts: { users: number; opsPerUser: number; tag: string }) {
  const expected = expectedState(opts);
  const actual = new Map(rows.map((r) => [r.user_name, { title: r.title, active: r.active, version: r.version }]));
  for (const [userName, want] of expected) {
    if (want === 'deleted') expect([userName, actual.get(userName)]).toEqual([userName, undefined]);
    else expect([userName, actual.get(userName)]).toEqual([userName, want]);
  }
  expect(actual.size).toBe([...expected.values()].filter((v) => v !== 'deleted').length);
}

describe('faults', () => {
  describe('kill -9 of the reconciler during writes', () => {
    let system: ProcessSystem;
    let db: DataSource;
    let receiver: WebhookReceiver;

    beforeAll(async () => {
      system = await ProcessSystem.create(baseEnv());
      await system.startAll();
      db = new DataSource(dataSourceOptions(process.env.DATABASE_URL!, { extra: { max: 2 } }));
      await db.initialize();
      receiver = new WebhookReceiver();
    });
    afterAll(async () => {
      await system?.stopAll();
      await db?.destroy();
      await receiver?.stop();
    });

    it('applies every acknowledged write exactly once, ends in the undisturbed state, and delivers gapless per-user events', async () => {
      const hook = await receiver.start();
      const opts = { users: 100, opsPerUser: Math.max(10, Math.round(200 * SCALE)), concurrency: 32 };

      // the undisturbed run
      const calm = await createTenant(db, 'calm');
      await withoutDeprovisioningThreshold(db, calm.tenant.id);
      const calmStats = await runWorkload(new ScimClient(`${system.baseUrl}/scim/v2/${calm.tenant.id}`, calm.token), { ...opts, tag: 'calm' });
      expect(calmStats.otherErrors).toEqual([]);

      // the same writes while the reconciler is killed with SIGKILL again and again
      const stormy = await createTenant(db, 'stormy', [hook]);
      await withoutDeprovisioningThreshold(db, stormy.tenant.id);
      // Four SIGKILLs spread over the run: each costs a consumer-group session timeout of stall, so a
      // continuous storm would measure recovery time rather than the guarantee.
      let kills = 0;
      let killing = true;
      const killer = (async () => {
        while (killing && kills < 4) {
          await new Promise((r) => setTimeout(r, 4000 + Math.random() * 4000));
          if (!killing) break;
          await system.apps.reconciler.stop('SIGKILL');
          kills++;
          await system.start('reconciler');
        }
      })();
      const stormStats = await runWorkload(new ScimClient(`${system.baseUrl}/scim/v2/${stormy.tenant.id}`, stormy.token), { ...opts, tag: 'stormy' });
      killing = false;
      await killer;
      expect(kills).toBeGreaterThanOrEqual(2);
      expect(stormStats.otherErrors).toEqual([]);
      expect(stormStats.acknowledged).toBe(opts.users * opts.opsPerUser);

      const calmRows = await stateOf(viaDataSource(db), calm.tenant.id);
      const stormRows = await stateOf(viaDataSource(db), stormy.tenant.id);
      expectMatchesExpected(stormRows, { ...opts, tag: 'stormy' });
      expect(stateHash(stormRows, 'stormy')).toBe(stateHash(calmRows, 'calm'));

      // events as a webhook consumer sees them: per user 1..N, no gap, no duplicate
      const perUser = new Map<string, number[]>();
      const expectedEvents = opts.users * opts.opsPerUser;
      await receiver.waitFor((all) => all.length >= expectedEvents, 180_000);
      for (const r of receiver.received) {
        const list = perUser.get(r.body.data.userId) ?? [];
        list.push(r.body.sequence);
        perUser.set(r.body.data.userId, list);
      }
      expect(perUser.size).toBe(opts.users);
      for (const [, seqs] of perUser) expect(seqs).toEqual(Array.from({ length: opts.opsPerUser }, (_, i) => i + 1));
    }, 900_000);
  });

  describe('Kafka broker stopped and restarted during writes', () => {
    let kafka: PrivateKafka;
    let system: ProcessSystem;
    let db: DataSource;

    beforeAll(async () => {
      kafka = new PrivateKafka(await freePort(), await freePort());
      await kafka.start();
      system = await ProcessSystem.create({ ...baseEnv(), KAFKA_BROKERS: kafka.brokers });
      await system.startAll();
      db = new DataSource(dataSourceOptions(process.env.DATABASE_URL!, { extra: { max: 2 } }));
      await db.initialize();
    });
    afterAll(async () => {
      await system?.stopAll();
      await db?.destroy();
      await kafka?.destroy();
    });

    it('answers 503 + Retry-After while the broker is gone and loses nothing acknowledged', async () => {
      const tenant = await createTenant(db, 'kafka-outage');
      await withoutDeprovisioningThreshold(db, tenant.tenant.id);
      const scim = new ScimClient(`${system.baseUrl}/scim/v2/${tenant.tenant.id}`, tenant.token);
      const opts = { users: 40, opsPerUser: Math.max(10, Math.round(60 * SCALE)), concurrency: 16, tag: 'kafka' };
      const load = runWorkload(scim, opts);
      await new Promise((r) => setTimeout(r, 2000));
      await kafka.stop();
      // while it is down: writes are refused with 503 + Retry-After; reads still work
      const probe = await scim.post('/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'during-outage@faults.example' });
      expect(probe.status).toBe(503);
      expect(Number(probe.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await scim.get('/Users?count=1')).status).toBe(200);
      await new Promise((r) => setTimeout(r, 4000));
      await kafka.start();
      const stats = await load;
      expect(stats.otherErrors).toEqual([]);
      expect(stats.unavailable).toBeGreaterThan(0);
      expect(stats.retryAfterSeen).toBe(true);
      expectMatchesExpected(await stateOf(viaDataSource(db), tenant.tenant.id), opts);
    }, 300_000);
  });

  (PrivatePostgres.available() ? describe : describe.skip)('Postgres restarted during writes', () => {
    let pg: PrivatePostgres;
    let system: ProcessSystem;

    beforeAll(async () => {
      pg = new PrivatePostgres(await freePort());
      await pg.init();
      await pg.start();
      await migrate(pg.url);
      system = await ProcessSystem.create({ ...baseEnv(), DATABASE_URL: pg.url, KAFKA_TOPIC_PREFIX: `${process.env.KAFKA_TOPIC_PREFIX}pgfault.` });
      await system.startAll();
    });
    afterAll(async () => {
      await system?.stopAll();
      await pg?.destroy();
    });

    it('answers 503 while Postgres is down and loses nothing acknowledged', async () => {
      const setup = new DataSource(dataSourceOptions(pg.url, { extra: { max: 1 } }));
      await setup.initialize();
      const tenant = await createTenant(setup, 'pg-outage');
      await withoutDeprovisioningThreshold(setup, tenant.tenant.id);
      await setup.destroy();
      const scim = new ScimClient(`${system.baseUrl}/scim/v2/${tenant.tenant.id}`, tenant.token);
      const opts = { users: 40, opsPerUser: Math.max(10, Math.round(60 * SCALE)), concurrency: 16, tag: 'pg' };
      const load = runWorkload(scim, opts);
      await new Promise((r) => setTimeout(r, 2000));
      await pg.stop();
      const probe = await scim.get('/Users?count=1');
      expect(probe.status).toBe(503);
      expect(probe.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
      await new Promise((r) => setTimeout(r, 4000));
      await pg.start();
      const stats = await load;
      expect(stats.otherErrors).toEqual([]);
      expect(stats.unavailable).toBeGreaterThan(0);
      const client = new Client({ connectionString: pg.url });
      await client.connect();
      expectMatchesExpected(await stateOf(viaClient(client), tenant.tenant.id), opts);
      await client.end();
    }, 300_000);
  });
});
