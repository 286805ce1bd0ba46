import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Client } from 'pg';
import { IngressConfig } from '@scimflow/config';
import { TENANT_EVENTS_CHANNEL } from '@scimflow/persistence';

const RECONNECT_MS = 1000;

/**
 * Wakes long-polling readers when the relay commits events of their tenant: one LISTEN connection per ingress, the
 * relay's NOTIFY names the tenants. Readers also look again at least every second on their own, so a lost connection
 * only slows them to that. On shutdown every waiter is released at once (the server then closes without waiting 30 s).
 */
@Injectable()
export class TenantEventSignals implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(TenantEventSignals.name);
  private readonly waiters = new Map<string, Set<() => void>>();
  private client?: Client;
  private closing = false;
  private reconnect?: NodeJS.Timeout;

  constructor(private readonly config: IngressConfig) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    if (this.reconnect) clearTimeout(this.reconnect);
    for (const set of this.waiters.values()) for (const wake of set) wake();
    this.waiters.clear();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  get closed(): boolean {
    return this.closing;
  }

  /** Resolves when events of the tenant may have arrived, after `ms` at the latest, or at once while shutting down. */
  wait(tenantId: string, ms: number): Promise<void> {
    if (this.closing || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      let set = this.waiters.get(tenantId);
      if (!set) this.waiters.set(tenantId, (set = new Set()));
      const wake = () => {
        clearTimeout(timer);
        const current = this.waiters.get(tenantId);
        current?.delete(wake);
        if (current?.size === 0) this.waiters.delete(tenantId);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      set.add(wake);
    });
  }

  private signal(payload: string): void {
    const tenants = payload === '*' ? [...this.waiters.keys()] : payload.split(',');
    for (const tenantId of tenants) for (const wake of [...(this.waiters.get(tenantId) ?? [])]) wake();
  }

  private async connect(): Promise<void> {
    if (this.closing) return;
    const client = new Client({ connectionString: this.config.DATABASE_URL, application_name: 'scimflow-events-listen' });
    client.on('notification', (n) => n.channel === TENANT_EVENTS_CHANNEL && this.signal(n.payload ?? '*'));
    client.on('error', (e) => {
      this.logger.warn(`events LISTEN connection: ${e.message}; readers poll every second until it is back`);
      this.retry(client);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${TENANT_EVENTS_CHANNEL}`);
      this.client = client;
    } catch (e) {
      this.logger.warn(`events LISTEN connection: ${(e as Error).message}; readers poll every second until it is back`);
      this.retry(client);
    }
  }

  private retry(client: Client): void {
    if (this.client === client) this.client = undefined;
    void client.end().catch(() => undefined);
    if (this.closing || this.reconnect) return;
    this.reconnect = setTimeout(() => {
      this.reconnect = undefined;
      void this.connect();
    }, RECONNECT_MS).unref();
  }
}
