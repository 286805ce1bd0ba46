import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Metrics } from '@scimflow/observability';
import { ProductCredentials, TenantEvents } from '@scimflow/persistence';

const HOURLY_MS = 3600_000;
const DAYS_AHEAD = 3;

/**
 * The events API's day partitions: created ahead (the relay does so too, it writes them) and dropped once older than
 * the longest tenant retention, at start and every hour; instances take turns (an advisory lock in TenantEvents).
 * Also the per-consumer lag gauges, read from the database at each scrape.
 */
@Injectable()
export class EventsMaintenance implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EventsMaintenance.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly events: TenantEvents,
    private readonly metrics: Metrics,
    credentials: ProductCredentials,
  ) {
    const lagSeconds = metrics.gauge('scimflow_events_api_consumer_lag_seconds', "age of the oldest of the tenant's events an events API consumer has not read yet", ['tenant', 'consumer']);
    metrics.gauge('scimflow_events_api_consumer_lag', 'events of the tenant after the position an events API consumer last read from', ['tenant', 'consumer'], async (g) => {
      const consumers = (await credentials.consumers()).filter((c) => !c.revokedAt);
      g.reset();
      lagSeconds.reset();
      for (const c of consumers) {
        g.set({ tenant: c.tenantId, consumer: c.id }, c.lagEvents);
        lagSeconds.set({ tenant: c.tenantId, consumer: c.id }, c.lagSeconds);
      }
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.run();
    this.timer = setInterval(() => void this.run(), HOURLY_MS).unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async run(now = new Date()): Promise<void> {
    try {
      const created = await this.events.ensurePartitions(now, DAYS_AHEAD);
      const dropped = await this.events.dropExpired(now);
      if (created.length || dropped.length) this.logger.log(`events partitions: created ${created.join(', ') || 'none'}; dropped ${dropped.join(', ') || 'none'}`);
    } catch (e) {
      this.metrics.counter('scimflow_events_maintenance_failures_total', 'failed events API partition maintenance passes').inc();
      this.logger.error(`events partition maintenance failed: ${(e as Error).message}`);
    }
  }
}
