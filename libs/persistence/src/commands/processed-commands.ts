import { DataSource, EntityManager } from 'typeorm';
import { CommandOutcome } from '@scimflow/contracts';

/**
 * The commands answered once and for all, with their outcome (table processed_commands, written with each command's
 * effects): a redelivered or replayed command finds its answer here and is not applied again.
 */
export class ProcessedCommands {
  constructor(private readonly ds: DataSource) {}

  /** The stored outcomes of those of `commandIds` processed before. */
  async outcomes(commandIds: string[], em: EntityManager = this.ds.manager): Promise<Map<string, CommandOutcome>> {
    if (!commandIds.length) return new Map();
    const rows: { command_id: string; outcome: CommandOutcome }[] = await em.query(
      `SELECT command_id, outcome FROM processed_commands WHERE command_id = ANY($1::uuid[])`,
      [commandIds],
    );
    return new Map(rows.map((r) => [r.command_id, r.outcome]));
  }

  /** The stored outcome of `commandId`, undefined if it was not processed. */
  async outcome(commandId: string, em: EntityManager = this.ds.manager): Promise<CommandOutcome | undefined> {
    const rows: { outcome: CommandOutcome }[] = await em.query(`SELECT outcome FROM processed_commands WHERE command_id = $1`, [commandId]);
    return rows[0]?.outcome;
  }
}
