import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * webhook_deliveries.traceparent: the W3C trace context of the change event's Kafka record, kept with the queued
 * delivery so the notifier's delivery span (and the webhook request's `traceparent`) continues the caller's trace
 * however long the delivery waits in its lane. NULL for events that came without one.
 */
export class WebhookTraceContext1733100000000 implements MigrationInterface {
  name = 'WebhookTraceContext1733100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhook_deliveries ADD COLUMN traceparent text, ADD COLUMN tracestate text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhook_deliveries DROP COLUMN traceparent, DROP COLUMN tracestate`);
  }
}
