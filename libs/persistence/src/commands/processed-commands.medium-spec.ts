import { randomUUID } from 'node:crypto';
import { COMMAND_SCHEMA_VERSION, CommandOutcome, ProvisioningCommand } from '@scimflow/contracts';
import { ScimError } from '@scimflow/scim';
import { useDatabase } from '../../../../test/support/medium/database';
import { UserStore } from '../users/user-store';
import { ProcessedCommands } from './processed-commands';

const db = useDatabase();

function command(tenantId: string): ProvisioningCommand {
  return {
    v: COMMAND_SCHEMA_VERSION,
    commandId: randomUUID(),
    issuedAt: new Date().toISOString(),
    tenantId,
    resourceType: 'User',
    resourceId: randomUUID(),
    action: 'delete',
  };
}

describe('ProcessedCommands (Postgres)', () => {
  const tenantId = randomUUID();
  const answered = command(tenantId);
  const failed = command(tenantId);
  const waiting = command(tenantId);
  const ok: CommandOutcome = { commandId: answered.commandId, status: 204 };
  const refused: CommandOutcome = { commandId: failed.commandId, status: 404, error: ScimError.notFound('no such user').toBody() };

  beforeAll(async () => {
    await db().query(`INSERT INTO tenants (id, name) VALUES ($1, 'processed')`, [tenantId]);
    const users = new UserStore(db());
    await db().transaction(async (em) => {
      await users.recordOutcome(em, answered, ok, new Date());
      await users.recordOutcome(em, failed, refused, new Date());
    });
  });

  it('gives the stored outcomes of the commands processed before, and none of the others', async () => {
    const processed = new ProcessedCommands(db());
    expect(await processed.outcomes([answered.commandId, failed.commandId, waiting.commandId])).toEqual(
      new Map([
        [answered.commandId, ok],
        [failed.commandId, refused],
      ]),
    );
    expect(await processed.outcomes([])).toEqual(new Map());
    expect(await processed.outcome(failed.commandId)).toEqual(refused);
    expect(await processed.outcome(waiting.commandId)).toBeUndefined();
  });

  it('reads inside a caller’s transaction what it wrote there, as UserStore’s idempotency check does', async () => {
    const users = new UserStore(db());
    const late = command(tenantId);
    await db().transaction(async (em) => {
      await users.recordOutcome(em, late, ok, new Date());
      expect(await users.processedOutcome(em, late.commandId)).toEqual(ok);
      expect(await users.processedOutcomes(em, [late.commandId, waiting.commandId])).toEqual(new Map([[late.commandId, ok]]));
      expect(await new ProcessedCommands(db()).outcome(late.commandId)).toBeUndefined(); // not committed yet
    });
    expect(await new ProcessedCommands(db()).outcome(late.commandId)).toEqual(ok);
  });
});
