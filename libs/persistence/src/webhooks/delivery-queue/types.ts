import type { StoredWebhookSecret } from '@scimflow/webhooks';

/** One event for one subscription, as the consumer queues it. */
export interface QueuedEvent {
  subscriptionId: string;
  tenantId: string;
  eventId: string;
  eventType: string;
  /** the Kafka record key (`tenantId:userId`): events with the same key go out one at a time, by sequence */
  orderingKey: string;
  sequence?: number;
  /** the record's value, sent byte for byte */
  body: string;
  /** W3C trace context of the event's record: the delivery continues that trace */
  traceparent?: string;
  tracestate?: string;
}

/** A (subscription, ordering key) lane this instance holds until it finishes or the lease runs out. */
export interface LeasedLane {
  subscriptionId: string;
  orderingKey: string;
  leaseToken: string;
}

/** The next pending delivery of a lane, with what sending it needs. */
export interface HeadDelivery {
  id: string;
  sequence?: number;
  /** the highest sequence the lane delivered or dead-lettered so far */
  lastSequence?: number;
  queuedAt: Date;
  subscriptionId: string;
  tenantId: string;
  eventId: string;
  eventType: string;
  orderingKey: string;
  body: string;
  attempts: number;
  redrives: number;
  /** start of the retry horizon: when queued, or when last redriven */
  horizonFrom: Date;
  url: string;
  secrets: StoredWebhookSecret[];
  /** the database clock when the head was read: horizons are measured on it, not on this host's clock */
  dbNow: Date;
  /** its next attempt is due (always so for a due lane's head; a later one may be backing off after an earlier try) */
  due: boolean;
  traceparent?: string;
  tracestate?: string;
}

export interface AttemptRecord {
  status: 'delivered' | 'failed';
  httpStatus?: number;
  latencyMs: number;
  error?: string;
  responseExcerpt?: string;
  instance: string;
}

export type DeliveryOutcome =
  | { kind: 'delivered' }
  | { kind: 'retry'; delayMs: number }
  /** 410: the subscription is disabled with this reason; the event stays queued for re-enabling */
  | { kind: 'gone'; reason: string }
  | { kind: 'dead-letter' };

/** What a lane's turn did: its attempts in lane order; all but the last were delivered. */
export interface LaneSettlement {
  lane: LeasedLane;
  attempts: { head: HeadDelivery; attempt: AttemptRecord; outcome: DeliveryOutcome }[];
}

export interface FinishResult {
  /** the lease had run out and another instance holds the lane: only the attempt was recorded */
  leaseLost: boolean;
  deadLetterId?: string;
  /** the lane's next event can be sent right away */
  nextDue: boolean;
}
