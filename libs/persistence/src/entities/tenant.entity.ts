import { Column, CreateDateColumn, Entity, OneToMany, PrimaryColumn } from 'typeorm';
import { TenantToken } from './tenant-token.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';

export type TenantStatus = 'active' | 'disabled';

/** A customer's Entra connection: one SCIM base URL, its credentials and its product's data. */
@Entity({ name: 'tenants' })
export class Tenant {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('text', { default: 'active' })
  status: TenantStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @OneToMany(() => TenantToken, (t) => t.tenant)
  tokens?: TenantToken[];

  @OneToMany(() => WebhookEndpoint, (w) => w.tenant)
  webhooks?: WebhookEndpoint[];
}
