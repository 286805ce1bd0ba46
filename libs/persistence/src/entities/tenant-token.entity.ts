import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, Relation } from 'typeorm';
import { Tenant } from './tenant.entity';

/** A long-lived bearer token ("Secret Token" in Entra). Only a hash of the secret part is stored. */
@Entity({ name: 'tenant_tokens' })
export class TenantToken {
  /** public, embedded in the token so lookup needs no scan */
  @PrimaryColumn('text')
  id: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  @ManyToOne(() => Tenant, (t) => t.tokens, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Relation<Tenant>;

  @Column('text', { name: 'secret_hash' })
  secretHash: string;

  /** what the token is for, e.g. "Entra production app" (helps to tell tokens apart when rotating) */
  @Column('text', { nullable: true })
  description: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt: Date | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;
}
