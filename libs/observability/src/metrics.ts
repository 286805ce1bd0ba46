import { Injectable, Logger } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * One Prometheus registry per process. Metrics are created on first use and memoised by name,
 * so a component declares what it records where it records it.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  private readonly made = new Map<string, Counter | Gauge | Histogram>();
  private readonly logger = new Logger(Metrics.name);
  private readonly collectors = new Map<string, (gauge: Gauge) => Promise<void>>();
  /** consumer partitions by group, for scimflow_consumer_partition_idle_seconds */
  private readonly idleOf = new Map<string, Map<string, { topic: string; partition: string; lag: number; advancedAt: number }>>();

  constructor(app = 'scimflow') {
    this.registry.setDefaultLabels({ app });
    collectDefaultMetrics({ register: this.registry, prefix: 'scimflow_' });
  }

  counter(name: string, help: string, labelNames: string[] = []): Counter {
    return this.memo(name, () => new Counter({ name, help, labelNames, registers: [this.registry] })) as Counter;
  }

  /**
   * `collect`, if given, runs at each scrape and sets the gauge (e.g. a count read from Postgres); a failing
   * collect is logged and leaves the last value, so one unreachable source does not fail the whole scrape. The
   * latest collect given for a name is the one used (an app created again in the same process brings its own).
   */
  gauge(name: string, help: string, labelNames: string[] = [], collect?: (gauge: Gauge) => Promise<void>): Gauge {
    if (collect) this.collectors.set(name, collect);
    return this.memo(name, () => {
      const gauge: Gauge = new Gauge({
        name,
        help,
        labelNames,
        registers: [this.registry],
        collect: async () => {
          const current = this.collectors.get(name);
          if (current) await current(gauge).catch((e: Error) => this.logger.warn(`${name}: ${e.message}`));
        },
      });
      return gauge;
    }) as Gauge;
  }

  /**
   * What a consumer of `group` reports after each batch: how far behind the end of its partition it is, and, at each
   * scrape, how long a partition with lag has not advanced (`scimflow_consumer_partition_idle_seconds`: grows while a
   * handler retries the same records; 0 when the partition is caught up). A report with `records: 0` is a batch that
   * arrived, not one handled.
   */
  consumerLag(group: string): (batch: { topic: string; partition: number; records?: number; lag: number }) => void {
    const lag = this.gauge('scimflow_consumer_lag', 'records behind the end of the partition', ['group', 'topic', 'partition']);
    const partitions = new Map<string, { topic: string; partition: string; lag: number; advancedAt: number }>();
    this.idleOf.set(group, partitions);
    this.gauge('scimflow_consumer_partition_idle_seconds', 'seconds since a partition with lag last advanced', ['group', 'topic', 'partition'], async (g) => {
      const now = Date.now();
      for (const [of, list] of this.idleOf)
        for (const p of list.values()) g.set({ group: of, topic: p.topic, partition: p.partition }, p.lag > 0 ? (now - p.advancedAt) / 1000 : 0);
    });
    return (b) => {
      const id = `${b.topic}\u0000${b.partition}`;
      const known = partitions.get(id);
      const advanced = b.records !== 0 || !known;
      partitions.set(id, { topic: b.topic, partition: String(b.partition), lag: b.lag, advancedAt: advanced ? Date.now() : known.advancedAt });
      lag.set({ group, topic: b.topic, partition: String(b.partition) }, b.lag);
    };
  }

  /** Latency histograms in seconds, with buckets from 1 ms to 10 s. */
  histogram(
    name: string,
    help: string,
    labelNames: string[] = [],
    buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  ): Histogram {
    return this.memo(name, () => new Histogram({ name, help, labelNames, buckets, registers: [this.registry] })) as Histogram;
  }

  private memo(name: string, make: () => Counter | Gauge | Histogram) {
    let m = this.made.get(name);
    if (!m) this.made.set(name, (m = make()));
    return m;
  }
}
