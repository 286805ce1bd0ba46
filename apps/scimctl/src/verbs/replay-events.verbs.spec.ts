import { parseReplayEventsArgs } from './replay-events.verbs';
import { isReplayDelivery, replayDeliveryId, replayKeyOf } from '@scimflow/webhooks';

describe('parseReplayEventsArgs', () => {
  it('to a subscription', () =>
    expect(parseReplayEventsArgs(['--from', '2026-11-22T10:00:00Z', '--to', '2026-11-22T11:00:00Z', '--subscription', 's', '--tenant', 't'])).toMatchObject({
      from: { kind: 'time', at: new Date('2026-11-22T10:00:00Z') },
      to: new Date('2026-11-22T11:00:00Z'),
      subscriptionId: 's',
      tenantId: 't',
      toTopic: undefined,
    }));
  it('to a topic', () => expect(parseReplayEventsArgs(['--from', 'beginning', '--to-topic', 'x'])).toMatchObject({ toTopic: 'x', subscriptionId: undefined }));
  it.each<[string, string[]]>([
    ['neither target', ['--from', 'beginning']],
    ['both targets', ['--from', 'beginning', '--subscription', 's', '--to-topic', 'x']],
    ['offsets (three topics)', ['--from', '0:1', '--subscription', 's']],
    ['no --from', ['--subscription', 's']],
    ['a replay key with a dot', ['--from', 'beginning', '--subscription', 's', '--replay-key', 'a.b']],
    ['--to before --from', ['--from', '2026-11-22T10:00:00Z', '--to', '2026-11-21T10:00:00Z', '--subscription', 's']],
  ])('rejects %s', (_, args) => expect(() => parseReplayEventsArgs(args)).toThrow());
});

describe('replay delivery ids', () => {
  it('are distinct from the event id, recognisable, and stable per key', () => {
    const id = replayDeliveryId('k1', 'e-1');
    expect(id).toBe('replay_k1_e-1');
    expect(id).not.toContain('.');
    expect(isReplayDelivery(id)).toBe(true);
    expect(isReplayDelivery('e-1')).toBe(false);
    expect(replayKeyOf(['s', 'from', undefined])).toBe(replayKeyOf(['s', 'from', undefined]));
    expect(replayKeyOf(['s', 'from', undefined])).not.toBe(replayKeyOf(['s', 'from', 'to']));
    expect(replayKeyOf(['a'])).toMatch(/^[0-9a-f]{12}$/);
  });
});
