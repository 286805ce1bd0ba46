import { ScimctlConfig, validateConfig } from '@scimflow/config';
import { UsageError } from '../command';
import { HOLDS_COMMANDS, thresholdCommand } from './holds.commands';

const TENANT = '4f0e0000-0000-4000-8000-000000000001';
// an unreachable database: every case here must be refused before it is opened
const ctx = { config: validateConfig(ScimctlConfig, { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }), out: () => undefined };

describe('scimctl tenant deprovision-threshold', () => {
  it.each([
    [['--off', '--max-users', '5']],
    [['--window', '60m']],
    [['--max-users', 'many']],
    [['--max-users=-1']],
    [['--max-percent', '250']],
    [['--max-users', '5', '--window', '10s']],
    [['--max-users', '5', '--window', 'hourly']],
  ])('refuses %j', async (options) => {
    await expect(thresholdCommand.run([TENANT, ...options], ctx)).rejects.toThrow(UsageError);
  });

  it('needs exactly one tenant id', async () => {
    await expect(thresholdCommand.run([], ctx)).rejects.toThrow(UsageError);
  });
});

describe('scimctl tenant holds approve|reject', () => {
  it('needs a tenant id and a hold id', async () => {
    for (const command of HOLDS_COMMANDS.filter((c) => c.words.length === 3)) await expect(command.run([TENANT], ctx)).rejects.toThrow(UsageError);
  });
});
