import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { configureIngress } from '../../apps/ingress/src/configure';
import { IngressModule } from '../../apps/ingress/src/ingress.module';
import { NotifierModule } from '../../apps/notifier/src/notifier.module';
import { ReconcilerModule } from '../../apps/reconciler/src/reconciler.module';
import { dataSourceOptions } from '../../libs/persistence/src';
import { freePort } from '../../bench/processes';
import { createTenant } from '../../bench/tenants';
import { connectionDrain } from '../../libs/config/src/bootstrap';

export interface RunningSystem {
  baseUrl: string;
  ingress: INestApplication;
  reconciler: INestApplication;
  notifier: INestApplication;
  db: DataSource;
  createTenant(name: string, webhooks?: string[]): Promise<{ tenantId: string; token: string; scimBaseUrl: string }>;
  stop(): Promise<void>;
}

/**
 * The three apps, each a real Nest application on its own port, against the run's Kafka and Postgres. `port`: the
 * ingress's port, e.g. the one of a system stopped before (a restart that clients see at the same address).
 */
export async function startSystem(options: { port?: number } = {}): Promise<RunningSystem> {
  const port = options.port ?? (await freePort());
  process.env.INGRESS_PORT = String(port);
  process.env.PUBLIC_BASE_URL = `http://127.0.0.1:${port}`;
  process.env.WEBHOOK_RETRY_BASE_MS = '50';
  process.env.WEBHOOK_RETRY_MAX_MS = '500';
  process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'warn';
  // tests drive one tenant far faster than Entra does; the rate limit has its own tests (per-tenant limits)
  // unconditional: @nestjs/config writes validated defaults into process.env when the app modules are imported
  process.env.RATE_LIMIT_PER_SECOND = '100000';
  process.env.RATE_LIMIT_BURST = '100000';
  const logger = ['error', 'warn'] as const;

  const reconciler = await NestFactory.create(ReconcilerModule, { logger: [...logger] });
  await reconciler.listen(0, '127.0.0.1');
  const notifier = await NestFactory.create(NotifierModule, { logger: [...logger] });
  await notifier.listen(0, '127.0.0.1');
  const ingress = await NestFactory.create(IngressModule, { logger: [...logger], bodyParser: false });
  configureIngress(ingress);
  // as on SIGTERM: keep-alive connections of clients still calling are closed once answered, so closing does not wait for them
  const drainIngress = connectionDrain(ingress.getHttpServer());
  await ingress.listen(port, '127.0.0.1');

  const db = new DataSource(dataSourceOptions(process.env.DATABASE_URL!, { extra: { max: 4 } }));
  await db.initialize();
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    baseUrl,
    ingress,
    reconciler,
    notifier,
    db,
    async createTenant(name, webhooks = []) {
      const created = await createTenant(db, name, webhooks);
      return { tenantId: created.tenant.id, token: created.token, scimBaseUrl: `${baseUrl}/scim/v2/${created.tenant.id}` };
    },
    async stop() {
      drainIngress();
      await ingress.close();
      await reconciler.close();
      await notifier.close();
      await db.destroy();
    },
  };
}
