import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { IngressConfig } from '@scimflow/config';
import { Metrics } from '@scimflow/observability';
import { RequestLog } from '@scimflow/persistence';

const HOURLY_MS = 3600_000;
/** Partitions exist this many days ahead, so a maintenance run that fails for a day costs no entries. */
const DAYS_AHEAD = 3;

/**
 * The request log's partitions: created ahead and dropped after REQUEST_LOG_RETENTION_DAYS, at start and every hour.
 * Owned by the ingress, which writes the log; instances take turns (an advisory lock in RequestLog).
 */
@Injectable()
export class RequestLogMaintenance implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RequestLogMaintenance.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: RequestLog,
    private readonly config: IngressConfig,
    private readonly metrics: Metrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.run();
    this.timer = setInterval(() => void this.run(), HOURLY_MS).unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One maintenance pass; a failure is logged and counted, and the next pass tries again. */
  async run(now = new Date()): Promise<void> {
    try {
      const created = await this.log.ensurePartitions(now, DAYS_AHEAD);
      const dropped = await this.log.dropExpired(now, this.config.REQUEST_LOG_RETENTION_DAYS);
      if (created.length || dropped.length) this.logger.log(`request log partitions: created ${created.join(', ') || 'none'}; dropped ${dropped.join(', ') || 'none'}`);
    } catch (e) {
      this.metrics.counter('scimflow_request_log_maintenance_failures_total', 'failed request log partition maintenance passes').inc();
      this.logger.error(`request log partition maintenance failed: ${(e as Error).message}`);
    }
  }
}
