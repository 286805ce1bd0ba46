import { KafkaJSConnectionError } from 'kafkajs';
import { RecordHeldBackError, RecordTooLargeError } from './record-errors';
import { sortPublishOutcomes } from './publish-outcomes';

const ok = (): PromiseSettledResult<unknown> => ({ status: 'fulfilled', value: undefined });
const no = (reason: unknown): PromiseSettledResult<unknown> => ({ status: 'rejected', reason });

describe('sortPublishOutcomes (what the outbox relay does with each event)', () => {
  it('parks deterministic failures, keeps held-back records waiting, publishes the rest', () => {
    const tooLarge = new RecordTooLargeError('t', 'a', 3e6);
    const out = sortPublishOutcomes(['a1', 'b1', 'a2', 'c1'], [no(tooLarge), ok(), no(new RecordHeldBackError('t', 'a')), ok()]);
    expect(out).toEqual({ published: ['b1', 'c1'], parked: [{ record: 'a1', error: tooLarge }], heldBack: ['a2'] });
  });

  it('does not park a transient failure: it reports it, so the relay backs off and sends it again', () => {
    const down = new KafkaJSConnectionError('Connection error: ECONNREFUSED');
    const out = sortPublishOutcomes(['a', 'b'], [no(down), no(down)]);
    expect(out.parked).toEqual([]);
    expect(out.published).toEqual([]);
    expect(out.transient).toBe(down);
  });

  it('parks an unknown error: retrying what nobody can classify must not stop everything behind it', () => {
    const out = sortPublishOutcomes(['a'], [no(new TypeError('x is not a function'))]);
    expect(out.parked.map((p) => p.record)).toEqual(['a']);
  });
});
