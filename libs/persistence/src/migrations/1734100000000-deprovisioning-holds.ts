import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The deprovisioning threshold per tenant (both limits null: off; the default is Entra's accidental-deletion one,
 * 500 users within an hour), the deprovisionings counted in its sliding window, and the holds: beyond the threshold
 * a tenant's further deprovisioning commands are parked (`held`, with their hold) unapplied until an operator
 * approves (applied in order) or rejects (discarded) the hold. One open hold per tenant.
 */
export class DeprovisioningHolds1734100000000 implements MigrationInterface {
  name = 'DeprovisioningHolds1734100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tenants
        ADD COLUMN deprovision_max_users integer DEFAULT 500 CHECK (deprovision_max_users >= 0),
        ADD COLUMN deprovision_max_percent numeric CHECK (deprovision_max_percent > 0 AND deprovision_max_percent <= 100),
        ADD COLUMN deprovision_window_seconds integer NOT NULL DEFAULT 3600 CHECK (deprovision_window_seconds >= 60)`);
    await q.query(`
      CREATE TABLE deprovisionings (
        command_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX deprovisionings_tenant_at ON deprovisionings (tenant_id, at)`);
    await q.query(`
      CREATE TABLE deprovisioning_holds (
        id bigserial PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'approved', 'rejected')),
        opened_at timestamptz NOT NULL DEFAULT now(),
        decided_at timestamptz,
        decided_by text
      )`);
    await q.query(`CREATE UNIQUE INDEX deprovisioning_holds_open ON deprovisioning_holds (tenant_id) WHERE status = 'open'`);
    await q.query(`CREATE INDEX deprovisioning_holds_tenant ON deprovisioning_holds (tenant_id, id)`);
    await q.query(`ALTER TABLE parked_commands DROP CONSTRAINT IF EXISTS parked_commands_reason_check`);
    await q.query(`ALTER TABLE parked_commands ADD CONSTRAINT parked_commands_reason_check CHECK (reason IN ('failed', 'heavy', 'behind', 'held'))`);
    await q.query(`ALTER TABLE parked_commands ADD COLUMN hold_id bigint REFERENCES deprovisioning_holds(id) ON DELETE CASCADE`);
    await q.query(`CREATE INDEX parked_commands_hold ON parked_commands (hold_id, id) WHERE hold_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM parked_commands WHERE reason = 'held'`);
    await q.query(`ALTER TABLE parked_commands DROP COLUMN hold_id`);
    await q.query(`ALTER TABLE parked_commands DROP CONSTRAINT IF EXISTS parked_commands_reason_check`);
    await q.query(`ALTER TABLE parked_commands ADD CONSTRAINT parked_commands_reason_check CHECK (reason IN ('failed', 'heavy', 'behind'))`);
    await q.query(`DROP TABLE deprovisioning_holds`);
    await q.query(`DROP TABLE deprovisionings`);
    await q.query(`ALTER TABLE tenants DROP COLUMN deprovision_max_users, DROP COLUMN deprovision_max_percent, DROP COLUMN deprovision_window_seconds`);
  }
}
