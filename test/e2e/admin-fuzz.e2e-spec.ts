import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { useSystem } from '../support/system';

/**
 * Every operation of the admin API (from its OpenAPI document) with malformed input, on the whole system: values of
 * the wrong JSON type, huge and fractional numbers, unknown enum values, non-UUID and unknown ids in paths, odd query
 * parameters. Every answer is a success or a SCIM error (RFC 7644 §3.12) with a 4xx; never a 5xx.
 * Hostile strings (NUL, lone surrogates), prototype-key names and deep JSON have their own tests.
 */
const ADMIN_TOKEN = randomBytes(32).toString('base64url');
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

interface Operation {
  method: string;
  path: string;
  params: string[];
  query: string[];
  bodyProperties: Record<string, { type?: string; enum?: unknown[] }>;
}

interface Attempt {
  operation: Operation;
  pathValues: string[];
  query: [string, string][];
  body: unknown;
}

interface Answer {
  status: number;
  text: string;
}

type OpenApi = {
  paths: Record<
    string,
    Record<string, { parameters?: { in: string; name: string }[]; requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> } }>
  >;
  components: { schemas: Record<string, { properties?: Record<string, { type?: string; enum?: unknown[] }> }> };
};

function operationsOf(doc: OpenApi): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const ref = op.requestBody?.content?.['application/json']?.schema?.$ref;
      return {
        method: method.toUpperCase(),
        path,
        params: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
        query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        bodyProperties: ref ? (doc.components.schemas[ref.split('/').pop()!]?.properties ?? {}) : {},
      };
    }),
  );
}

function problemOf(a: Answer): string | undefined {
  if (a.status >= 500) return `status ${a.status}`;
  if (a.status < 400) return undefined;
  try {
    const body = JSON.parse(a.text);
    if (body.schemas?.[0] !== ERROR_SCHEMA || body.status !== String(a.status) || typeof body.detail !== 'string') return 'not a SCIM error';
  } catch {
    return 'not JSON';
  }
  return undefined;
}

const summary = (a: Attempt) =>
  `${a.operation.method} ${a.operation.path} ${JSON.stringify({ path: a.pathValues, query: a.query, body: a.body }).slice(0, 400)}`;

describe('admin API under malformed input', () => {
  const system = useSystem({ env: { ADMIN_TOKEN } });
  let operations: Operation[] = [];
  const known: Record<string, string[]> = { tenantId: [], id: [], userId: [], tokenId: [], credentialId: [], kid: [] };

  const admin = async (method: string, path: string, body?: unknown, raw?: string): Promise<Answer> => {
    const res = await fetch(`${system.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    return { status: res.status, text: await res.text() };
  };

  beforeAll(async () => {
    const doc = (await (await fetch(`${system.baseUrl}/admin/docs-json`)).json()) as OpenApi;
    operations = operationsOf(doc);
    // real ids for the paths, so that requests get past "not found"
    for (let i = 0; i < 3; i++) {
      const tenant = JSON.parse((await admin('POST', '/admin/tenants', { name: `fuzz ${i}` })).text);
      known.tenantId.push(tenant.tenantId);
      const sub = JSON.parse((await admin('POST', `/admin/tenants/${tenant.tenantId}/subscriptions`, { url: 'http://127.0.0.1:9/hook' })).text);
      known.id.push(sub.id);
      const token = JSON.parse((await admin('POST', `/admin/tenants/${tenant.tenantId}/tokens`, {})).text);
      known.tokenId.push(token.id);
    }
    const keys = JSON.parse((await admin('GET', '/admin/signing-keys')).text) as { kid: string }[];
    known.kid.push(...keys.map((k) => k.kid));
  }, 60_000);

  const number = () =>
    fc.oneof(
      fc.constantFrom(0, -1, 1, 1.5, -0.5, 1e308, -1e308, 2147483647, 2147483648, -2147483649, Number('9007199254740993'), 1e21, 5e-324, 86400 * 365 * 1000),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
    );
  const text = () =>
    fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('', ' ', 'not-a-uuid', '2026-13-45', 'http://', 'x'.repeat(5000), '1e308', 'true', 'null'));
  /** any JSON value of bounded size: the wrong type for whatever property it lands in */
  const json = () =>
    fc.oneof(
      number(),
      text(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.oneof(number(), text(), fc.constant(null), fc.constant({})), { maxLength: 4 }),
      fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.oneof(number(), text()), { maxKeys: 3 }),
    );
  const pathValue = (name: string) =>
    fc.oneof(
      fc.constantFrom(...(known[name]?.length ? known[name] : [randomUUID()])),
      fc.constant(randomUUID()),
      fc.constantFrom(
        'not-a-uuid',
        '1',
        '0',
        '-1',
        'null',
        '%E0%A4%A',
        '%00',
        'x'.repeat(300),
        '00000000-0000-0000-0000-000000000000',
        'ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ',
      ),
      fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
    );

  const attempt = () =>
    fc.integer({ min: 0, max: 10_000 }).chain((i) => {
      const operation = operations[i % operations.length];
      const props = Object.entries(operation.bodyProperties);
      const propertyValue = ([, schema]: [string, { type?: string; enum?: unknown[] }]) =>
        fc.oneof(
          json(),
          schema.enum ? fc.constantFrom(...schema.enum, 'unknown-value') : json(),
          schema.type === 'integer' || schema.type === 'number' ? number() : json(),
        );
      const body = fc.oneof(
        {
          weight: 5,
          arbitrary: props.length ? fc.record(Object.fromEntries(props.map((p) => [p[0], propertyValue(p)])), { requiredKeys: [] }) : fc.constant(undefined),
        },
        { weight: 2, arbitrary: json() },
        { weight: 1, arbitrary: fc.constant(undefined) },
      );
      return fc.record({
        operation: fc.constant(operation),
        pathValues: fc.tuple(...operation.params.map((p) => pathValue(p))) as fc.Arbitrary<string[]>,
        query: fc.array(fc.tuple(fc.constantFrom(...operation.query, 'limit', 'since', 'all', 'x'), fc.oneof(text(), number().map(String))), { maxLength: 3 }),
        body,
      });
    });

  async function send(a: Attempt): Promise<Answer> {
    let path = a.operation.path;
    a.operation.params.forEach((p, i) => (path = path.replace(`{${p}}`, a.pathValues[i])));
    const query = a.query.length ? `?${a.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}` : '';
    return admin(a.operation.method, `${path}${query}`, a.operation.method === 'GET' ? undefined : a.body);
  }

  it('answers every malformed admin request with a success or a SCIM 4xx, never a 5xx (seeded)', async () => {
    expect(operations.length).toBeGreaterThan(25);
    const failures: string[] = [];
    const reached = new Set<string>();
    await fc.assert(
      fc.asyncProperty(attempt(), async (a) => {
        // never the irreversible operation on the real ids: the rest of the run needs them
        if (a.operation.method === 'DELETE' && a.operation.path === '/admin/tenants/{tenantId}' && known.tenantId.includes(a.pathValues[0])) return;
        const answer = await send(a);
        const problem = problemOf(answer);
        if (problem) failures.push(`${problem}: ${answer.text.slice(0, 200)} <- ${summary(a)}`);
        if (answer.status < 400) reached.add(`${a.operation.method} ${a.operation.path}`);
      }),
      { seed: 150604, numRuns: 600, interruptAfterTimeLimit: 45_000 },
    );
    expect(failures).toEqual([]);
    // not everything was refused at the door
    expect(reached.size).toBeGreaterThan(10);
  }, 120_000);

  // Regression cases: each answered 500 (a Postgres error, or an undecodable path) before the admin API checked it.
  it.each([
    ['a rate of 1e308', 'PUT', '/rate-limit', '{"perSecond":1e308,"burst":10}', /perSecond must be an integer from 1 to 1000000/],
    ['a burst of 2147483648', 'PUT', '/rate-limit', '{"perSecond":10,"burst":2147483648}', /burst must be an integer from 1 to 1000000/],
    ['a fractional rate', 'PUT', '/rate-limit', '{"perSecond":1.5,"burst":10}', /perSecond must be an integer/],
    [
      'a rate limit of a new tenant out of range',
      'POST',
      '',
      '{"name":"x","rateLimit":{"perSecond":2147483648,"burst":1}}',
      /rateLimit\.perSecond must be an integer from 1 to 1000000/,
    ],
  ])('%s is 400 invalidValue naming the allowed range', async (_, method, suffix, raw, detail) => {
    const path = method === 'POST' ? '/admin/tenants' : `/admin/tenants/${known.tenantId[0]}${suffix}`;
    const answer = await admin(method, path, undefined, raw);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({ schemas: [ERROR_SCHEMA], status: '400', scimType: 'invalidValue', detail: expect.stringMatching(detail) });
  });

  it('a null webhook secret (on rotation of an unknown or a known subscription) is a 4xx, not a TypeError', async () => {
    for (const id of ['M-__', known.id[0]]) {
      const answer = await admin('POST', `/admin/subscriptions/${id}/rotate-secret`, undefined, '{"secret":null}');
      expect({ id, status: answer.status < 500, problem: problemOf(answer) }).toEqual({ id, status: true, problem: undefined });
    }
  });

  it('a tenant id that does not percent-decode is a 400 on every admin route, imports included', async () => {
    for (const path of ['/admin/tenants/%E0%A4%A/groups/import', '/admin/tenants/%E0%A4%A/users/import', '/admin/tenants/%E0%A4%A/rate-limit']) {
      const answer = await admin(path.endsWith('rate-limit') ? 'PUT' : 'POST', path, [] as unknown);
      expect({ path, status: answer.status, problem: problemOf(answer) }).toEqual({ path, status: 400, problem: undefined });
    }
  });
});
