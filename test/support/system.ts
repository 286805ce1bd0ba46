import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { configureIngress } from '../../apps/ingress/src/configure';
import { IngressModule } from '../../apps/ingress/src/ingress.module';
import { NotifierModule } from '../../apps/notifier/src/notifier.module';
import { ReconcilerModule } from '../../apps/reconciler/src/reconciler.module';
import { dataSourceOptions } from '../../libs/persistence/src';
import { freePort } from '../../bench/processes';
import { connectionDrain } from '../../libs/platform/src/connection-drain';
import { ScimClient } from './scim-client';
import { createTenant } from '../../bench/tenants';

export interface RunningSystem {
  baseUrl: string;
  ingress: INestApplication;
  reconciler: INestApplication;
  notifier: INestApplication;
  db: DataSource;
  /** a tenant with these webhook URLs, and a SCIM client of it */
  createTenant(name: string, webhooks?: string[]): Promise<{ tenantId: string; token: string; scimBaseUrl: string; scim: ScimClient }>;
  stop(): Promise<void>;
}

export interface SystemOptions {
  /** the ingress's port, e.g. the one of a system stopped before (a restart that clients see at the same address) */
  port?: number;
  /** settings of the apps (ADMIN_TOKEN, timings …): set in process.env before they start, put back by stop() */
  env?: Record<string, string>;
}

/** Sets these variables in process.env; the function returned puts back the values they had. */
export function setEnv(vars: Record<string, string>): () => void {
  const saved = Object.keys(vars).map((k) => [k, process.env[k]] as const);
  Object.assign(process.env, vars);
  return () => {
    for (const [k, v] of saved)
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  };
}

/** The three apps, each a real Nest application on its own port, against the run's Kafka and Postgres. */
export async function startSystem(options: SystemOptions = {}): Promise<RunningSystem> {
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
  const restoreEnv = setEnv(options.env ?? {});
  const { reconciler, notifier, ingress, drainIngress, db } = await startApps(port).catch((e: unknown) => {
    restoreEnv();
    throw e;
  });
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    baseUrl,
    ingress,
    reconciler,
    notifier,
    db,
    async createTenant(name, webhooks = []) {
      const created = await createTenant(db, name, webhooks);
      const scimBaseUrl = `${baseUrl}/scim/v2/${created.tenant.id}`;
      return { tenantId: created.tenant.id, token: created.token, scimBaseUrl, scim: new ScimClient(scimBaseUrl, created.token) };
    },
    async stop() {
      drainIngress();
      await ingress.close();
      await reconciler.close();
      await notifier.close();
      await db.destroy();
      restoreEnv();
    },
  };
}

async function startApps(port: number) {
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
  return { reconciler, notifier, ingress, drainIngress, db };
}

/** The system the tests of a describe block share (see useSystem). */
export interface SharedSystem extends Omit<RunningSystem, 'stop'> {
  /** Stops the apps and, `downMs` later, starts them again, the ingress on its port (a restart clients see at the same address). */
  restart(downMs?: number): Promise<void>;
}

/**
 * The system the tests of the enclosing describe block share: started (with `options`) in a beforeAll registered here,
 * stopped in an afterAll. What is returned reads through to the running system: use it in tests, and in hooks declared
 * after this call.
 */
export function useSystem(options: SystemOptions = {}): SharedSystem {
  let current: RunningSystem | undefined;
  beforeAll(async () => {
    current = await startSystem(options);
  });
  afterAll(async () => current?.stop());
  const running = (): RunningSystem => {
    if (!current) throw new Error('the system is not running: use it in tests, and in hooks declared after useSystem');
    return current;
  };
  return {
    get baseUrl() {
      return running().baseUrl;
    },
    get ingress() {
      return running().ingress;
    },
    get reconciler() {
      return running().reconciler;
    },
    get notifier() {
      return running().notifier;
    },
    get db() {
      return running().db;
    },
    createTenant: (name, webhooks) => running().createTenant(name, webhooks),
    async restart(downMs = 0) {
      const stopped = running();
      current = undefined;
      await stopped.stop();
      await new Promise((r) => setTimeout(r, downMs));
      current = await startSystem({ ...options, port: Number(new URL(stopped.baseUrl).port) });
    },
  };
}
