import { parseArgs, ParseArgsConfig } from 'node:util';
import { Stores } from '@scimflow/persistence';
import { Verb } from '../verb';
import { withStores } from './database';

type Options = NonNullable<ParseArgsConfig['options']>;
type Values<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true }>>['values'];

/**
 * A verb that lists rows of a store (one JSON object per line): its options (no positional arguments) become the
 * store's query, checked before the database is opened.
 */
export function listingVerb<O extends Options, Q>(verb: {
  words: string[];
  usage: string;
  options: O;
  /** the query of the options; throws UsageError for a bad one */
  query: (values: Values<O>) => Q;
  list: (stores: Stores, query: Q) => Promise<readonly unknown[]>;
}): Verb {
  return {
    words: verb.words,
    usage: verb.usage,
    async run(args, { config, out }) {
      const { values } = parseArgs({ args, options: verb.options, strict: true });
      const query = verb.query(values);
      for (const row of await withStores(config, (s) => verb.list(s, query))) out(JSON.stringify(row));
    },
  };
}
