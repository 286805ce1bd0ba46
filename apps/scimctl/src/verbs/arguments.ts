import { parseArgs } from 'node:util';
import { UsageError } from '../verb';

/** The positional arguments of a verb that takes no option. */
export function positionalsOnly(args: string[]): string[] {
  return parseArgs({ args, options: {}, allowPositionals: true, strict: true }).positionals;
}

/** The one positional argument a verb takes (`what`: e.g. 'tenant id'); any other count is a usage error. */
export function oneArgument(positionals: string[], verb: string, what: string): string {
  if (positionals.length !== 1) throw new UsageError(`${verb} needs exactly one ${what}`);
  return positionals[0];
}

/** The required --tenant of a verb. */
export function tenantOf(values: { tenant?: string }, verb: string): string {
  if (!values.tenant) throw new UsageError(`${verb} needs --tenant TENANT_ID`);
  return values.tenant;
}

/** The required --tenant of a verb that takes no other argument. */
export function tenantOnly(args: string[], verb: string): string {
  return tenantOf(parseArgs({ args, options: { tenant: { type: 'string' } }, strict: true }).values, verb);
}
