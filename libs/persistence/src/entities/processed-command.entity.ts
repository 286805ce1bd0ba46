import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The reconciler's idempotency record: a command id is applied once; a redelivery gets the stored outcome. */
@Entity({ name: 'processed_commands' })
export class ProcessedCommand {
  @PrimaryColumn('uuid', { name: 'command_id' })
  commandId: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  @Column('uuid', { name: 'resource_id' })
  resourceId: string;

  @Column('jsonb')
  outcome: Record<string, unknown>;

  @Column('timestamptz', { name: 'processed_at' })
  processedAt: Date;
}
