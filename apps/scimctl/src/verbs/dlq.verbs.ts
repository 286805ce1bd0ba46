import { parseArgs } from 'node:util';
import { Verb, UsageError } from '../verb';
import { withStores } from './database';
import { parseLimit, parseSince } from './time-args';

/** Webhook dead letters: `scimctl dlq list|show|redrive`. */

export const dlqListVerb: Verb = {
  words: ['dlq', 'list'],
  usage:
    'scimctl dlq list [--subscription S] [--tenant T] [--since 1h|ISO] [--all] [--limit N]\n' +
    '                                                         dead letters, newest first (--all: also those already redriven)',
  async run(args, { config, out }) {
    const { values } = parseArgs({
      args,
      options: { subscription: { type: 'string' }, tenant: { type: 'string' }, since: { type: 'string' }, all: { type: 'boolean' }, limit: { type: 'string' } },
      strict: true,
    });
    const query = {
      subscriptionId: values.subscription,
      tenantId: values.tenant,
      since: parseSince(values.since),
      includeRedriven: values.all ?? false,
      limit: parseLimit(values.limit),
    };
    for (const letter of await withStores(config, (s) => s.deadLetters.list(query))) out(JSON.stringify(letter));
  },
};

export const dlqShowVerb: Verb = {
  words: ['dlq', 'show'],
  usage: 'scimctl dlq show ID                                     one dead letter with its last response and the event',
  async run(args, { config, out }) {
    const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
    if (positionals.length !== 1) throw new UsageError('dlq show needs exactly one dead-letter id');
    out(JSON.stringify(await withStores(config, (s) => s.deadLetters.show(positionals[0]))));
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
