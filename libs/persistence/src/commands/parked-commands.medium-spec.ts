import { randomUUID } from 'node:crypto';
import { useDatabase } from '../../../../test/support/medium/database';
import { AuditLog } from '../audit/audit-log';
import { ParkedCommandInput, ParkedCommands, ParkedHead } from './parked-commands';

const db = useDatabase();

function input(tenantId: string, userId: string, action: string): ParkedCommandInput {
  const commandId = randomUUID();
  return {
    recordKey: `${tenantId}:${userId}`,
    tenantId,
    commandId,
    resourceType: 'User',
    resourceId: userId,
    action,
    source: 'scim.commands[0]@1',
    command: JSON.stringify({ commandId, tenantId, resourceId: userId, action }),
  };
}

/** Retries the key's head once and says which command it was handed. */
async function headOf(parked: ParkedCommands, recordKey: string): Promise<string | undefined> {
  let seen: ParkedHead | undefined;
  await parked.retryHead(recordKey, async (head) => {
    seen = head;
    return { kind: 'done' };
  });
  return seen?.commandId;
}

describe('ParkedCommands (Postgres)', () => {
  const tenantId = randomUUID();

  it('hands out a key’s commands in the order they were parked, also where their ids gain a digit', async () => {
    const parked = new ParkedCommands(db(), new AuditLog(db()));
    const userId = randomUUID();
    const first = input(tenantId, userId, 'patch');
    const second = input(tenantId, userId, 'patch');
    const third = input(tenantId, userId, 'delete');
    // ids 9999999999 and 10000000000: ordered as text, the later one would come first
    await db().query(`SELECT setval('parked_commands_id_seq', 9999999998)`);
    await parked.park(first, { kind: 'failed', error: 'timeout', attempts: 3, retryAt: new Date(0) });
    expect(await parked.parkBehind(second)).toBe('failing');
    expect(await parked.parkBehind(third)).toBe('failing');

    expect((await parked.list({ tenantId })).map((v) => [v.commandId, v.state])).toEqual([
      [third.commandId, 'waiting'],
      [second.commandId, 'waiting'],
      [first.commandId, 'failing'],
    ]);
    expect(await headOf(parked, first.recordKey)).toBe(first.commandId);
    expect(await headOf(parked, first.recordKey)).toBe(second.commandId);
    expect(await headOf(parked, first.recordKey)).toBe(third.commandId);
    expect(await parked.retryHead(first.recordKey, async () => ({ kind: 'done' }))).toBe('empty');
  });

  it('parks behind only while the key has parked commands, and keeps a failing head with its new error', async () => {
    const parked = new ParkedCommands(db(), new AuditLog(db()));
    const userId = randomUUID();
    const heavy = input(tenantId, userId, 'put');
    expect(await parked.parkBehind(input(tenantId, userId, 'patch'))).toBeUndefined();
    await parked.park(heavy, { kind: 'heavy' });
    expect(await parked.parkBehind(input(tenantId, userId, 'patch'))).toBe('pending');

    const retryAt = new Date(Date.now() + 60_000);
    expect(await parked.retryHead(heavy.recordKey, async () => ({ kind: 'failed', error: 'database busy', retryAt }))).toBe('retried');
    const [head] = (await parked.list({ tenantId })).filter((v) => v.commandId === heavy.commandId);
    expect(head).toMatchObject({ state: 'failing', attempts: 1, error: 'database busy', nextAttemptAt: retryAt.toISOString() });
    expect((await parked.dueKeys(100)).map((k) => k.recordKey)).not.toContain(heavy.recordKey);
  });
});
