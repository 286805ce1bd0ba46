import { ScimctlConfig } from '@scimflow/config';

/** Thrown for a wrong invocation: the CLI prints the usage and exits with 2. */
export class UsageError extends Error {}

export interface CliContext {
  config: ScimctlConfig;
  /** prints one line to stdout (JSON for machine-readable output) */
  out: (line: string) => void;
}

/** One scimctl verb (what users type as a command), e.g. words ['tenant', 'create']. Verbs live in ./verbs, one <noun>.verbs.ts per noun. */
export interface Verb {
  words: string[];
  usage: string;
  run(args: string[], ctx: CliContext): Promise<void>;
}
