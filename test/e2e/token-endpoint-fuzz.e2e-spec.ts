import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { useSystem } from '../support/system';

/**
 * The token endpoint under malformed input, on the whole system: malformed Basic headers, repeated parameters,
 * content types other than a form, JSON and empty bodies, garbage client assertions, unknown and non-UUID tenants.
 * Every answer is an OAuth error (RFC 6749 §5.2: JSON `error` + `error_description`, 400 or 401), or a token for a
 * request that happens to be valid; never a 5xx, never a SCIM error.
 */
const ADMIN_TOKEN = randomBytes(32).toString('base64url');
const OAUTH_ERRORS = ['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope'];
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

const b64url = (s: string | Buffer) => Buffer.from(s).toString('base64url');

interface Attempt {
  tenant: string;
  contentType?: string;
  authorization?: string;
  body?: string;
}

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** An attempt for a failure message: each part cut short (a huge header would hide the rest). */
const summary = (a: Attempt) =>
  JSON.stringify(Object.fromEntries(Object.entries(a).map(([k, v]) => [k, typeof v === 'string' && v.length > 100 ? `${v.slice(0, 100)}…(${v.length})` : v])));

/** Checks one answer; returns what is wrong with it, or undefined. */
function problemOf(a: Answer): string | undefined {
  let body: { error?: unknown; error_description?: unknown; access_token?: unknown };
  try {
    body = JSON.parse(a.text);
  } catch {
    return `not JSON: ${a.text.slice(0, 200)}`;
  }
  if (!/^application\/json/.test(a.contentType)) return `content type ${a.contentType}`;
  if (a.status === 200) return typeof body.access_token === 'string' ? undefined : 'a 200 without a token';
  if (a.status !== 400 && a.status !== 401) return `status ${a.status}`;
  if (!OAUTH_ERRORS.includes(body.error as string) || typeof body.error_description !== 'string') return `not an OAuth error: ${a.text.slice(0, 200)}`;
  return undefined;
}

describe('token endpoint under malformed input', () => {
  const system = useSystem({ env: { ADMIN_TOKEN } });
  let tenantId = '';
  let clientId = '';
  let clientSecret = '';

  beforeAll(async () => {
    const res = await fetch(`${system.baseUrl}/admin/tenants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'token fuzz' }),
    });
    ({ tenantId, clientId, clientSecret } = (await res.json()) as { tenantId: string; clientId: string; clientSecret: string });
    // and a trusted issuer, so that assertions get as far as its checks
    await fetch(`${system.baseUrl}/admin/tenants/${tenantId}/federated-credentials`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ issuer: 'https://issuer.example', jwksUrl: 'http://127.0.0.1:9/keys', subject: 'sub' }),
    });
  }, 60_000);

  async function send(a: Attempt): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (a.contentType !== undefined) headers['content-type'] = a.contentType;
    if (a.authorization !== undefined) headers.authorization = a.authorization;
    const res = await fetch(`${system.baseUrl}/oauth/${a.tenant}/token`, { method: 'POST', headers, body: a.body });
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
  }

  const tenants = () =>
    fc.oneof(
      fc.constant(tenantId),
      fc.constant(randomUUID()),
      fc.constantFrom(
        'abc',
        'not-a-uuid',
        '00000000-0000-0000-0000-00000000000g',
        '%E0%A4%A',
        '%00',
        '%2F',
        tenantId.toUpperCase(),
        `${tenantId}x`,
        'x'.repeat(2000),
        '12345',
      ),
      // not "." or "..": the client resolves those before sending, the request would not be for the token endpoint
      fc.stringMatching(/^[A-Za-z0-9%._~-]{1,60}$/).filter((s) => s !== '.' && s !== '..'),
    );

  const garbageJwt = () =>
    fc.oneof(
      fc.constantFrom(
        '',
        '.',
        '..',
        'a.b.c',
        '!!!.@@@.###',
        'eyJ.eyJ.',
        `${b64url('{')}.${b64url('{}')}.sig`,
        `${b64url('null')}.${b64url('null')}.x`,
        `${b64url('[]')}.${b64url('1')}.x`,
      ),
      fc.constant(`${b64url('{"alg":"RS256","kid":"k"}')}.${b64url('{"iss":"https://issuer.example","sub":"sub","exp":1e308}')}.${'A'.repeat(342)}`),
      fc.constant(`${b64url('{"alg":"none"}')}.${b64url('{"iss":"https://issuer.example"}')}.`),
      fc.constant(`${b64url(JSON.stringify({ alg: 'RS256', kid: { a: 1 } }))}.${b64url(JSON.stringify({ iss: ['x'], sub: 1, aud: {}, exp: 'x' }))}.AAAA`),
      fc.constant(`${b64url('{"alg":"RS256"}')}.${'A'.repeat(20_000)}.x`),
      fc.constant(`${b64url(`{"alg":"RS256","kid":"${'k'.repeat(5000)}"}`)}.e30.x`),
      fc.tuple(fc.string(), fc.string(), fc.string()).map(([h, p, s]) => `${b64url(h)}.${b64url(p)}.${s}`),
      fc.string({ maxLength: 200 }),
    );

  const value = () =>
    fc.oneof(
      fc.constantFrom(
        'client_credentials',
        JWT_BEARER,
        ASSERTION_TYPE,
        '',
        'password',
        '%E0%A4%A',
        '%',
        '%zz',
        '%00',
        '\u0000',
        clientId,
        clientSecret,
        'x'.repeat(3000),
      ),
      fc.string({ maxLength: 40 }),
      garbageJwt(),
    );

  const parameterNames = [
    'grant_type',
    'client_id',
    'client_secret',
    'client_assertion',
    'client_assertion_type',
    'assertion',
    'scope',
    'access_token',
    'constructor',
    '__proto__',
    '',
  ];
  /** a form body: parameters from the pool, some repeated, values raw (so malformed escapes stay malformed) or encoded */
  const formBody = () =>
    fc
      .array(fc.tuple(fc.constantFrom(...parameterNames), value(), fc.boolean()), { maxLength: 8 })
      .map((pairs) => pairs.map(([k, v, raw]) => `${k}=${raw ? v : encodeURIComponent(v)}`).join('&'));

  /** a well-formed request of each kind, with a malformed part where it matters: the assertion, the client's id or secret */
  const plausibleForm = () =>
    fc.oneof(
      garbageJwt().map((jwt) => `grant_type=${encodeURIComponent(JWT_BEARER)}&assertion=${encodeURIComponent(jwt)}`),
      garbageJwt().map(
        (jwt) => `grant_type=client_credentials&client_assertion_type=${encodeURIComponent(ASSERTION_TYPE)}&client_assertion=${encodeURIComponent(jwt)}`,
      ),
      fc
        .tuple(fc.oneof(fc.constant(clientId), value()), fc.oneof(fc.constant(clientSecret), value()))
        .map(([id, secret]) => `grant_type=client_credentials&client_id=${encodeURIComponent(id)}&client_secret=${encodeURIComponent(secret)}`),
      fc.constant('grant_type=client_credentials'),
    );

  const body = () =>
    fc.oneof(
      formBody(),
      fc.constant(Array.from({ length: 1500 }, (_, i) => `p${i}=${i}`).join('&')),
      fc.constant(`grant_type=client_credentials&client_id=${'%41'.repeat(20_000)}`),
      fc.constantFrom(undefined, '', '&&&', '=', '%E0%A4%A', 'grant_type', 'grant_type=client_credentials&grant_type=client_credentials', 'a[b]=1&a[c]=2'),
      fc
        .dictionary(fc.constantFrom(...parameterNames), fc.oneof(fc.string(), fc.integer(), fc.array(fc.string()), fc.constant(null)))
        .map((o) => JSON.stringify(o)),
      fc.constantFrom('{', '[]', 'null', '1', '"x"', '{"grant_type":["client_credentials"]}'),
      fc.string({ maxLength: 200 }),
    );

  const contentType = () =>
    fc.constantFrom(
      undefined,
      'application/x-www-form-urlencoded',
      'application/x-www-form-urlencoded; charset=utf-8',
      'application/x-www-form-urlencoded; charset=latin1',
      'application/x-www-form-urlencoded; charset=nope',
      'APPLICATION/X-WWW-FORM-URLENCODED',
      'application/json',
      'application/scim+json',
      'text/plain',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
      'garbage',
      '',
    );

  const basic = (s: string | Buffer) => `Basic ${Buffer.from(s).toString('base64')}`;
  const authorization = () =>
    fc.oneof(
      fc.constant(undefined),
      fc.constantFrom(
        'Basic',
        'Basic ',
        'Basic !!!!',
        'Basic ====',
        'Basic a',
        'Basic YQ',
        'Basic YQ=',
        'basic Og==',
        'Bearer x',
        'Digest x',
        'Basic dXNlcg== extra',
      ),
      fc.constant(basic(`${clientId}:${clientSecret}`)),
      fc.constant(basic(`${clientId}:wrong`)),
      fc.constantFrom(
        basic('no-colon'),
        basic(':'),
        basic('%E0%A4%A:x'),
        basic('x:%E0%A4%A'),
        basic('%:%'),
        basic(`${clientId}:%zz`),
        basic(Buffer.from([0xff, 0xfe, 0x3a, 0x80])),
      ),
      fc.constant(`Basic ${'A'.repeat(12_000)}`),
      fc.constant(basic(`${'x'.repeat(4000)}:${'y'.repeat(4000)}`)),
      fc.tuple(fc.string({ maxLength: 50 }), fc.string({ maxLength: 50 })).map(([u, p]) => basic(`${u}:${p}`)),
      fc.uint8Array({ maxLength: 80 }).map((b) => basic(Buffer.from(b))),
      fc.stringMatching(/^[\x21-\x7e ]{0,80}$/),
    );

  it('answers every malformed request with an OAuth error, never a 5xx (seeded)', async () => {
    const failures: string[] = [];
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ tenant: tenants(), contentType: contentType(), authorization: authorization(), body: body() }),
          fc.record({
            tenant: fc.oneof(fc.constant(tenantId), tenants()),
            contentType: fc.constant('application/x-www-form-urlencoded'),
            authorization: authorization(),
            body: plausibleForm(),
          }),
        ),
        async (attempt: Attempt) => {
          const answer = await send(attempt);
          const problem = problemOf(answer);
          if (!problem) seen.add(answer.status === 200 ? 'token' : (JSON.parse(answer.text) as { error: string }).error);
          // every failure is collected (not only the first, shrunk): each is a separate fault to see
          if (problem) failures.push(`${answer.status} ${problem}: ${answer.text.slice(0, 160)} <- ${summary(attempt)}`);
        },
      ),
      { seed: 150603, numRuns: 400, interruptAfterTimeLimit: 60_000 },
    );
    expect(failures).toEqual([]);
    // the inputs reach every kind of refusal, and now and then a valid request
    expect([...seen].sort()).toEqual(expect.arrayContaining(['invalid_client', 'invalid_grant', 'invalid_request', 'token']));
  }, 120_000);

  // Regression cases: each was a non-OAuth answer (a SCIM error body, or a 500) before the token endpoint rendered
  // every failure as OAuth JSON.
  it.each([
    ['an unsupported form charset', { contentType: 'application/x-www-form-urlencoded; charset=latin1', body: 'grant_type=client_credentials' }],
    ['a JSON body that is not JSON', { contentType: 'application/json', body: '{' }],
    [
      'a tenant id that does not percent-decode',
      { tenant: '%E0%A4%A', contentType: 'application/x-www-form-urlencoded', body: 'grant_type=client_credentials' },
    ],
    ['a form with 1,500 fields', { contentType: 'application/x-www-form-urlencoded', body: Array.from({ length: 1500 }, (_, i) => `p${i}=${i}`).join('&') }],
  ])('%s is an OAuth invalid_request', async (_, attempt: Partial<Attempt>) => {
    const answer = await send({ tenant: tenantId, ...attempt });
    expect(problemOf(answer)).toBeUndefined();
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({ error: 'invalid_request', error_description: expect.any(String) });
  });
});
