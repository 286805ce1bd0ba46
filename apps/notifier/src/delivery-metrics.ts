import { Injectable } from '@nestjs/common';
import { DeadLetters, DeliveryIntake } from '@scimflow/persistence';
import { Metrics } from '@scimflow/observability';

/**
 * The delivery queue's state for Prometheus, read from Postgres at each scrape: it is shared by every notifier
 * instance, so each reports the same totals (aggregate with max, not sum).
 */
@Injectable()
export class DeliveryMetrics {
  constructor(metrics: Metrics, queue: DeliveryIntake, deadLetters: DeadLetters) {
    metrics.gauge('scimflow_webhook_pending_deliveries', 'events queued for webhook subscriptions and not yet delivered or dead-lettered', [], async (g) =>
      g.set(await queue.pendingCount()),
    );
    metrics.gauge('scimflow_webhook_dead_letters', 'dead letters not redriven (the DLQ size)', [], async (g) => g.set(await deadLetters.openCount()));
  }
}
