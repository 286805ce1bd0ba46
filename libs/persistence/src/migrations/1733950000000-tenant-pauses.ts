import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An operator's pause switches per tenant: intake (Entra's requests answered 503 + Retry-After) and downstream
 * delivery (the tenant's change events wait in the outbox, its webhook lanes are not worked). Null = running.
 */
export class TenantPauses1733950000000 implements MigrationInterface {
  name = 'TenantPauses1733950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenants ADD COLUMN intake_paused_at timestamptz, ADD COLUMN delivery_paused_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenants DROP COLUMN IF EXISTS intake_paused_at, DROP COLUMN IF EXISTS delivery_paused_at`);
  }
}
