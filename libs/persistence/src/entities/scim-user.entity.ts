import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A provisioned user. The SCIM document (every attribute but id and meta) is kept whole in jsonb;
 * the attributes that are looked up or constrained have their own columns.
 */
@Entity({ name: 'scim_users' })
export class ScimUser {
  /** unique per tenant only: the key is (tenant_id, id), so tenants may hold the same ids (a product's own groups) */
  @PrimaryColumn('uuid', { name: 'tenant_id' })
  tenantId: string;

  @PrimaryColumn('uuid')
  id: string;

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

  /** `emails[type eq "work"].value`, lower-cased; indexed per tenant */
  @Column('text', { name: 'work_email', nullable: true })
  workEmail: string | null;

  @Column('text', { name: 'login_method', default: 'sso' })
  loginMethod: 'sso' | 'builtIn';

  @Column('text', { default: 'scim' })
  origin: 'scim' | 'import';

  /** false: imported or soft-deleted, claimable by a SCIM create with its userName or work email */
  @Column('boolean', { default: true })
  linked: boolean;

  /** soft delete: kept for the product, gone for SCIM */
  @Column('timestamptz', { name: 'deleted_at', nullable: true })
  deletedAt: Date | null;
}
