import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One event delivered to one webhook endpoint; the key makes redelivered Kafka records no-ops. */
@Entity({ name: 'webhook_deliveries' })
export class WebhookDelivery {
  @PrimaryColumn('uuid', { name: 'endpoint_id' })
  endpointId: string;

  @PrimaryColumn('text', { name: 'event_id' })
  eventId: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  @Column('integer')
  attempts: number;

  @Column('integer', { name: 'last_status', nullable: true })
  lastStatus: number | null;

  @Column('timestamptz', { name: 'delivered_at' })
  deliveredAt: Date;
}
