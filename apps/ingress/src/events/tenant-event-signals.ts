import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { IngressConfig } from '@scimflow/config';
import { TenantEventsListener, TenantEventsSignal } from '@scimflow/persistence';

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
  private listener?: TenantEventsListener;
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
    const listener = this.listener;
    this.listener = undefined;
    await listener?.close().catch(() => undefined);
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

  private signal(signal: TenantEventsSignal): void {
    const tenants = signal === 'all' ? [...this.waiters.keys()] : signal;
    for (const tenantId of tenants) for (const wake of [...(this.waiters.get(tenantId) ?? [])]) wake();
  }

  private async connect(): Promise<void> {
    if (this.closing) return;
    const listener: TenantEventsListener = new TenantEventsListener(
      this.config.DATABASE_URL,
      (signal) => this.signal(signal),
      (e) => this.retry(listener, e),
    );
    try {
      await listener.listen();
      this.listener = listener;
    } catch (e) {
      this.retry(listener, e as Error);
    }
  }

  private retry(listener: TenantEventsListener, e: Error): void {
    this.logger.warn(`events LISTEN connection: ${e.message}; readers poll every second until it is back`);
    if (this.listener === listener) this.listener = undefined;
    void listener.close().catch(() => undefined);
    if (this.closing || this.reconnect) return;
    this.reconnect = setTimeout(() => {
      this.reconnect = undefined;
      void this.connect();
    }, RECONNECT_MS).unref();
  }
}
