import { parseArgs } from 'node:util';
import { Verb, UsageError } from '../verb';
import { oneArgument, positionalsOnly } from './arguments';
import { withStores } from './database';
import { listingVerb } from './listing';
import { parseLimit, parseSince } from './time-args';

/** Webhook dead letters: `scimctl dlq list|show|redrive`. */

export const dlqListVerb = listingVerb({
  words: ['dlq', 'list'],
  usage:
    'scimctl dlq list [--subscription S] [--tenant T] [--since 1h|ISO] [--all] [--limit N]\n' +
    '                                                         dead letters, newest first (--all: also those already redriven)',
  options: { subscription: { type: 'string' }, tenant: { type: 'string' }, since: { type: 'string' }, all: { type: 'boolean' }, limit: { type: 'string' } },
  query: (values) => ({
    subscriptionId: values.subscription,
    tenantId: values.tenant,
    since: parseSince(values.since),
    includeRedriven: values.all ?? false,
    limit: parseLimit(values.limit),
  }),
  list: (s, query) => s.deadLetters.list(query),
});

export const dlqShowVerb: Verb = {
  words: ['dlq', 'show'],
  usage: 'scimctl dlq show ID                                     one dead letter with its last response and the event',
  async run(args, { config, out }) {
    const id = oneArgument(positionalsOnly(args), 'dlq show', 'dead-letter id');
    out(JSON.stringify(await withStores(config, (s) => s.deadLetters.show(id))));
  },
};

export const dlqRedriveVerb: Verb = {
  words: ['dlq', 'redrive'],
  usage:
    "scimctl dlq redrive ID... | --subscription S              put dead letters back into their subscription's queue (marked as redrives;\n" +
    '                                                         safe to re-run: each is redriven once); prints {"redriven","skipped"}',
  async run(args, { config, out }) {
    const { values, positionals } = parseArgs({ args, options: { subscription: { type: 'string' } }, allowPositionals: true, strict: true });
    if ((positionals.length === 0) === (values.subscription === undefined))
      throw new UsageError('dlq redrive needs dead-letter ids or --subscription S (not both)');
    const result = await withStores(config, (s) =>
      values.subscription ? s.deadLetters.redriveSubscription(values.subscription) : s.deadLetters.redrive(positionals),
    );
    out(JSON.stringify(result));
  },
};

export const DLQ_VERBS = [dlqListVerb, dlqShowVerb, dlqRedriveVerb];
