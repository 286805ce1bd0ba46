/**
 * The Entra provisioning job of bench/entra-cycle.ts at a tiny scale against the running system: a tenant made
 * through the admin API, some users imported beforehand (matched by userName or work email), then the initial and the
 * incremental cycle. Every request must succeed and the read-back must equal the directory after each cycle.
 */
import { randomBytes } from 'node:crypto';
import { reportLines, runEntraCycles } from '../../bench/entra-cycle';
import { useSystem } from '../support/system';

const ADMIN_TOKEN = randomBytes(32).toString('base64url');

describe('an Entra provisioning job: initial and incremental cycle', () => {
  const system = useSystem({ env: { ADMIN_TOKEN } });

  it('sends no request that fails, and reads back what the directory means after each cycle', async () => {
    const report = await runEntraCycles({
      baseUrl: system.baseUrl,
      adminToken: ADMIN_TOKEN,
      users: 40,
      groups: 5,
      membershipsPerUser: 3,
      // enough imported users that the seed gives several of each kind
      importedShare: 0.25,
      concurrency: 4,
      memberChunk: 10,
      seed: 16,
      matchByEmail: true,
      settleMs: 5000,
    });
    expect(report.cycles.map((c) => [c.cycle, c.requests > 0, c.consistency !== undefined])).toEqual([
      ['initial', true, true],
      ['incremental', true, true],
    ]);
    // on failure, the whole report: which request kinds failed and with what answer, which attributes differ
    expect(report.ok ? 'PASS' : reportLines(report).join('\n')).toBe('PASS');
    // the imported users were matched, by userName or else by work email, and updated, not created beside the product's
    expect(report.imported.sameUserName).toBeGreaterThan(0);
    expect(report.imported.sameWorkEmail).toBeGreaterThan(0);
    expect(report.cycles[0].statuses['PATCH user matched by userName']).toEqual({ 200: report.imported.sameUserName });
    expect(report.cycles[0].statuses['PATCH user matched by work email']).toEqual({ 200: report.imported.sameWorkEmail });
  });
});
