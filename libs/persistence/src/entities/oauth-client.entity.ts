import { Column, CreateDateColumn, Entity, JoinColumn, OneToOne, PrimaryColumn, Relation } from 'typeorm';
import { Tenant } from './tenant.entity';

/** A tenant's OAuth 2.0 client (Entra's "Client Identifier"). Only a hash of the secret is stored. */
@Entity({ name: 'oauth_clients' })
export class OAuthClient {
  /** the client id */
  @PrimaryColumn('text')
  id: string;

  @Column('uuid', { name: 'tenant_id', unique: true })
  tenantId: string;

  @OneToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Relation<Tenant>;

  /** null when the client authenticates only with federated assertions */
  @Column('text', { name: 'secret_hash', nullable: true })
  secretHash: string | null;

  @Column('timestamptz', { name: 'secret_created_at', nullable: true })
  secretCreatedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt: Date | null;
}
