import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@scimflow/config';
import { DeliveryOutcome, DeliveryQueue, FinishResult, LeasedLane, WebhookSubscriptions } from '@scimflow/persistence';
import { decide, isReplayDelivery, reorderDelay, REPLAY_HEADER, RetryPolicy, webhookHeaders } from '@scimflow/webhooks';
import { DeadLetterPublisher } from '../../delivery/dead-letter-publisher';
import { WebhookSender } from './webhook-sender';

/**
 * Makes one attempt at a leased lane's next event: signs it (every active secret), POSTs it, and records the
 * attempt and its consequence (delivered, retry later, subscription disabled by 410, dead letter). An event
 * whose predecessor has not been seen yet is first held back for up to WEBHOOK_REORDER_WINDOW_MS.
 */
@Injectable()
export class DeliverLane {
  private readonly logger = new Logger(DeliverLane.name);
  private readonly policy: RetryPolicy;
  private readonly reorderWindowMs: number;

  constructor(
    config: AppConfig,
    private readonly queue: DeliveryQueue,
    private readonly subscriptions: WebhookSubscriptions,
    private readonly sender: WebhookSender,
    private readonly deadLetters: DeadLetterPublisher,
  ) {
    this.policy = { baseMs: config.WEBHOOK_RETRY_BASE_MS, maxMs: config.WEBHOOK_RETRY_MAX_MS, horizonMs: config.WEBHOOK_RETRY_HORIZON_MS };
    this.reorderWindowMs = config.WEBHOOK_REORDER_WINDOW_MS;
  }

  async execute(lane: LeasedLane, instance: string): Promise<FinishResult | undefined> {
    const head = await this.queue.head(lane);
    if (!head) {
      await this.queue.release(lane);
      return undefined;
    }
    const wait = reorderDelay(
      { sequence: head.sequence, lastSequence: head.lastSequence, queuedForMs: head.dbNow.getTime() - head.queuedAt.getTime(), attempts: head.attempts },
      this.reorderWindowMs,
    );
    if (wait > 0) {
      await this.queue.postpone(lane, wait);
      return undefined;
    }
    const headers = webhookHeaders({
      id: head.eventId,
      timestamp: Math.floor(Date.now() / 1000),
      body: head.body,
      secrets: this.subscriptions.signingSecrets(head.secrets),
    });
    if (isReplayDelivery(head.eventId)) headers[REPLAY_HEADER] = 'true';
    const started = performance.now();
    const result = await this.sender.post(head.url, head.body, headers);
    const latencyMs = performance.now() - started;
    const verdict = decide(result, {
      attempts: head.attempts + 1,
      elapsedMs: head.dbNow.getTime() - head.horizonFrom.getTime() + latencyMs,
      policy: this.policy,
    });
    const httpStatus = result.kind === 'response' ? result.status : undefined;
    const error = result.kind === 'error' ? result.message : verdict.action === 'delivered' ? undefined : `HTTP ${result.status}`;
    const outcome: DeliveryOutcome =
      verdict.action === 'delivered'
        ? { kind: 'delivered' }
        : verdict.action === 'retry'
          ? { kind: 'retry', delayMs: verdict.delayMs }
          : verdict.action === 'gone'
            ? { kind: 'gone', reason: `the receiver answered 410 Gone at ${new Date().toISOString()}` }
            : { kind: 'dead-letter' };

    const finished = await this.queue.finish(
      lane,
      head,
      { status: verdict.action === 'delivered' ? 'delivered' : 'failed', httpStatus, latencyMs, error, responseExcerpt: result.responseExcerpt, instance },
      outcome,
    );
    if (finished.leaseLost) this.logger.warn(`lease on ${lane.orderingKey} for subscription ${lane.subscriptionId} ran out during an attempt; another instance took over`);
    else if (outcome.kind === 'gone') this.logger.warn(`subscription ${head.subscriptionId} disabled: ${head.url} answered 410 Gone`);
    else if (outcome.kind === 'dead-letter') {
      this.logger.warn(`event ${head.eventId} for subscription ${head.subscriptionId} is a dead letter after ${head.attempts + 1} attempts: ${error}`);
      this.deadLetters.kick();
    }
    return finished;
  }
}
