import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Metrics } from '@scimflow/observability';

const HOURLY_MS = 3600_000;
/** Partitions exist this many days ahead, so a maintenance pass that fails for a day costs no rows. */
const DAYS_AHEAD = 3;

/** What one pass did. */
export interface PartitionPass {
  created: string[];
  dropped: string[];
}

/** How a table's maintenance shows in the logs and metrics. */
export interface PartitionMaintenanceNames {
  /** `events`, `request log`: starts its log lines */
  label: string;
  /** the counter of failed passes */
  failures: { name: string; help: string };
}

/**
 * Upkeep of a table's day partitions (creating them ahead, dropping the expired), at start and every hour. A failed
 * pass is logged and counted, and the next pass tries again. Instances take turns (the store's advisory lock).
 */
export abstract class PartitionMaintenance implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(this.constructor.name);
  private timer: NodeJS.Timeout | undefined;

  protected constructor(
    protected readonly metrics: Metrics,
    private readonly names: PartitionMaintenanceNames,
  ) {}

  /** Creates the partitions through `daysAhead` days after `now` and drops the expired ones. */
  protected abstract pass(now: Date, daysAhead: number): Promise<PartitionPass>;

  async onApplicationBootstrap(): Promise<void> {
    await this.run();
    this.timer = setInterval(() => void this.run(), HOURLY_MS).unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One maintenance pass. */
  async run(now = new Date()): Promise<void> {
    const { label, failures } = this.names;
    try {
      const { created, dropped } = await this.pass(now, DAYS_AHEAD);
      if (created.length || dropped.length)
        this.logger.log(`${label} partitions: created ${created.join(', ') || 'none'}; dropped ${dropped.join(', ') || 'none'}`);
    } catch (e) {
      this.metrics.counter(failures.name, failures.help).inc();
      this.logger.error(`${label} partition maintenance failed: ${(e as Error).message}`);
    }
  }
}
