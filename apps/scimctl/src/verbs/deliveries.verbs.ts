import { UsageError } from '../verb';
import { listingVerb } from './listing';
import { parseLimit, parseSince } from './time-args';

export const deliveriesListVerb = listingVerb({
  words: ['deliveries', 'list'],
  usage:
    'scimctl deliveries list --subscription S [--status delivered|failed] [--since 1h|ISO] [--event ID] [--limit N]\n' +
    '                                                         the delivery log: attempts, newest first (one JSON object per line)',
  options: {
    subscription: { type: 'string' },
    status: { type: 'string' },
    since: { type: 'string' },
    event: { type: 'string' },
    limit: { type: 'string' },
  },
  query(values) {
    if (!values.subscription) throw new UsageError('deliveries list needs --subscription S');
    if (values.status !== undefined && values.status !== 'delivered' && values.status !== 'failed')
      throw new UsageError(`--status must be delivered or failed: ${values.status}`);
    return {
      subscriptionId: values.subscription,
      status: values.status as 'delivered' | 'failed' | undefined,
      since: parseSince(values.since),
      eventId: values.event,
      limit: parseLimit(values.limit),
    };
  },
  list: (s, query) => s.deliveryLog.list(query),
});
