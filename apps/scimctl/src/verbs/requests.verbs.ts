import { UsageError, Verb } from '../verb';
import { isUuid } from '@scimflow/contracts';
import { listingVerb } from './listing';
import { parseLimit, parseSince } from './time-args';

export const requestsVerb = listingVerb({
  words: ['requests'],
  usage:
    'scimctl requests --tenant T [--from 1h|ISO] [--to ISO] [--status 400] [--method PATCH] [--q TEXT] [--limit N] [--before ID] [--id ID]\n' +
    '                                                         the SCIM request log, newest first (one JSON object per line; --id: one entry)',
  options: {
    tenant: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    status: { type: 'string' },
    method: { type: 'string' },
    q: { type: 'string' },
    limit: { type: 'string' },
    before: { type: 'string' },
    id: { type: 'string' },
  },
  query(values) {
    if (!values.tenant) throw new UsageError('requests needs --tenant T');
    if (values.status !== undefined && !/^[1-5]\d\d$/.test(values.status)) throw new UsageError(`--status must be an HTTP status like 400: ${values.status}`);
    const query = {
      from: parseSince(values.from),
      to: parseSince(values.to),
      status: values.status === undefined ? undefined : Number(values.status),
      method: values.method?.toUpperCase(),
      q: values.q,
      limit: parseLimit(values.limit),
      before: values.before,
    };
    if (query.before !== undefined && !isUuid(query.before)) throw new UsageError(`--before must be the id of a request log entry: ${query.before}`);
    return { tenantId: values.tenant, id: values.id, query };
  },
  async list(s, { tenantId, id, query }) {
    if (id === undefined) return s.requestLog.list(tenantId, query);
    const entry = await s.requestLog.get(tenantId, id);
    if (!entry) throw new UsageError(`no request ${id} for tenant ${tenantId}`);
    return [entry];
  },
});

export const REQUESTS_VERBS: Verb[] = [requestsVerb];
