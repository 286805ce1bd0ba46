import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A provisioned user. The SCIM document (every attribute but id and meta) is kept whole in jsonb;
 * the attributes that are looked up or constrained have their own columns.
 */
@Entity({ name: 'scim_users' })
export class ScimUser {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  /** unique per tenant, case-insensitively (index on lower(user_name)) */
  @Column('text', { name: 'user_name' })
  userName: string;

  @Column('text', { name: 'external_id', nullable: true })
  externalId: string | null;

  @Column('boolean')
  active: boolean;

  @Column('jsonb')
  document: Record<string, unknown>;

  /** per-user sequence: +1 on every applied change; also the ETag and the event sequence */
  @Column('integer')
  version: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;
}
