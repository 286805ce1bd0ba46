import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * parked_commands: commands the reconciler holds back per key, off the partition's path: one it could not apply
 * after its transient retries (`failed`, with its error and attempts), or one slow to apply (`heavy`, applied in the
 * background so that other tenants do not wait for it), and the same key's later commands behind it (`behind`), in
 * their order. A key with rows here is held back; every other key goes on. `command` is the record's value as
 * received (JSON text: NUL and lone surrogates stay escaped, which jsonb would refuse); `reply` is where its writer
 * waits for the answer.
 */
export class ParkedCommands1733300000000 implements MigrationInterface {
  name = 'ParkedCommands1733300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE parked_commands (
        id bigserial PRIMARY KEY,
        record_key text NOT NULL,
        tenant_id uuid NOT NULL,
        command_id uuid NOT NULL UNIQUE,
        resource_type text NOT NULL,
        resource_id uuid NOT NULL,
        action text NOT NULL,
        source text NOT NULL,
        command text NOT NULL,
        reason text NOT NULL CHECK (reason IN ('failed', 'heavy', 'behind')),
        reply jsonb,
        error text,
        attempts integer NOT NULL DEFAULT 0,
        parked_at timestamptz NOT NULL DEFAULT now(),
        last_attempt_at timestamptz,
        next_attempt_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX parked_commands_key ON parked_commands (record_key, id)`);
    await q.query(`CREATE INDEX parked_commands_tenant ON parked_commands (tenant_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE parked_commands`);
  }
}
