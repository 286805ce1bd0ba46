import { Injectable, Logger } from '@nestjs/common';
import { SpanStatusCode } from '@opentelemetry/api';
import { NotifierConfig } from '@scimflow/config';
import {
  DeliveryLeases,
  DeliveryOutcome,
  DeliverySettlement,
  FinishResult,
  HeadDelivery,
  LaneSettlement,
  LeasedLane,
  WebhookSubscriptions,
} from '@scimflow/persistence';
import { Counter, Histogram } from 'prom-client';
import { extractTraceContext, inSpan, injectTraceHeaders, Metrics, SpanKind } from '@scimflow/observability';
import { decide, isReplayDelivery, reorderDelay, REPLAY_HEADER, RetryPolicy, webhookHeaders } from '@scimflow/webhooks';
import { LaneSettler } from './lane-settler';
import { WebhookSender } from './webhook-sender';

/** Opened signing secrets kept, by their stored (sealed) value: opening one per request would cost an AES-GCM decryption each. */
const SECRET_CACHE_SIZE = 1000;
/** Margin between the last attempt a turn starts and the end of its lease. */
const LEASE_MARGIN_MS = 5000;

/**
 * A leased lane's turn: sends its ready events one after another, in lane order, each signed (every active
 * secret) and in its own span continuing the event's trace; stops at the first one not accepted, at one still
 * backing off, or when another attempt could outlast the lease; then records the attempts and their consequences
 * (delivered, retry later, subscription disabled by 410, dead letter) through the LaneSettler. An event whose
 * predecessor has not been seen yet is held back for up to WEBHOOK_REORDER_WINDOW_MS. What comes next is the
 * caller's: the result says whether the lane's next event is due and whether a dead letter was made.
 */
@Injectable()
export class DeliverLane {
  private readonly logger = new Logger(DeliverLane.name);
  private readonly policy: RetryPolicy;
  private readonly reorderWindowMs: number;
  private readonly timeoutMs: number;
  private readonly opened = new Map<string, string>();
  private readonly attempts: Counter;
  private readonly attemptSeconds: Histogram;
  private readonly settler: LaneSettler;

  constructor(
    config: NotifierConfig,
    private readonly leases: DeliveryLeases,
    settlement: DeliverySettlement,
    private readonly subscriptions: WebhookSubscriptions,
    private readonly sender: WebhookSender,
    metrics: Metrics,
  ) {
    this.settler = new LaneSettler(settlement);
    this.attempts = metrics.counter(
      'scimflow_webhook_attempts_total',
      'webhook delivery attempts, by what followed: delivered, retry, gone (410), dead_letter',
      ['tenant', 'result'],
    );
    this.attemptSeconds = metrics.histogram('scimflow_webhook_attempt_duration_seconds', 'time from sending a webhook request to its answer or failure', [
      'result',
    ]);
    this.policy = { baseMs: config.WEBHOOK_RETRY_BASE_MS, maxMs: config.WEBHOOK_RETRY_MAX_MS, horizonMs: config.WEBHOOK_RETRY_HORIZON_MS };
    this.reorderWindowMs = config.WEBHOOK_REORDER_WINDOW_MS;
    this.timeoutMs = config.WEBHOOK_TIMEOUT_MS;
  }

  /**
   * `ready`: the lane's first pending deliveries, head first (DeliveryLeases.ready), read at `readAt` (Date.now());
   * `leaseUntil`: this host's conservative estimate of when the lease runs out.
   */
  async execute(lane: LeasedLane, ready: HeadDelivery[], instance: string, leaseUntil: number, readAt = Date.now()): Promise<FinishResult | undefined> {
    if (ready.length === 0) {
      await this.leases.release(lane);
      return undefined;
    }
    const turn: LaneSettlement = { lane, attempts: [] };
    let lastSequence = ready[0].lastSequence;
    for (const [i, event] of ready.entries()) {
      if (i > 0 && (!event.due || Date.now() + this.timeoutMs + LEASE_MARGIN_MS > leaseUntil)) break;
      const dbNow = event.dbNow.getTime() + (Date.now() - readAt);
      const wait = reorderDelay(
        { sequence: event.sequence, lastSequence, queuedForMs: dbNow - event.queuedAt.getTime(), attempts: event.attempts },
        this.reorderWindowMs,
      );
      if (wait > 0) {
        if (i === 0) {
          await this.leases.postpone(lane, wait);
          return undefined;
        }
        break; // recorded below; the lane is due again at once and this event waits then
      }
      const attempt = await this.attempt(event, instance, dbNow);
      turn.attempts.push(attempt);
      if (attempt.outcome.kind !== 'delivered') break;
      if (event.sequence !== undefined) lastSequence = Math.max(lastSequence ?? event.sequence, event.sequence);
    }

    const finished = await this.settler.settle(turn);
    const last = turn.attempts[turn.attempts.length - 1];
    if (finished.leaseLost)
      this.logger.warn(`lease on ${lane.orderingKey} for subscription ${lane.subscriptionId} ran out during an attempt; another instance took over`);
    else if (last.outcome.kind === 'gone') this.logger.warn(`subscription ${last.head.subscriptionId} disabled: ${last.head.url} answered 410 Gone`);
    else if (last.outcome.kind === 'dead-letter')
      this.logger.warn(
        `event ${last.head.eventId} for subscription ${last.head.subscriptionId} is a dead letter after ${last.head.attempts + 1} attempts: ${last.attempt.error}`,
      );
    return finished;
  }

  /** Resolves when every turn finished so far is recorded (shutdown). */
  drain(): Promise<void> {
    return this.settler.drain();
  }

  /** One attempt at one event, in a span that is a child of the event record's trace context. */
  private attempt(event: HeadDelivery, instance: string, dbNow: number): Promise<LaneSettlement['attempts'][number]> {
    const parent = extractTraceContext(event.traceparent ? { traceparent: event.traceparent, tracestate: event.tracestate } : {});
    return inSpan(
      'deliver webhook',
      SpanKind.CLIENT,
      parent,
      {
        'http.request.method': 'POST',
        'messaging.message.id': event.eventId,
        'scimflow.subscription.id': event.subscriptionId,
        'scimflow.webhook.attempt': event.attempts + 1,
      },
      async (span) => {
        const headers = webhookHeaders({ id: event.eventId, timestamp: Math.floor(Date.now() / 1000), body: event.body, secrets: this.signingSecrets(event) });
        if (isReplayDelivery(event.eventId)) headers[REPLAY_HEADER] = 'true';
        injectTraceHeaders(headers); // the delivery span's context: the receiver continues the caller's trace
        const started = performance.now();
        const result = await this.sender.post(event.url, event.body, headers);
        const latencyMs = performance.now() - started;
        const verdict = decide(result, { attempts: event.attempts + 1, elapsedMs: dbNow - event.horizonFrom.getTime() + latencyMs, policy: this.policy });
        const httpStatus = result.kind === 'response' ? result.status : undefined;
        const error = result.kind === 'error' ? result.message : verdict.action === 'delivered' ? undefined : `HTTP ${result.status}`;
        if (httpStatus !== undefined) span.setAttribute('http.response.status_code', httpStatus);
        if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: error });
        const outcome: DeliveryOutcome =
          verdict.action === 'delivered'
            ? { kind: 'delivered' }
            : verdict.action === 'retry'
              ? { kind: 'retry', delayMs: verdict.delayMs }
              : verdict.action === 'gone'
                ? { kind: 'gone', reason: `the receiver answered 410 Gone at ${new Date().toISOString()}` }
                : { kind: 'dead-letter' };
        const label = outcome.kind === 'dead-letter' ? 'dead_letter' : outcome.kind;
        this.attempts.inc({ tenant: event.tenantId, result: label });
        this.attemptSeconds.observe({ result: label }, latencyMs / 1000);
        return {
          head: event,
          attempt: {
            status: verdict.action === 'delivered' ? 'delivered' : 'failed',
            httpStatus,
            latencyMs,
            error,
            responseExcerpt: result.responseExcerpt,
            instance,
          },
          outcome,
        };
      },
    );
  }

  private signingSecrets(event: HeadDelivery): string[] {
    const now = Date.now();
    return event.secrets
      .filter((s) => s.expiresAt === null || Date.parse(s.expiresAt) > now)
      .map((s) => {
        let open = this.opened.get(s.value);
        if (open === undefined) {
          if (this.opened.size >= SECRET_CACHE_SIZE) this.opened.clear();
          open = this.subscriptions.signingSecrets([{ ...s, expiresAt: null }])[0];
          this.opened.set(s.value, open);
        }
        return open;
      });
  }
}
