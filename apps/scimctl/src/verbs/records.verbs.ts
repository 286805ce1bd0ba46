import { CoalescingProducer, createKafka, parseBrokers } from '@scimflow/messaging';
import { Verb, UsageError } from '../verb';
import { oneArgument, positionalsOnly } from './arguments';
import { withStores } from './database';
import { listingVerb } from './listing';
import { parseLimit } from './time-args';

/** Records parked because they could not be published (stage relay) or queued (stage intake): `scimctl records parked|redrive|discard`. */

export const recordsParkedVerb = listingVerb({
  words: ['records', 'parked'],
  usage: 'scimctl records parked [--stage relay|intake] [--limit N]    parked records with their error, oldest first',
  options: { stage: { type: 'string' }, limit: { type: 'string' } },
  query(values) {
    if (values.stage !== undefined && values.stage !== 'relay' && values.stage !== 'intake') throw new UsageError('--stage is relay or intake');
    return { stage: values.stage as 'relay' | 'intake' | undefined, limit: parseLimit(values.limit) };
  },
  list: (s, query) => s.parkedRecords.list(query),
});

export const recordsRedriveVerb: Verb = {
  words: ['records', 'redrive'],
  usage:
    "scimctl records redrive ID                            publish a parked record again (relay: before its key's later events,\n" +
    '                                                         parked again if it still fails; intake: onto its topic)',
  async run(args, { config, out }) {
    const id = oneArgument(positionalsOnly(args), 'records redrive', 'parked-record id');
    let producer: CoalescingProducer | undefined;
    try {
      const redriven = await withStores(config, (s) =>
        s.parkedRecords.redrive(id, async (record) => {
          producer = new CoalescingProducer(createKafka({ brokers: parseBrokers(config.KAFKA_BROKERS), clientId: 'scimctl-records' }));
          await producer.connect();
          await producer.send(record);
        }),
      );
      if (!redriven) throw new UsageError(`no parked record ${id}`);
      out(JSON.stringify(redriven));
    } finally {
      await producer?.disconnect();
    }
  },
};

export const recordsDiscardVerb: Verb = {
  words: ['records', 'discard'],
  usage: "scimctl records discard ID                            drop a parked record for good (relay: its key's later events go out)",
  async run(args, { config, out }) {
    const id = oneArgument(positionalsOnly(args), 'records discard', 'parked-record id');
    const discarded = await withStores(config, (s) => s.parkedRecords.discard(id));
    if (!discarded) throw new UsageError(`no parked record ${id}`);
    out(JSON.stringify(discarded));
  },
};

export const RECORDS_VERBS = [recordsParkedVerb, recordsRedriveVerb, recordsDiscardVerb];
