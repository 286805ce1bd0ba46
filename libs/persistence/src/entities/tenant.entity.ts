import { Column, CreateDateColumn, Entity, OneToMany, PrimaryColumn } from 'typeorm';
import type { TenantProfile, TenantStatus } from '@scimflow/contracts';
import { TenantToken } from './tenant-token.entity';
import { WebhookSubscription } from './webhook-subscription.entity';

/** A customer's Entra connection: one SCIM base URL, its credentials and its product's data. */
@Entity({ name: 'tenants' })
export class Tenant {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('text', { default: 'active' })
  status: TenantStatus;

  @Column('text', { default: 'custom' })
  profile: TenantProfile;

  /** the profile's per-tenant settings */
  @Column('jsonb', { default: {} })
  settings: Record<string, unknown>;

  /** CIDR blocks that may call this tenant's SCIM API and token endpoint; empty = everyone */
  @Column('text', { name: 'allowed_source_ips', array: true, default: [] })
  allowedSourceIps: string[];

  /** overrides RATE_LIMIT_PER_SECOND / RATE_LIMIT_BURST; both null = the defaults */
  @Column('integer', { name: 'rate_limit_per_second', nullable: true })
  rateLimitPerSecond: number | null;

  @Column('integer', { name: 'rate_limit_burst', nullable: true })
  rateLimitBurst: number | null;

  /** set while an operator paused the tenant's intake: its SCIM requests are answered 503 + Retry-After */
  @Column('timestamptz', { name: 'intake_paused_at', nullable: true })
  intakePausedAt: Date | null;

  /** set while an operator paused downstream delivery: its change events wait, in order, until resumed */
  @Column('timestamptz', { name: 'delivery_paused_at', nullable: true })
  deliveryPausedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @OneToMany(() => TenantToken, (t) => t.tenant)
  tokens?: TenantToken[];

  @OneToMany(() => WebhookSubscription, (s) => s.tenant)
  subscriptions?: WebhookSubscription[];
}
