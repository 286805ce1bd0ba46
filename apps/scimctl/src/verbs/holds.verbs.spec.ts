import { ScimctlConfig, validateConfig } from '@scimflow/config';
import { UsageError } from '../verb';
import { HOLDS_VERBS, thresholdVerb } from './holds.verbs';

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
    await expect(thresholdVerb.run([TENANT, ...options], ctx)).rejects.toThrow(UsageError);
  });

  it('needs exactly one tenant id', async () => {
    await expect(thresholdVerb.run([], ctx)).rejects.toThrow(UsageError);
  });
});

describe('scimctl tenant holds approve|reject', () => {
  it('needs a tenant id and a hold id', async () => {
    for (const verb of HOLDS_VERBS.filter((c) => c.words.length === 3)) await expect(verb.run([TENANT], ctx)).rejects.toThrow(UsageError);
  });
});
