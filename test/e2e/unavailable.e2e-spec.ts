import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { configureIngress } from '../../apps/ingress/src/configure';
import { IngressModule } from '../../apps/ingress/src/ingress.module';
import { ReconcilerModule } from '../../apps/reconciler/src/reconciler.module';
import { dataSourceOptions } from '../../libs/persistence/src';
import { createTenant } from '../../bench/tenants';
import { ScimClient } from '../support/scim-client';

/**
 * With no reconciler running, a write cannot be answered in time: the client gets 503 + Retry-After,
 * and the command, already durable in Kafka, is applied once a reconciler comes up.
 */
describe('writes while the reconciler is down', () => {
  let ingress: INestApplication;
  let reconciler: INestApplication | undefined;
  let db: DataSource;
  const saved = { ...process.env };

  beforeAll(async () => {
    process.env.COMMAND_TIMEOUT_MS = '1500';
    process.env.RETRY_AFTER_SECONDS = '7';
    // a prefix of its own: no reconciler of another test file may consume these commands
    process.env.KAFKA_TOPIC_PREFIX = `${process.env.KAFKA_TOPIC_PREFIX}down.`;
    ingress = await NestFactory.create(IngressModule, { logger: ['error'], bodyParser: false });
    configureIngress(ingress);
    await ingress.listen(0, '127.0.0.1');
    db = new DataSource(dataSourceOptions(process.env.DATABASE_URL!, { extra: { max: 2 } }));
    await db.initialize();
  });

  afterAll(async () => {
    await ingress?.close();
    await reconciler?.close();
    await db?.destroy();
    process.env = saved;
  });

  it('answers 503 with Retry-After, then applies the command when the reconciler starts', async () => {
    const tenant = await createTenant(db, 'down');
    const url = (await ingress.getUrl()).replace('[::1]', '127.0.0.1');
    const scim = new ScimClient(`${url}/scim/v2/${tenant.tenant.id}`, tenant.token);

    const res = await scim.post('/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'later@contoso.example' });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '503' });
    // reads still work
    expect((await scim.get('/Users')).status).toBe(200);

    reconciler = await NestFactory.create(ReconcilerModule, { logger: ['error'] });
    await reconciler.listen(0, '127.0.0.1');
    const deadline = Date.now() + 30_000;
    for (;;) {
      const found = await scim.get(`/Users?filter=${encodeURIComponent('userName eq "later@contoso.example"')}`);
      if (found.body.totalResults === 1) break;
      if (Date.now() > deadline) throw new Error('the accepted command was never applied');
      await new Promise((r) => setTimeout(r, 100));
    }
  });
});
