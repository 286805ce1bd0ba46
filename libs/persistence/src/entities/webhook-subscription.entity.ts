import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, Relation } from 'typeorm';
import type { StoredWebhookSecret } from '@scimflow/webhooks';
import { Tenant } from './tenant.entity';

/** A product system that receives a tenant's change events, signed, by HTTP POST (Standard Webhooks). */
@Entity({ name: 'webhook_subscriptions' })
export class WebhookSubscription {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  @ManyToOne(() => Tenant, (t) => t.subscriptions, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Relation<Tenant>;

  @Column('text')
  url: string;

  /** CloudEvents types or `prefix.*`; empty: every event */
  @Column('text', { name: 'event_types', array: true, default: () => `'{}'` })
  eventTypes: string[];

  /** newest first; two during a rotation */
  @Column('jsonb')
  secrets: StoredWebhookSecret[];

  @Column('boolean', { default: true })
  enabled: boolean;

  @Column('text', { name: 'disabled_reason', nullable: true })
  disabledReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;
}
