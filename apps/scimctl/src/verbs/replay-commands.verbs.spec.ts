import { parseReplayCommandsArgs } from './replay-commands.verbs';

describe('parseReplayCommandsArgs', () => {
  it('reads every option', () =>
    expect(parseReplayCommandsArgs(['--from', '0:1', '--to', '2026-11-22T00:00:00Z', '--tenant', 't', '--dry-run', '--force'])).toEqual({
      from: { kind: 'offsets', offsets: new Map([[0, '1']]) },
      to: new Date('2026-11-22T00:00:00Z'),
      tenantId: 't',
      dryRun: true,
      force: true,
    }));
  it('defaults the flags', () =>
    expect(parseReplayCommandsArgs(['--from', 'beginning'])).toMatchObject({ dryRun: false, force: false, tenantId: undefined, to: undefined }));
  it.each([[[]], [['--from', 'beginning', 'extra']], [['--from', 'beginning', '--bogus']]])('rejects %p', (args) =>
    expect(() => parseReplayCommandsArgs(args)).toThrow(),
  );
});
