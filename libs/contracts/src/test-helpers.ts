import { ProvisioningCommand, readCommand } from './commands';

/**
 * A command as the reconciler reads it off the topic (readCommand: its payload in its action's shape, a PATCH as the
 * ingress would have validated it); throws for a record the reconciler would answer as malformed.
 */
export function asRead<C extends ProvisioningCommand = ProvisioningCommand>(command: object): C {
  const read = readCommand(JSON.stringify(command));
  if (!read) throw new Error(`readCommand refuses ${JSON.stringify(command).slice(0, 300)}`);
  return read as C;
}
