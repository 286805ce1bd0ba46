import type { DeadLetterView } from './views/webhooks';

/** Version of the WebhookDeadLetter record on `scim.dead-letters` (header `schema-version`). */
export const DEAD_LETTER_SCHEMA_VERSION = 1;

/**
 * An event a webhook subscription did not accept within the retry horizon (WEBHOOK_RETRY_HORIZON_MS).
 * Published to `scim.dead-letters`, keyed like the event (`tenantId:userId`), and kept queryable in Postgres
 * (`scimctl dlq list|show|redrive`). `event` is the CloudEvent exactly as it was delivered.
 */
export interface WebhookDeadLetter extends Pick<
  DeadLetterView,
  'subscriptionId' | 'tenantId' | 'url' | 'eventId' | 'eventType' | 'orderingKey' | 'attempts' | 'queuedAt' | 'lastAttemptAt' | 'deadAt'
> {
  v: typeof DEAD_LETTER_SCHEMA_VERSION;
  /** id of the dead-letter record (`scimctl dlq show <id>`) */
  deadLetterId: string;
  /** HTTP status of the last attempt; absent when it got no answer (timeout, connection error) */
  lastStatus?: number;
  lastError?: string;
  /** the first bytes of the last response body */
  lastResponseExcerpt?: string;
  event: Record<string, unknown>;
}
