import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, Relation } from 'typeorm';
import { Tenant } from './tenant.entity';

/** Trust in an external issuer's JWTs as the tenant's client credential (workload identity federation, RFC 7523). */
@Entity({ name: 'federated_credentials' })
export class FederatedCredential {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Relation<Tenant>;

  @Column('text')
  issuer: string;

  @Column('text', { name: 'jwks_url' })
  jwksUrl: string;

  @Column('text')
  subject: string;

  @Column('text')
  audience: string;

  @Column('text', { nullable: true })
  description: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt: Date | null;
}
