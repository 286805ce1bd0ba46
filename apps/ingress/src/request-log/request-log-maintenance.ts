import { Injectable } from '@nestjs/common';
import { IngressConfig } from '@scimflow/config';
import { Metrics } from '@scimflow/observability';
import { RequestLog } from '@scimflow/persistence';
import { PartitionMaintenance, PartitionPass } from '../partition-maintenance';

/**
 * The request log's partitions: created ahead and dropped after REQUEST_LOG_RETENTION_DAYS. Owned by the ingress,
 * which writes the log.
 */
@Injectable()
export class RequestLogMaintenance extends PartitionMaintenance {
  constructor(
    private readonly log: RequestLog,
    private readonly config: IngressConfig,
    metrics: Metrics,
  ) {
    super(metrics, {
      label: 'request log',
      failures: { name: 'scimflow_request_log_maintenance_failures_total', help: 'failed request log partition maintenance passes' },
    });
  }

  protected async pass(now: Date, daysAhead: number): Promise<PartitionPass> {
    const created = await this.log.ensurePartitions(now, daysAhead);
    const dropped = await this.log.dropExpired(now, this.config.REQUEST_LOG_RETENTION_DAYS);
    return { created, dropped };
  }
}
