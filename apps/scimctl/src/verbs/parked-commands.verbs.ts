import { discardedOutcome } from '@scimflow/provisioning';
import { Verb, UsageError } from '../verb';
import { oneArgument, positionalsOnly } from './arguments';
import { withStores } from './database';
import { listingVerb } from './listing';
import { parseLimit } from './time-args';

/** Parked provisioning commands: `scimctl commands parked|redrive|discard`. */

export const commandsParkedVerb = listingVerb({
  words: ['commands', 'parked'],
  usage:
    'scimctl commands parked [--tenant T] [--limit N]         commands parked after transient failures (state failing, with error and\n' +
    '                                                         attempts) and those of the same user waiting behind them, newest first',
  options: { tenant: { type: 'string' }, limit: { type: 'string' } },
  query: (values) => ({ tenantId: values.tenant, limit: parseLimit(values.limit) }),
  list: (s, query) => s.parkedCommands.list(query),
});

export const commandsRedriveVerb: Verb = {
  words: ['commands', 'redrive'],
  usage: "scimctl commands redrive ID                             retry that user's failing parked command now (then those behind it)",
  async run(args, { config, out }) {
    const id = oneArgument(positionalsOnly(args), 'commands redrive', 'parked command id');
    const view = await withStores(config, (s) => s.parkedCommands.redrive(id));
    if (!view) throw new Error(`parked command ${id} not found`);
    out(JSON.stringify(view));
  },
};

export const commandsDiscardVerb: Verb = {
  words: ['commands', 'discard'],
  usage: 'scimctl commands discard ID                             drop a parked command for good (answered 500, audited); the next goes on',
  async run(args, { config, out }) {
    const id = oneArgument(positionalsOnly(args), 'commands discard', 'parked command id');
    const view = await withStores(config, async (s) => {
      const parked = s.parkedCommands;
      const found = await parked.get(id);
      if (found?.holdId && found.nextAttemptAt === 'infinity')
        throw new UsageError(
          `parked command ${id} is held in deprovisioning hold ${found.holdId}: scimctl tenant holds approve|reject ${found.tenantId} ${found.holdId}`,
        );
      return found && parked.discard(id, discardedOutcome(found.commandId, found.error));
    });
    if (!view) throw new Error(`parked command ${id} not found`);
    out(JSON.stringify(view));
  },
};

export const PARKED_COMMANDS_VERBS = [commandsParkedVerb, commandsRedriveVerb, commandsDiscardVerb];
