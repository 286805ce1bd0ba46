import { parseReplayCommandsArgs, readCommand } from './replay-commands.command';

describe('parseReplayCommandsArgs', () => {
  it('reads every option', () =>
    expect(parseReplayCommandsArgs(['--from', '0:1', '--to', '2026-11-22T00:00:00Z', '--tenant', 't', '--dry-run', '--force'])).toEqual({
      from: { kind: 'offsets', offsets: new Map([[0, '1']]) },
      to: new Date('2026-11-22T00:00:00Z'),
      tenantId: 't',
      dryRun: true,
      force: true,
    }));
  it('defaults the flags', () => expect(parseReplayCommandsArgs(['--from', 'beginning'])).toMatchObject({ dryRun: false, force: false, tenantId: undefined, to: undefined }));
  it.each([[[]], [['--from', 'beginning', 'extra']], [['--from', 'beginning', '--bogus']]])('rejects %p', (args) =>
    expect(() => parseReplayCommandsArgs(args)).toThrow(),
  );
});

describe('readCommand', () => {
  const c = { v: 1, commandId: 'c1', tenantId: 't', resourceId: 'r', action: 'delete', issuedAt: '2026-01-01T00:00:00Z' };
  it('reads a v1 command', () => expect(readCommand(Buffer.from(JSON.stringify(c)))).toEqual(c));
  it.each([null, Buffer.from('{'), Buffer.from(JSON.stringify({ ...c, v: 2 })), Buffer.from(JSON.stringify({ ...c, commandId: 1 })), Buffer.from('null')])(
    'refuses %p',
    (value) => expect(readCommand(value)).toBeUndefined(),
  );
});
