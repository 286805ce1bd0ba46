import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A provisioned group. The SCIM document (every attribute but id, meta and members) is kept in jsonb; members are
 * rows of scim_group_members. Written with SQL by the reconciler (see GroupStore); the entity documents the table.
 */
@Entity({ name: 'scim_groups' })
export class ScimGroup {
  /** unique per tenant only: the key is (tenant_id, id), so tenants may hold the same ids (a product's own groups) */
  @PrimaryColumn('uuid', { name: 'tenant_id' })
  tenantId: string;

  @PrimaryColumn('uuid')
  id: string;

  /** unique per tenant, case-insensitively (index on lower(display_name)) */
  @Column('text', { name: 'display_name' })
  displayName: string;

  @Column('text', { name: 'external_id', nullable: true })
  externalId: string | null;

  @Column('jsonb')
  document: Record<string, unknown>;

  /** per-group sequence: ETag and the sequence of the group's last event */
  @Column('integer')
  version: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;
}

/** One user's membership of one group of the same tenant (composite foreign keys enforce the tenant). */
@Entity({ name: 'scim_group_members' })
export class ScimGroupMember {
  @PrimaryColumn('uuid', { name: 'tenant_id' })
  tenantId: string;

  @PrimaryColumn('uuid', { name: 'group_id' })
  groupId: string;

  @PrimaryColumn('uuid', { name: 'user_id' })
  userId: string;

  @Column('timestamptz', { name: 'added_at' })
  addedAt: Date;
}
