import { CommandOutcome } from '@scimflow/contracts';
import { ScimError } from '@scimflow/scim';

/** The answer recorded for a parked command an operator discarded: it was never applied and never will be. */
export function discardedOutcome(commandId: string, lastError: string | null): CommandOutcome {
  const why = lastError ? ` after failing with: ${lastError}` : ' while it waited behind a failing one';
  return { commandId, status: 500, error: new ScimError(500, `the request was discarded by an operator${why}; it was not applied`).toBody() };
}
