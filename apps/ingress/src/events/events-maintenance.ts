import { Injectable } from '@nestjs/common';
import { Metrics } from '@scimflow/observability';
import { ProductCredentials, TenantEvents } from '@scimflow/persistence';
import { PartitionMaintenance, PartitionPass } from '../partition-maintenance';

/**
 * The events API's day partitions: created ahead (the relay does so too, it writes them) and dropped once older than
 * the longest tenant retention. Also the per-consumer lag gauges, read from the database at each scrape.
 */
@Injectable()
export class EventsMaintenance extends PartitionMaintenance {
  constructor(
    private readonly events: TenantEvents,
    metrics: Metrics,
    credentials: ProductCredentials,
  ) {
    super(metrics, {
      label: 'events',
      failures: { name: 'scimflow_events_maintenance_failures_total', help: 'failed events API partition maintenance passes' },
    });
    const lagSeconds = metrics.gauge(
      'scimflow_events_api_consumer_lag_seconds',
      "age of the oldest of the tenant's events an events API consumer has not read yet",
      ['tenant', 'consumer'],
    );
    metrics.gauge(
      'scimflow_events_api_consumer_lag',
      'events of the tenant after the position an events API consumer last read from',
      ['tenant', 'consumer'],
      async (g) => {
        const consumers = (await credentials.consumers()).filter((c) => !c.revokedAt);
        g.reset();
        lagSeconds.reset();
        for (const c of consumers) {
          g.set({ tenant: c.tenantId, consumer: c.id }, c.lagEvents);
          lagSeconds.set({ tenant: c.tenantId, consumer: c.id }, c.lagSeconds);
        }
      },
    );
  }

  protected async pass(now: Date, daysAhead: number): Promise<PartitionPass> {
    const created = await this.events.ensurePartitions(now, daysAhead);
    const dropped = await this.events.dropExpired(now);
    return { created, dropped };
  }
}
