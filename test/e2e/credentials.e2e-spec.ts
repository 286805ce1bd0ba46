import { generateKeyPairSync, KeyObject, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { signJwt } from '../../libs/access/src';
import { IngressConfig } from '../../libs/config/src';
import type { CreatedTenantView } from '../../libs/contracts/src';
import { ScimClient, patchOps } from '../support/scim-client';
import { useSystem } from '../support/system';

/**
 * Tenants and credentials end to end: admin API, secret tokens, OAuth client credentials, signing-key
 * rotation, workload identity federation against a local JWKS server, source-IP allow-lists behind a
 * trusted proxy, rate limits, body size limit, and tenant isolation on every SCIM endpoint.
 */

const ADMIN_TOKEN = randomBytes(32).toString('base64url');
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTRA_ISSUER = 'https://login.microsoftonline.com/8eaef023-2b34-4da1-9baa-8bc8c9d6a490/v2.0';
const FED_AUDIENCE = 'api://AzureADTokenExchange';
const FED_SUBJECT = 'c0ffee00-1111-2222-3333-444455556666';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const now = () => Math.floor(Date.now() / 1000);

type Created = CreatedTenantView;

type Answer = { status: number; headers: Headers; body: any };

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, init);
  const text = await res.text();
  // JSON answers (SCIM, OAuth, admin) are parsed; the docs page stays text
  const body = text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text || undefined;
  return { status: res.status, headers: res.headers, body };
}

const user = (userName: string) => ({ schemas: [USER], userName, externalId: userName, active: true, name: { givenName: 'Ada', familyName: 'Lovelace' } });

/** A stand-in for Entra's key discovery endpoint: serves a JWK Set and counts fetches. */
class JwksServer {
  readonly keys = new Map<string, { privateKey: KeyObject; publicKey: KeyObject }>();
  fetches = 0;
  private server?: http.Server;
  url = '';

  addKey(kid: string) {
    this.keys.set(kid, generateKeyPairSync('rsa', { modulusLength: 2048 }));
  }

  async start() {
    this.server = http.createServer((_req, res) => {
      this.fetches++;
      const keys = [...this.keys].map(([kid, k]) => ({ ...k.publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/discovery/v2.0/keys`;
  }

  async stop() {
    await new Promise<void>((r) => this.server?.close(() => r()));
  }

  /** An Entra-like assertion; `kid`'s key signs unless `signWith` names another key pair. */
  assertion(claims: object = {}, o: { kid?: string; signWith?: KeyObject } = {}) {
    const kid = o.kid ?? 'entra-1';
    const key = o.signWith ?? this.keys.get(kid)?.privateKey ?? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    return signJwt(
      { iss: ENTRA_ISSUER, sub: FED_SUBJECT, aud: FED_AUDIENCE, iat: now() - 5, nbf: now() - 5, exp: now() + 600, jti: randomUUID(), ...claims },
      { kid, alg: 'RS256', privateKey: key },
    );
  }
}

describe('tenants and credentials', () => {
  const system = useSystem({ env: { ADMIN_TOKEN, TRUSTED_PROXIES: '127.0.0.1/32, ::1/128', MAX_BODY_BYTES: '65536' } });
  let config: IngressConfig;

  beforeAll(async () => {
    config = system.ingress.get(IngressConfig);
  });

  const admin = (method: string, path: string, body?: unknown, token = ADMIN_TOKEN) =>
    call(`${system.baseUrl}/admin${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  async function createTenant(body: object = {}): Promise<Created> {
    const res = await admin('POST', '/tenants', { name: `t-${randomUUID().slice(0, 8)}`, ...body });
    expect(res.status).toBe(201);
    return res.body;
  }

  /** A token request as Entra sends it: form-encoded, client_secret_basic unless told otherwise. */
  function tokenRequest(url: string, params: Record<string, string>, o: { basic?: [string, string]; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', ...o.headers };
    if (o.basic) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(o.basic[0])}:${encodeURIComponent(o.basic[1])}`).toString('base64')}`;
    return call(url, { method: 'POST', headers, body: new URLSearchParams(params).toString() });
  }

  async function accessToken(t: Created): Promise<string> {
    const res = await tokenRequest(t.tokenUrl, { grant_type: 'client_credentials' }, { basic: [t.clientId, t.clientSecret] });
    expect(res.status).toBe(200);
    return res.body.access_token;
  }

  const probe = (t: { scimBaseUrl: string }, token: string, headers: Record<string, string> = {}) =>
    new ScimClient(t.scimBaseUrl, token).request('GET', `/Users?filter=${encodeURIComponent('userName eq "probe"')}`, undefined, headers);

  const jwtHeader = (token: string) => JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString());

  describe('admin API', () => {
    it('requires the admin credential, and says so when it is not configured', async () => {
      for (const token of ['', 'wrong-token', `${ADMIN_TOKEN}x`]) {
        const res = await admin('GET', '/tenants', undefined, token);
        expect(res.status).toBe(401);
        expect(res.body).toEqual({
          schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
          status: '401',
          detail: expect.stringMatching(/Admin credential required/),
        });
      }
      const unauthenticatedCreate = await admin('POST', '/tenants', { name: 'nope' }, 'wrong-token');
      expect(unauthenticatedCreate.status).toBe(401);

      config.ADMIN_TOKEN = '';
      try {
        const off = await admin('GET', '/tenants');
        expect(off.status).toBe(503);
        expect(off.body.detail).toMatch(/admin API is disabled: set ADMIN_TOKEN/);
      } finally {
        config.ADMIN_TOKEN = ADMIN_TOKEN;
      }
    });

    it('serves its OpenAPI document at /admin/docs', async () => {
      const page = await call(`${system.baseUrl}/admin/docs`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(page.body).toMatch(/swagger/i);
      const doc = await call(`${system.baseUrl}/admin/docs-json`);
      expect(doc.status).toBe(200);
      expect(doc.body.openapi).toMatch(/^3\./);
      const paths = Object.keys(doc.body.paths);
      expect(paths).toEqual(
        expect.arrayContaining([
          '/admin/tenants',
          '/admin/tenants/{tenantId}',
          '/admin/tenants/{tenantId}/disable',
          '/admin/tenants/{tenantId}/tokens',
          '/admin/tenants/{tenantId}/tokens/{tokenId}',
          '/admin/tenants/{tenantId}/client/secret',
          '/admin/tenants/{tenantId}/federated-credentials',
          '/admin/tenants/{tenantId}/allowed-source-ips',
          '/admin/tenants/{tenantId}/rate-limit',
          '/admin/signing-keys/rotate',
        ]),
      );
      // the admin API and the console's own API; never the SCIM API (its discovery endpoints describe it)
      expect(paths.filter((p) => !p.startsWith('/admin') && !p.startsWith('/console/api/'))).toEqual([]);
      expect(doc.body.components.schemas.CreateTenantDto.properties.profile.enum).toEqual(['segura', 'appsec', 'workforce', 'surecloud', 'custom']);
    });

    it('creates, lists, gets, disables, enables and deletes a tenant', async () => {
      const created = await createTenant({ profile: 'segura', allowedSourceIps: [] });
      expect(created).toEqual({
        tenantId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        scimBaseUrl: `${system.baseUrl}/scim/v2/${created.tenantId}`,
        token: expect.stringMatching(/^scimflow_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/),
        tokenUrl: `${system.baseUrl}/oauth/${created.tenantId}/token`,
        clientId: expect.stringMatching(/^sfc_[a-z0-9]{24}$/),
        clientSecret: expect.stringMatching(/^sfcs_[A-Za-z0-9_-]{43}$/),
        name: expect.any(String),
        profile: 'segura',
      });
      // secrets are stored only as scrypt hashes
      const [client] = await system.db.query(`SELECT secret_hash FROM oauth_clients WHERE tenant_id = $1`, [created.tenantId]);
      expect(client.secret_hash).toMatch(/^scrypt\$/);
      expect(client.secret_hash).not.toContain(created.clientSecret.slice(5));

      const got = await admin('GET', `/tenants/${created.tenantId}`);
      expect(got.status).toBe(200);
      expect(got.body).toEqual({
        tenantId: created.tenantId,
        name: expect.any(String),
        profile: 'segura',
        status: 'active',
        createdAt: expect.any(String),
        scimBaseUrl: created.scimBaseUrl,
        tokenUrl: created.tokenUrl,
        allowedSourceIps: [],
        rateLimit: null,
        settings: {},
        intakePausedAt: null,
        deliveryPausedAt: null,
      });
      expect(JSON.stringify(got.body)).not.toContain(created.clientSecret);
      const listed = await admin('GET', '/tenants');
      expect(listed.body.map((t: { tenantId: string }) => t.tenantId)).toContain(created.tenantId);

      expect((await probe(created, created.token)).status).toBe(200);
      const disabled = await admin('POST', `/tenants/${created.tenantId}/disable`);
      expect(disabled.status).toBe(200);
      expect(disabled.body.status).toBe('disabled');
      // a valid credential of a disabled tenant: 403 on SCIM (RFC 7644 §3.12) and at the token endpoint
      const refused = await probe(created, created.token);
      expect(refused.status).toBe(403);
      expect(refused.body.detail).toMatch(/tenant is disabled/);
      const tokenRefused = await tokenRequest(created.tokenUrl, { grant_type: 'client_credentials' }, { basic: [created.clientId, created.clientSecret] });
      expect(tokenRefused.status).toBe(403);
      expect((await admin('POST', `/tenants/${created.tenantId}/enable`)).body.status).toBe('active');
      expect((await probe(created, created.token)).status).toBe(200);

      expect((await admin('DELETE', `/tenants/${created.tenantId}`)).status).toBe(204);
      expect((await admin('GET', `/tenants/${created.tenantId}`)).status).toBe(404);
      expect((await admin('DELETE', `/tenants/${created.tenantId}`)).status).toBe(404);
      expect((await probe(created, created.token)).status).toBe(401);
      const [{ count }] = await system.db.query(`SELECT count(*)::int AS count FROM tenant_tokens WHERE tenant_id = $1`, [created.tenantId]);
      expect(count).toBe(0);
    });

    it('refuses bad input with 400 and unknown tenants with 404, as SCIM errors', async () => {
      const badProfile = await admin('POST', '/tenants', { name: 'x', profile: 'okta' });
      expect(badProfile.status).toBe(400);
      expect(badProfile.body.detail).toMatch(/profile must be one of/);
      const badCidr = await admin('POST', '/tenants', { name: 'x', allowedSourceIps: ['10.0.0.1/8'] });
      expect(badCidr.status).toBe(400);
      expect(badCidr.body).toMatchObject({ scimType: 'invalidValue', detail: expect.stringMatching(/host bits set; the block is 10\.0\.0\.0\/8/) });
      expect((await admin('POST', '/tenants', { name: 'x', colour: 'blue' })).status).toBe(400);
      expect((await admin('POST', '/tenants', {})).status).toBe(400);
      expect((await admin('PUT', `/tenants/${randomUUID()}/rate-limit`, { perSecond: 0, burst: 1 })).status).toBe(400);
      for (const id of [randomUUID(), 'not-a-uuid']) {
        expect((await admin('GET', `/tenants/${id}`)).status).toBe(404);
        expect((await admin('POST', `/tenants/${id}/tokens`, {})).status).toBe(404);
        expect((await admin('POST', `/tenants/${id}/client/secret`)).status).toBe(404);
      }
    });

    it('keeps several secret tokens active for rotation, with created/last-used times, and revokes them', async () => {
      const t = await createTenant();
      const second = await admin('POST', `/tenants/${t.tenantId}/tokens`, { description: 'rotation 2' });
      expect(second.status).toBe(201);
      expect(second.body).toEqual({
        id: expect.any(String),
        token: expect.stringMatching(/^scimflow_/),
        description: 'rotation 2',
        createdAt: expect.any(String),
      });
      expect((await probe(t, t.token)).status).toBe(200);
      expect((await probe(t, second.body.token)).status).toBe(200);

      const tokens = await admin('GET', `/tenants/${t.tenantId}/tokens`);
      expect(tokens.body).toHaveLength(2);
      expect(tokens.body.map((x: { description: string | null }) => x.description)).toEqual([null, 'rotation 2']);
      for (const tok of tokens.body) {
        expect(tok).toEqual({
          id: expect.any(String),
          description: tok.description,
          createdAt: expect.any(String),
          lastUsedAt: expect.any(String),
          revokedAt: null,
        });
        expect(JSON.stringify(tok)).not.toMatch(/scimflow_/);
      }
      const first = tokens.body.find((x: { id: string }) => x.id !== second.body.id);
      expect((await admin('DELETE', `/tenants/${t.tenantId}/tokens/${first.id}`)).status).toBe(204);
      expect((await probe(t, t.token)).status).toBe(401);
      expect((await probe(t, second.body.token)).status).toBe(200);
      expect((await admin('DELETE', `/tenants/${t.tenantId}/tokens/${first.id}`)).status).toBe(404);
      const after = await admin('GET', `/tenants/${t.tenantId}/tokens`);
      expect(after.body.find((x: { id: string }) => x.id === first.id).revokedAt).toEqual(expect.any(String));
    });
  });

  describe('OAuth 2.0 client credentials', () => {
    let t: Created;
    beforeAll(async () => {
      t = await createTenant({ profile: 'segura' });
    });

    it('issues a short-lived bearer token with client_secret_basic that works on the SCIM API', async () => {
      const res = await tokenRequest(t.tokenUrl, { grant_type: 'client_credentials' }, { basic: [t.clientId, t.clientSecret] });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 });
      const claims = JSON.parse(Buffer.from(res.body.access_token.split('.')[1], 'base64url').toString());
      expect(claims).toEqual({
        iss: system.baseUrl,
        aud: t.scimBaseUrl,
        sub: t.clientId,
        tid: t.tenantId,
        iat: expect.any(Number),
        exp: claims.iat + 3600,
        jti: expect.any(String),
      });
      expect(jwtHeader(res.body.access_token)).toEqual({ alg: 'ES256', typ: 'at+jwt', kid: expect.any(String) });

      const scim = new ScimClient(t.scimBaseUrl, res.body.access_token);
      expect((await scim.get(`/Users?filter=${encodeURIComponent('userName eq "nobody"')}`)).body.totalResults).toBe(0);
      const created = await scim.post('/Users', user('oauth-user@contoso.example'));
      expect(created.status).toBe(201);
      expect((await scim.get(`/Users/${created.body.id}`)).body.userName).toBe('oauth-user@contoso.example');
    });

    it('issues with client_secret_post too, ignoring a scope', async () => {
      const res = await tokenRequest(t.tokenUrl, { grant_type: 'client_credentials', client_id: t.clientId, client_secret: t.clientSecret, scope: 'scim' });
      expect(res.status).toBe(200);
      expect((await probe(t, res.body.access_token)).status).toBe(200);
    });

    it('answers protocol errors as OAuth JSON (RFC 6749 §5.2), never as SCIM errors', async () => {
      const wrong = await tokenRequest(t.tokenUrl, { grant_type: 'client_credentials' }, { basic: [t.clientId, `${t.clientSecret}x`] });
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic realm="scimflow"/);
      expect(wrong.headers.get('content-type')).toMatch(/^application\/json/);
      expect(wrong.body).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed' });

      const wrongPost = await tokenRequest(t.tokenUrl, { grant_type: 'client_credentials', client_id: t.clientId, client_secret: 'nope' });
      expect(wrongPost.status).toBe(401);
      expect(wrongPost.body.error).toBe('invalid_client');
      const unknownClient = await tokenRequest(t.tokenUrl, { grant_type: 'client_credentials' }, { basic: ['sfc_000000000000000000000000', t.clientSecret] });
      expect(unknownClient.body).toEqual(wrong.body);
      const unknownTenant = await tokenRequest(
        `${system.baseUrl}/oauth/${randomUUID()}/token`,
        { grant_type: 'client_credentials' },
        { basic: [t.clientId, t.clientSecret] },
      );
      expect([unknownTenant.status, unknownTenant.body]).toEqual([401, wrong.body]);

      const noAuth = await tokenRequest(t.tokenUrl, { grant_type: 'client_credentials' });
      expect([noAuth.status, noAuth.body.error]).toEqual([401, 'invalid_client']);
      const grant = await tokenRequest(t.tokenUrl, { grant_type: 'password', username: 'a', password: 'b' }, { basic: [t.clientId, t.clientSecret] });
      expect([grant.status, grant.body.error]).toEqual([400, 'unsupported_grant_type']);
      const missing = await tokenRequest(t.tokenUrl, {}, { basic: [t.clientId, t.clientSecret] });
      expect([missing.status, missing.body.error]).toEqual([400, 'invalid_request']);
      const json = await call(t.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'client_credentials' }),
      });
      expect([json.status, json.body.error]).toEqual([400, 'invalid_request']);
      const twice = await call(t.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=client_credentials&client_id=${t.clientId}&client_secret=${t.clientSecret}&client_secret=other`,
      });
      expect([twice.status, twice.body.error]).toEqual([400, 'invalid_request']);
      const assertionGrant = await tokenRequest(t.tokenUrl, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: 'a.b.c' });
      expect([assertionGrant.status, assertionGrant.body.error]).toEqual([400, 'invalid_grant']);
    });

    it('refuses an access token after it expires (short TTL), and a tampered one', async () => {
      const ttl = config.ACCESS_TOKEN_TTL_SECONDS;
      config.ACCESS_TOKEN_TTL_SECONDS = 2;
      let token: string;
      try {
        const res = await tokenRequest(t.tokenUrl, { grant_type: 'client_credentials' }, { basic: [t.clientId, t.clientSecret] });
        expect(res.body.expires_in).toBe(2);
        token = res.body.access_token;
      } finally {
        config.ACCESS_TOKEN_TTL_SECONDS = ttl;
      }
      expect((await probe(t, token)).status).toBe(200);
      await sleep(3000);
      const expired = await probe(t, token);
      expect(expired.status).toBe(401);
      expect(expired.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);

      const fresh = await accessToken(t);
      const [h, p, s] = fresh.split('.');
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
      const longer = `${h}.${Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 86400 })).toString('base64url')}.${s}`;
      expect((await probe(t, longer)).status).toBe(401);
    });

    it('rotates the client secret: the new one works at once, the old one stops, issued tokens live on', async () => {
      const before = await accessToken(t);
      const rotated = await admin('POST', `/tenants/${t.tenantId}/client/secret`);
      expect(rotated.status).toBe(201);
      expect(rotated.body).toEqual({ clientId: t.clientId, clientSecret: expect.stringMatching(/^sfcs_/), tokenUrl: t.tokenUrl });
      const old = await tokenRequest(t.tokenUrl, { grant_type: 'client_credentials' }, { basic: [t.clientId, t.clientSecret] });
      expect(old.status).toBe(401);
      t = { ...t, clientSecret: rotated.body.clientSecret };
      expect((await probe(t, await accessToken(t))).status).toBe(200);
      expect((await probe(t, before)).status).toBe(200);
      const client = await admin('GET', `/tenants/${t.tenantId}/client`);
      expect(client.body).toEqual({
        clientId: t.clientId,
        hasSecret: true,
        secretCreatedAt: expect.any(String),
        lastUsedAt: expect.any(String),
        tokenUrl: t.tokenUrl,
      });
    });

    it('rotates the signing key: new tokens carry the new kid, old tokens verify until they expire or the key is retired', async () => {
      const oldToken = await accessToken(t);
      const oldKid = jwtHeader(oldToken).kid;
      const rotated = await admin('POST', '/signing-keys/rotate');
      expect(rotated.status).toBe(201);
      const newToken = await accessToken(t);
      const newKid = jwtHeader(newToken).kid;
      expect(newKid).not.toBe(oldKid);
      expect((await probe(t, oldToken)).status).toBe(200);
      expect((await probe(t, newToken)).status).toBe(200);

      const keys = (await admin('GET', '/signing-keys')).body as { kid: string; state: string; verifyUntil: string | null }[];
      expect(keys[0]).toMatchObject({ kid: newKid, state: 'signing', verifyUntil: null });
      const old = keys.find((k) => k.kid === oldKid)!;
      expect(old.state).toBe('verifying');
      // verifies exactly as long as a token it signed can live
      expect(Date.parse(old.verifyUntil!) - Date.now()).toBeGreaterThan(3500 * 1000);
      const jwks = await call(`${system.baseUrl}/oauth/jwks`);
      expect(jwks.body.keys.map((k: { kid: string }) => k.kid)).toEqual(expect.arrayContaining([oldKid, newKid]));
      expect(JSON.stringify(jwks.body)).not.toMatch(/"d"/);

      const retired = await admin('POST', `/signing-keys/${oldKid}/retire`);
      expect(retired.status).toBe(200);
      expect(retired.body.find((k: { kid: string }) => k.kid === oldKid).state).toBe('retired');
      expect((await probe(t, oldToken)).status).toBe(401);
      expect((await probe(t, newToken)).status).toBe(200);
      expect((await admin('POST', '/signing-keys/no-such-kid/retire')).status).toBe(404);
    });
  });

  describe('workload identity federation (RFC 7523 client assertions)', () => {
    const jwks = new JwksServer();
    let t: Created;
    const assertionRequest = (url: string, assertion: string, extra: Record<string, string> = {}) =>
      tokenRequest(url, {
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
        ...extra,
      });

    beforeAll(async () => {
      jwks.addKey('entra-1');
      await jwks.start();
      t = await createTenant({ profile: 'segura' });
      const fc = await admin('POST', `/tenants/${t.tenantId}/federated-credentials`, {
        issuer: ENTRA_ISSUER,
        jwksUrl: jwks.url,
        subject: FED_SUBJECT,
        audience: FED_AUDIENCE,
        description: 'Entra provisioning agent',
      });
      expect(fc.status).toBe(201);
      // no client secret need exist
      expect((await admin('DELETE', `/tenants/${t.tenantId}/client/secret`)).status).toBe(204);
    });
    afterAll(async () => jwks.stop());

    it('refuses a plain-http JWKS URL off loopback and a duplicate trust', async () => {
      const bad = await admin('POST', `/tenants/${t.tenantId}/federated-credentials`, { issuer: 'x', jwksUrl: 'http://keys.example/jwks', subject: 's' });
      expect(bad.status).toBe(400);
      const dup = await admin('POST', `/tenants/${t.tenantId}/federated-credentials`, { issuer: ENTRA_ISSUER, jwksUrl: jwks.url, subject: FED_SUBJECT });
      expect(dup.status).toBe(409);
      const listed = await admin('GET', `/tenants/${t.tenantId}/federated-credentials`);
      expect(listed.body).toEqual([expect.objectContaining({ issuer: ENTRA_ISSUER, jwksUrl: jwks.url, subject: FED_SUBJECT, audience: FED_AUDIENCE })]);
    });

    it('issues an access token for a good assertion, with no client secret in existence', async () => {
      const client = await admin('GET', `/tenants/${t.tenantId}/client`);
      expect(client.body.hasSecret).toBe(false);
      expect((await tokenRequest(t.tokenUrl, { grant_type: 'client_credentials' }, { basic: [t.clientId, t.clientSecret] })).status).toBe(401);

      const res = await assertionRequest(t.tokenUrl, jwks.assertion());
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 });
      expect((await probe(t, res.body.access_token)).status).toBe(200);
      expect((await assertionRequest(t.tokenUrl, jwks.assertion(), { client_id: t.clientId })).status).toBe(200);
      // the RFC 7523 §2.1 grant with the same assertion
      const grant = await tokenRequest(t.tokenUrl, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwks.assertion() });
      expect(grant.status).toBe(200);
      const listed = await admin('GET', `/tenants/${t.tenantId}/federated-credentials`);
      expect(listed.body[0].lastUsedAt).toEqual(expect.any(String));
    });

    it.each([
      ['a wrong issuer', () => jwks.assertion({ iss: 'https://login.microsoftonline.com/other-tenant/v2.0' }), /issuer .* is not trusted/],
      ['a wrong audience', () => jwks.assertion({ aud: 'api://something-else' }), /audience "api:\/\/something-else" does not contain/],
      ['a wrong subject', () => jwks.assertion({ sub: 'someone-else' }), /subject "someone-else" is not trusted/],
      ['an expired assertion', () => jwks.assertion({ iat: now() - 4000, nbf: now() - 4000, exp: now() - 3000 }), /expired/],
      ['a not-yet-valid assertion', () => jwks.assertion({ nbf: now() + 3600 }), /not valid yet/],
      ['an unknown kid', () => jwks.assertion({}, { kid: 'never-published' }), /no key with kid "never-published"/],
      [
        'a signature by another key',
        () => jwks.assertion({}, { signWith: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey }),
        /signature does not verify/,
      ],
    ])('refuses %s with invalid_client', async (_name, make, reason) => {
      const res = await assertionRequest(t.tokenUrl, make());
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'invalid_client', error_description: expect.stringMatching(reason) });
    });

    it("refuses a client_id that is not the tenant's, and an assertion sent to another tenant", async () => {
      expect((await assertionRequest(t.tokenUrl, jwks.assertion(), { client_id: 'sfc_000000000000000000000000' })).status).toBe(401);
      const other = await createTenant();
      const res = await assertionRequest(other.tokenUrl, jwks.assertion());
      expect([res.status, res.body.error]).toEqual([401, 'invalid_client']);
    });

    it('fetches keys the issuer published after a rotation (unknown kid refetches the JWKS)', async () => {
      const fetchesBefore = jwks.fetches;
      jwks.addKey('entra-2');
      // the cache may refuse a new kid for at most its minimum refresh interval
      let res = await assertionRequest(t.tokenUrl, jwks.assertion({}, { kid: 'entra-2' }));
      for (let i = 0; res.status !== 200 && i < 10; i++) {
        await sleep(1000);
        res = await assertionRequest(t.tokenUrl, jwks.assertion({}, { kid: 'entra-2' }));
      }
      expect(res.status).toBe(200);
      expect(jwks.fetches).toBeGreaterThan(fetchesBefore);
    });
  });

  describe('allowed source IPs (X-Forwarded-For from the trusted proxy 127.0.0.1)', () => {
    let t: Created;
    beforeAll(async () => {
      t = await createTenant({ allowedSourceIps: ['203.0.113.0/24', '2001:db8::/32'] });
    });
    const from = (xff?: string): Record<string, string> => (xff === undefined ? {} : { 'x-forwarded-for': xff });

    it.each([
      ['an allowed IPv4 address', '203.0.113.9', 200],
      ['an allowed IPv6 address', '2001:db8::5', 200],
      ['an IPv4-mapped IPv6 address in an allowed block', '::ffff:203.0.113.7', 200],
      ['a client behind two proxies', '203.0.113.9, 127.0.0.1', 200],
      ['another address', '198.51.100.1', 403],
      ['a spoofed allowed address left of the real one', '203.0.113.9, 198.51.100.1', 403],
      ['garbage', 'not-an-address', 403],
      ['no X-Forwarded-For (the proxy itself)', undefined, 403],
    ])('%s: %s → %s', async (_name, xff, status) => {
      const res = await probe(t, t.token, from(xff));
      expect(res.status).toBe(status);
      if (status === 403) {
        expect(res.body).toEqual({
          schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
          status: '403',
          detail: expect.stringMatching(/^Requests from .* are not allowed for this tenant$/),
        });
      }
    });

    it('applies to the token endpoint and to access tokens too', async () => {
      const denied = await tokenRequest(
        t.tokenUrl,
        { grant_type: 'client_credentials' },
        { basic: [t.clientId, t.clientSecret], headers: from('198.51.100.1') },
      );
      expect(denied.status).toBe(403);
      expect(denied.body).toEqual({ error: 'unauthorized_client', error_description: expect.stringMatching(/Requests from 198\.51\.100\.1 are not allowed/) });
      const granted = await tokenRequest(
        t.tokenUrl,
        { grant_type: 'client_credentials' },
        { basic: [t.clientId, t.clientSecret], headers: from('203.0.113.1') },
      );
      expect(granted.status).toBe(200);
      expect((await probe(t, granted.body.access_token, from('198.51.100.1'))).status).toBe(403);
      expect((await probe(t, granted.body.access_token, from('203.0.113.1'))).status).toBe(200);
    });

    it('an empty list allows every address again', async () => {
      const changed = await admin('PUT', `/tenants/${t.tenantId}/allowed-source-ips`, { allowedSourceIps: ['192.0.2.7'] });
      expect(changed.body.allowedSourceIps).toEqual(['192.0.2.7/32']);
      expect((await probe(t, t.token, from('192.0.2.7'))).status).toBe(200);
      expect((await probe(t, t.token, from('203.0.113.9'))).status).toBe(403);
      expect((await admin('PUT', `/tenants/${t.tenantId}/allowed-source-ips`, { allowedSourceIps: [] })).body.allowedSourceIps).toEqual([]);
      expect((await probe(t, t.token, from('198.51.100.1'))).status).toBe(200);
      expect((await probe(t, t.token)).status).toBe(200);
    });
  });

  describe('rate limit and body size', () => {
    it("answers 429 with Retry-After and a SCIM error beyond the tenant's limit, and leaves other tenants alone", async () => {
      const limited = await createTenant({ rateLimit: { perSecond: 1, burst: 3 } });
      const other = await createTenant();
      const statuses: number[] = [];
      let last: Answer | undefined;
      // the bucket refills 1/s, so on a slow machine a few more may pass before the first 429
      while (statuses.length < 20 && last?.status !== 429) {
        last = await probe(limited, limited.token);
        statuses.push(last.status);
      }
      expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
      expect(last!.status).toBe(429);
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(last!.body).toEqual({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '429',
        detail: expect.stringMatching(/Too many requests/),
      });
      expect((await probe(other, other.token)).status).toBe(200);
      // the token endpoint shares the tenant's bucket (a changed limit starts with a full bucket)
      await admin('PUT', `/tenants/${limited.tenantId}/rate-limit`, { perSecond: 1, burst: 1 });
      const first = await tokenRequest(limited.tokenUrl, { grant_type: 'client_credentials' }, { basic: [limited.clientId, limited.clientSecret] });
      const second = await tokenRequest(limited.tokenUrl, { grant_type: 'client_credentials' }, { basic: [limited.clientId, limited.clientSecret] });
      expect([first.status, second.status]).toEqual([200, 429]);
      expect((await probe(limited, limited.token)).status).toBe(429);

      const raised = await admin('PUT', `/tenants/${limited.tenantId}/rate-limit`, { perSecond: 100, burst: 100 });
      expect(raised.body.rateLimit).toEqual({ perSecond: 100, burst: 100 });
      expect((await probe(limited, limited.token)).status).toBe(200);
      expect((await admin('DELETE', `/tenants/${limited.tenantId}/rate-limit`)).body.rateLimit).toBeNull();
    });

    it('answers 413 with a SCIM error for a body over MAX_BODY_BYTES', async () => {
      const t = await createTenant();
      const big = await new ScimClient(t.scimBaseUrl, t.token).post('/Users', { ...user('big@contoso.example'), title: 'x'.repeat(70_000) });
      expect(big.status).toBe(413);
      expect(big.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '413' });
      const form = await tokenRequest(t.tokenUrl, { grant_type: 'client_credentials', padding: 'x'.repeat(70_000) }, { basic: [t.clientId, t.clientSecret] });
      expect(form.status).toBe(413);
      // at the token endpoint, as an OAuth error
      expect(form.body).toEqual({ error: 'invalid_request', error_description: expect.stringMatching(/too large/i) });
      expect((await new ScimClient(t.scimBaseUrl, t.token).post('/Users', { ...user('small@contoso.example'), title: 'x'.repeat(1000) })).status).toBe(201);
    });
  });

  describe("tenant isolation: A's credentials never reach B", () => {
    let a: Created;
    let b: Created;
    let aAccess: string;
    let bUserId: string;
    let bGroupId: string | undefined;
    let bUserBefore: Answer;
    const B_USER = 'isolated@b.example';

    beforeAll(async () => {
      a = await createTenant();
      b = await createTenant();
      aAccess = await accessToken(a);
      const bScim = new ScimClient(b.scimBaseUrl, b.token);
      const created = await bScim.post('/Users', user(B_USER));
      expect(created.status).toBe(201);
      bUserId = created.body.id;
      const group = await bScim.post('/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'B-Admins' });
      // Groups are checked whenever this build serves them (discovery lists the Group resource type)
      const types = await bScim.get('/ResourceTypes');
      const groupsServed = types.status === 200 && types.body.Resources.some((r: { id: string }) => r.id === 'Group');
      if (groupsServed) {
        expect(group.status).toBe(201);
        bGroupId = group.body.id;
      }
      bUserBefore = await bScim.get(`/Users/${bUserId}`);
      expect((await new ScimClient(a.scimBaseUrl, a.token).post('/Users', user('own@a.example'))).status).toBe(201);
    });

    /** Every SCIM request there is, for a base URL and a user/group id. */
    const requests = (userId: string, groupId: string): [string, string, unknown?][] => [
      ['GET', '/Users'],
      ['GET', `/Users?filter=${encodeURIComponent(`userName eq "${B_USER}"`)}`],
      ['GET', `/Users/${userId}`],
      ['POST', '/Users', user('intruder@a.example')],
      ['PUT', `/Users/${userId}`, user(B_USER)],
      ['PATCH', `/Users/${userId}`, patchOps({ op: 'replace', path: 'active', value: false })],
      ['DELETE', `/Users/${userId}`],
      ['POST', '/Users/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: `userName eq "${B_USER}"` }],
      ['GET', '/Groups'],
      ['GET', `/Groups?filter=${encodeURIComponent('displayName eq "B-Admins"')}`],
      ['GET', `/Groups/${groupId}`],
      ['POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'intruders' }],
      ['PUT', `/Groups/${groupId}`, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'renamed' }],
      ['PATCH', `/Groups/${groupId}`, patchOps({ op: 'replace', path: 'displayName', value: 'renamed' })],
      ['DELETE', `/Groups/${groupId}`],
      ['POST', '/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'] }],
      ['GET', '/ServiceProviderConfig'],
      ['GET', '/ResourceTypes'],
      ['GET', '/ResourceTypes/User'],
      ['GET', '/Schemas'],
      ['GET', `/Schemas/${USER}`],
    ];

    it("answers every request on B's URL with A's secret token or access token exactly as on a tenant that does not exist", async () => {
      const nowhere = `${system.baseUrl}/scim/v2/${randomUUID()}`;
      const groupId = bGroupId ?? randomUUID();
      for (const credential of [a.token, aAccess]) {
        for (const [method, path, body] of requests(bUserId, groupId)) {
          const onB = await new ScimClient(b.scimBaseUrl, credential).request(method, path, body);
          const onNowhere = await new ScimClient(nowhere, credential).request(method, path, body);
          const what = `${method} ${path} with ${credential === a.token ? 'secret token' : 'access token'}`;
          expect([what, onB.status]).toEqual([what, onNowhere.status]);
          expect([what, onB.body]).toEqual([what, onNowhere.body]);
          // routes that exist answer 401; a route this build lacks is 404 for every tenant alike
          expect([what, [401, 404].includes(onB.status)]).toEqual([what, true]);
          if (path.startsWith('/Users')) expect([what, onB.status]).toEqual([what, 401]);
        }
      }
    });

    it("answers B's ids on A's URL exactly as ids that do not exist", async () => {
      const missing = randomUUID();
      const groupId = bGroupId ?? randomUUID();
      for (const credential of [a.token, aAccess]) {
        const scim = new ScimClient(a.scimBaseUrl, credential);
        for (const [method, path, body] of requests(bUserId, groupId).filter(([, p]) => p.includes(bUserId) || p.includes(groupId))) {
          const withB = await scim.request(method, path, body);
          const withMissing = await scim.request(method, path.replace(bUserId, missing).replace(groupId, missing), body);
          const what = `${method} ${path} on A`;
          expect([what, withB.status]).toEqual([what, withMissing.status]);
          expect([
            what,
            JSON.stringify(withB.body ?? null)
              .replaceAll(bUserId, 'ID')
              .replaceAll(groupId, 'ID'),
          ]).toEqual([what, JSON.stringify(withMissing.body ?? null).replaceAll(missing, 'ID')]);
          if (path.startsWith('/Users/')) expect([what, withB.status]).toEqual([what, 404]);
        }
        const filtered = await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${B_USER}"`)}`);
        expect(filtered.body.totalResults).toBe(0);
        const all = await scim.get('/Users');
        expect(all.body.Resources.map((u: { userName: string }) => u.userName)).not.toContain(B_USER);
      }
    });

    it("refuses A's client at B's token endpoint and B's client at A's", async () => {
      const aAtB = await tokenRequest(b.tokenUrl, { grant_type: 'client_credentials' }, { basic: [a.clientId, a.clientSecret] });
      const bAtA = await tokenRequest(a.tokenUrl, { grant_type: 'client_credentials' }, { basic: [b.clientId, b.clientSecret] });
      const nowhere = await tokenRequest(
        `${system.baseUrl}/oauth/${randomUUID()}/token`,
        { grant_type: 'client_credentials' },
        { basic: [a.clientId, a.clientSecret] },
      );
      for (const res of [aAtB, bAtA]) expect([res.status, res.body]).toEqual([nowhere.status, nowhere.body]);
      expect(aAtB.status).toBe(401);
    });

    it("left B's data untouched", async () => {
      const bScim = new ScimClient(b.scimBaseUrl, b.token);
      const after = await bScim.get(`/Users/${bUserId}`);
      expect(after.status).toBe(200);
      expect(after.body).toEqual(bUserBefore.body);
      expect(after.headers.get('etag')).toBe(bUserBefore.headers.get('etag'));
      const users = await bScim.get('/Users');
      expect(users.body.Resources.map((u: { userName: string }) => u.userName)).toEqual([B_USER]);
      const [{ count }] = await system.db.query(`SELECT count(*)::int AS count FROM scim_users WHERE tenant_id = $1`, [b.tenantId]);
      expect(count).toBe(1);
      if (bGroupId) {
        const group = await bScim.get(`/Groups/${bGroupId}`);
        expect(group.body.displayName).toBe('B-Admins');
        const groups = await bScim.get('/Groups');
        expect(groups.body.totalResults).toBe(1);
      }
    });
  });
});
