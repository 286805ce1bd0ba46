import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ScimClient } from '../support/scim-client';
import { useSystem } from '../support/system';

const exec = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

/** The built CLI (npm test builds dist first; scimctl.e2e-spec covers the `npx scimctl` entry), against a running system. */
async function scimctl(...args: string[]) {
  try {
    const { stdout, stderr } = await exec(process.execPath, [path.join(ROOT, 'dist/apps/scimctl/src/main.js'), ...args], { cwd: ROOT, env: process.env });
    return {
      code: 0,
      stdout,
      stderr,
      lines: stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
    };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr, lines: [] };
  }
}

const probe = (baseUrl: string, token: string) => new ScimClient(baseUrl, token).get(`/Users?filter=${encodeURIComponent('userName eq "x"')}`);

function tokenRequest(url: string, clientId: string, clientSecret: string) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
    body: 'grant_type=client_credentials',
  });
}

describe('scimctl: tenants and credentials', () => {
  const system = useSystem({ env: { TENANT_CACHE_TTL_MS: '0' } }); // the ingress sees scimctl's changes at once

  it('tenant create --profile --allow-ip prints the Entra credentials; get/disable/enable/allow-ips/rate-limit/delete', async () => {
    const created = await scimctl('tenant', 'create', '--name', 'Segura demo', '--profile', 'segura', '--allow-ip', '127.0.0.1', '--allow-ip', '2001:db8::/32');
    expect(created.code).toBe(0);
    expect(created.lines).toHaveLength(1);
    const t = created.lines[0];
    expect(Object.keys(t)).toEqual(['tenantId', 'scimBaseUrl', 'token', 'tokenUrl', 'clientId', 'clientSecret']);
    expect(t.tokenUrl).toBe(`${system.baseUrl}/oauth/${t.tenantId}/token`);

    // the OAuth credentials work as Entra uses them: token endpoint, then SCIM with the access token
    const tokenRes = await tokenRequest(t.tokenUrl, t.clientId, t.clientSecret);
    expect(tokenRes.status).toBe(200);
    const { access_token } = (await tokenRes.json()) as { access_token: string };
    expect((await probe(t.scimBaseUrl, access_token)).status).toBe(200);

    const got = await scimctl('tenant', 'get', t.tenantId);
    expect(got.lines[0]).toMatchObject({
      tenantId: t.tenantId,
      name: 'Segura demo',
      profile: 'segura',
      status: 'active',
      allowedSourceIps: ['127.0.0.1/32', '2001:db8::/32'],
    });

    // the test client calls from 127.0.0.1: allowed; after narrowing the list, refused
    expect((await probe(t.scimBaseUrl, t.token)).status).toBe(200);
    expect((await scimctl('tenant', 'allow-ips', t.tenantId, '--allow-ip', '192.0.2.0/24')).lines[0].allowedSourceIps).toEqual(['192.0.2.0/24']);
    expect((await probe(t.scimBaseUrl, t.token)).status).toBe(403);
    expect((await scimctl('tenant', 'allow-ips', t.tenantId)).lines[0].allowedSourceIps).toEqual([]);
    expect((await probe(t.scimBaseUrl, t.token)).status).toBe(200);

    expect((await scimctl('tenant', 'rate-limit', t.tenantId, '--per-second', '5', '--burst', '10')).lines[0].rateLimit).toEqual({ perSecond: 5, burst: 10 });
    expect((await scimctl('tenant', 'rate-limit', t.tenantId, '--default')).lines[0].rateLimit).toBeNull();

    expect((await scimctl('tenant', 'disable', t.tenantId)).lines[0].status).toBe('disabled');
    expect((await probe(t.scimBaseUrl, t.token)).status).toBe(403);
    expect((await scimctl('tenant', 'enable', t.tenantId)).lines[0].status).toBe('active');
    expect((await probe(t.scimBaseUrl, t.token)).status).toBe(200);

    const unconfirmed = await scimctl('tenant', 'delete', t.tenantId);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toMatch(/--yes/);
    expect((await scimctl('tenant', 'delete', t.tenantId, '--yes')).lines[0]).toEqual({ tenantId: t.tenantId, deleted: true });
    expect((await scimctl('tenant', 'get', t.tenantId)).code).toBe(1);
  });

  it('token create/list/revoke and client rotate-secret', async () => {
    const t = (await scimctl('tenant', 'create', '--name', 'rotation')).lines[0];
    const second = (await scimctl('token', 'create', '--tenant', t.tenantId, '--description', 'next')).lines[0];
    expect(second).toEqual({ id: expect.any(String), token: expect.stringMatching(/^scimflow_/), description: 'next', createdAt: expect.any(String) });
    expect((await probe(t.scimBaseUrl, second.token)).status).toBe(200);
    const listed = (await scimctl('token', 'list', '--tenant', t.tenantId)).lines;
    expect(listed.map((x) => x.description)).toEqual([null, 'next']);
    const first = listed.find((x) => x.id !== second.id);
    expect((await scimctl('token', 'revoke', '--tenant', t.tenantId, first.id)).lines[0]).toEqual({ id: first.id, revoked: true });
    expect((await scimctl('token', 'list', '--tenant', t.tenantId)).lines.find((x) => x.id === first.id).revokedAt).toEqual(expect.any(String));
    expect((await scimctl('token', 'revoke', '--tenant', t.tenantId, first.id)).code).toBe(1);

    const rotated = (await scimctl('client', 'rotate-secret', '--tenant', t.tenantId)).lines[0];
    expect(rotated).toEqual({ clientId: t.clientId, clientSecret: expect.stringMatching(/^sfcs_/), tokenUrl: t.tokenUrl });
    expect((await tokenRequest(t.tokenUrl, t.clientId, t.clientSecret)).status).toBe(401);
    expect((await tokenRequest(t.tokenUrl, t.clientId, rotated.clientSecret)).status).toBe(200);
    expect((await scimctl('client', 'get', '--tenant', t.tenantId)).lines[0]).toMatchObject({ clientId: t.clientId, hasSecret: true });
    expect((await scimctl('client', 'remove-secret', '--tenant', t.tenantId)).lines[0]).toEqual({ tenantId: t.tenantId, hasSecret: false });
    expect((await tokenRequest(t.tokenUrl, t.clientId, rotated.clientSecret)).status).toBe(401);
  });

  it('federation add/list/remove and keys rotate/list/retire', async () => {
    const t = (await scimctl('tenant', 'create', '--name', 'federated')).lines[0];
    const added = await scimctl(
      'federation',
      'add',
      '--tenant',
      t.tenantId,
      '--issuer',
      'https://login.microsoftonline.com/x/v2.0',
      '--jwks-url',
      'https://login.microsoftonline.com/x/discovery/v2.0/keys',
      '--subject',
      'sp-1',
    );
    expect(added.lines[0]).toMatchObject({ issuer: 'https://login.microsoftonline.com/x/v2.0', subject: 'sp-1', audience: t.tokenUrl });
    expect((await scimctl('federation', 'list', '--tenant', t.tenantId)).lines).toHaveLength(1);
    expect((await scimctl('federation', 'add', '--tenant', t.tenantId, '--issuer', 'i', '--jwks-url', 'http://keys.example/', '--subject', 's')).code).toBe(2);
    expect((await scimctl('federation', 'remove', '--tenant', t.tenantId, added.lines[0].id)).lines[0]).toEqual({ id: added.lines[0].id, removed: true });
    expect((await scimctl('federation', 'list', '--tenant', t.tenantId)).lines).toHaveLength(0);

    const before = (await (await tokenRequest(t.tokenUrl, t.clientId, t.clientSecret)).json()) as { access_token: string };
    const rotated = (await scimctl('keys', 'rotate')).lines[0];
    expect(rotated).toMatchObject({ kid: expect.any(String), state: 'signing' });
    const keys = (await scimctl('keys', 'list')).lines;
    expect(keys[0]).toMatchObject({ kid: rotated.kid, state: 'signing' });
    expect(keys.slice(1).some((k) => k.state === 'verifying')).toBe(true);
    // the running ingress signs with the new key at once and still accepts the old key's tokens
    const after = (await (await tokenRequest(t.tokenUrl, t.clientId, t.clientSecret)).json()) as { access_token: string };
    expect(JSON.parse(Buffer.from(after.access_token.split('.')[0], 'base64url').toString()).kid).toBe(rotated.kid);
    expect((await probe(t.scimBaseUrl, before.access_token)).status).toBe(200);
    const oldKid = JSON.parse(Buffer.from(before.access_token.split('.')[0], 'base64url').toString()).kid;
    expect((await scimctl('keys', 'retire', oldKid)).lines[0]).toMatchObject({ kid: oldKid, state: 'retired' });
    expect((await scimctl('keys', 'retire', 'nope')).code).toBe(1);
    // a kid (a base64url thumbprint) may begin with '-': it is looked up, not refused as an unknown option (exit 2)
    expect((await scimctl('keys', 'retire', '-no-such-kid')).code).toBe(1);
  });

  it('explains usage errors with exit code 2', async () => {
    for (const args of [
      ['tenant', 'create', '--name', 'x', '--profile', 'okta'],
      ['tenant', 'create', '--name', 'x', '--allow-ip', '10.0.0.1/8'],
      ['token', 'create'],
      ['tenant', 'rate-limit', 'id', '--per-second', '0', '--burst', '1'],
      ['keys', 'retire'],
    ]) {
      const res = await scimctl(...args);
      expect([args.join(' '), res.code]).toEqual([args.join(' '), 2]);
    }
    expect((await scimctl('tenant', 'create', '--name', 'x', '--allow-ip', '10.0.0.1/8')).stderr).toMatch(/host bits set/);
  });
});
