/** A subscription as operators and the admin API see it: never a secret's value. */
export interface SubscriptionView {
  id: string;
  tenantId: string;
  url: string;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  createdAt: string;
  updatedAt: string;
  /** newest first; the previous one shows when it stops signing */
  secrets: { createdAt: string; expiresAt: string | null }[];
}

/** The admin API's answer to create and rotate: the one time the new secret is shown. */
export interface SubscriptionWithSecretView extends SubscriptionView {
  secret: string;
}

export type DeliveryAttemptStatus = 'delivered' | 'failed';

/** One delivery attempt as the log shows it. */
export interface DeliveryAttemptView {
  attemptId: string;
  deliveryId: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  /** 1 for the first attempt of the event (counting again from 1 after a redrive) */
  attempt: number;
  status: DeliveryAttemptStatus;
  /** absent when there was no HTTP answer (timeout, connection error) */
  httpStatus: number | null;
  latencyMs: number;
  error: string | null;
  responseExcerpt: string | null;
  redrive: boolean;
  /** the notifier instance that made the attempt */
  instance: string;
  attemptedAt: string;
}

/** A dead letter as `scimctl dlq list` and the admin API show it. */
export interface DeadLetterView {
  id: string;
  subscriptionId: string;
  tenantId: string;
  url: string;
  eventId: string;
  eventType: string;
  orderingKey: string;
  attempts: number;
  /** when the event was queued for this subscription (or redriven): the start of the horizon */
  queuedAt: string;
  lastAttemptAt: string;
  deadAt: string;
  /** HTTP status of the last attempt; null when it got no answer (timeout, connection error) */
  lastStatus: number | null;
  lastError: string | null;
  /** the first bytes of the last response body */
  lastResponseExcerpt: string | null;
  publishedAt: string | null;
  /** set once the event was put back into the queue; the record stays as history */
  redrivenAt: string | null;
}

export interface RedriveResult {
  redriven: string[];
  skipped: { id: string; reason: string }[];
}

/** What a replay of a subscription's events would queue (POST …/replays with dryRun: true). */
export interface EventReplayCount {
  /** records in the event topics from `from` to their ends */
  planned: number;
  read: number;
  /** the subscription's events (its tenant and event types) in the range */
  matched: number;
}

export type EventReplayState = 'running' | 'done' | 'failed' | 'interrupted';

/** A replay of a subscription's past events and its progress. */
export interface EventReplayView extends EventReplayCount {
  id: string;
  subscriptionId: string;
  tenantId: string;
  replayKey: string;
  from: string;
  to: string | null;
  state: EventReplayState;
  queued: number;
  alreadyQueued: number;
  error: string | null;
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
}
