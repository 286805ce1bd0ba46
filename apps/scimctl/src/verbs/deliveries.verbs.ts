import { parseArgs } from 'node:util';
import { Verb, UsageError } from '../verb';
import { withStores } from './database';
import { parseLimit, parseSince } from './time-args';

export const deliveriesListVerb: Verb = {
  words: ['deliveries', 'list'],
  usage:
    'scimctl deliveries list --subscription S [--status delivered|failed] [--since 1h|ISO] [--event ID] [--limit N]\n' +
    '                                                         the delivery log: attempts, newest first (one JSON object per line)',
  async run(args, { config, out }) {
    const { values } = parseArgs({
      args,
      options: {
        subscription: { type: 'string' },
        status: { type: 'string' },
        since: { type: 'string' },
        event: { type: 'string' },
        limit: { type: 'string' },
      },
      strict: true,
    });
    if (!values.subscription) throw new UsageError('deliveries list needs --subscription S');
    if (values.status !== undefined && values.status !== 'delivered' && values.status !== 'failed')
      throw new UsageError(`--status must be delivered or failed: ${values.status}`);
    const query = {
      subscriptionId: values.subscription,
      status: values.status as 'delivered' | 'failed' | undefined,
      since: parseSince(values.since),
      eventId: values.event,
      limit: parseLimit(values.limit),
    };
    for (const attempt of await withStores(config, (s) => s.deliveryLog.list(query))) out(JSON.stringify(attempt));
  },
};
