import { parseArgs } from 'node:util';
import { CoalescingProducer, createKafka, parseBrokers } from '@scimflow/messaging';
import { Verb, UsageError } from '../verb';
import { withStores } from './database';
import { parseLimit } from './time-args';

/** Records parked because they could not be published (stage relay) or queued (stage intake): `scimctl records parked|redrive|discard`. */

export const recordsParkedVerb: Verb = {
  words: ['records', 'parked'],
  usage: 'scimctl records parked [--stage relay|intake] [--limit N]    parked records with their error, oldest first',
  async run(args, { config, out }) {
    const { values } = parseArgs({ args, options: { stage: { type: 'string' }, limit: { type: 'string' } }, strict: true });
    if (values.stage !== undefined && values.stage !== 'relay' && values.stage !== 'intake') throw new UsageError('--stage is relay or intake');
    const query = { stage: values.stage as 'relay' | 'intake' | undefined, limit: parseLimit(values.limit) };
    for (const record of await withStores(config, (s) => s.parkedRecords.list(query))) out(JSON.stringify(record));
  },
};

export const recordsRedriveVerb: Verb = {
  words: ['records', 'redrive'],
  usage:
    "scimctl records redrive ID                            publish a parked record again (relay: before its key's later events,\n" +
    '                                                         parked again if it still fails; intake: onto its topic)',
  async run(args, { config, out }) {
    const id = oneId(args, 'redrive');
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
    const id = oneId(args, 'discard');
    const discarded = await withStores(config, (s) => s.parkedRecords.discard(id));
    if (!discarded) throw new UsageError(`no parked record ${id}`);
    out(JSON.stringify(discarded));
  },
};

function oneId(args: string[], word: string): string {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError(`records ${word} needs exactly one parked-record id`);
  return positionals[0];
}

export const RECORDS_VERBS = [recordsParkedVerb, recordsRedriveVerb, recordsDiscardVerb];
