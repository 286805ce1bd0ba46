import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ScimClient } from '../support/scim-client';
import { useSystem } from '../support/system';

const exec = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

/** The CLI as users run it: `npx scimctl …` from the repository root (npm test builds dist first). */
async function scimctl(...args: string[]) {
  try {
    const { stdout, stderr } = await exec('npx', ['--no-install', 'scimctl', ...args], { cwd: ROOT, env: process.env });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('scimctl', () => {
  const system = useSystem(); // sets PUBLIC_BASE_URL, which scimctl uses for the base URL

  it('creates a tenant and prints one line of JSON whose token works against the SCIM base URL', async () => {
    const res = await scimctl('tenant', 'create', '--name', 'CLI tenant', '--webhook', 'http://127.0.0.1:9/hook');
    expect(res.code).toBe(0);
    const lines = res.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const created = JSON.parse(lines[0]);
    expect(created).toEqual({
      tenantId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      scimBaseUrl: `${system.baseUrl}/scim/v2/${created.tenantId}`,
      token: expect.stringMatching(/^scimflow_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/),
      tokenUrl: `${system.baseUrl}/oauth/${created.tenantId}/token`,
      clientId: expect.stringMatching(/^sfc_[a-z0-9]{24}$/),
      clientSecret: expect.stringMatching(/^sfcs_[A-Za-z0-9_-]{43}$/),
    });

    // what the customer pastes into Entra works: Test Connection answers 200 with an empty list
    const probe = await new ScimClient(created.scimBaseUrl, created.token).get(`/Users?filter=${encodeURIComponent('userName eq "x"')}`);
    expect(probe.status).toBe(200);
    expect(probe.body.totalResults).toBe(0);

    const listed = await scimctl('tenant', 'list');
    expect(listed.code).toBe(0);
    const tenants = listed.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(tenants).toContainEqual(
      expect.objectContaining({ tenantId: created.tenantId, name: 'CLI tenant', status: 'active', webhooks: ['http://127.0.0.1:9/hook'] }),
    );
  });

  it('explains usage errors with exit code 2', async () => {
    const noName = await scimctl('tenant', 'create');
    expect(noName.code).toBe(2);
    expect(noName.stderr).toMatch(/needs --name/);
    const unknown = await scimctl('tenant', 'frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command/);
    const badFlag = await scimctl('tenant', 'create', '--nme', 'x');
    expect(badFlag.code).toBe(2);
    const badUrl = await scimctl('tenant', 'create', '--name', 'x', '--webhook', 'ftp://x');
    expect(badUrl.code).toBe(2);
    // a rate Postgres cannot store is a usage error, not a database error
    for (const [perSecond, burst] of [
      ['2147483648', '1'],
      ['1', '1e308'],
    ]) {
      const badRate = await scimctl('tenant', 'rate-limit', '00000000-0000-4000-8000-000000000000', '--per-second', perSecond, '--burst', burst);
      expect(badRate.code).toBe(2);
      expect(badRate.stderr).toMatch(/must be an integer from 1 to 1000000/);
    }
  });
});
