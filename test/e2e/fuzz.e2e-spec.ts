import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { ReconcilerModule } from '../../apps/reconciler/src/reconciler.module';
import { MAX_COMMAND_BODY_BYTES, resourceKey, topicSpecs } from '../../libs/contracts/src';
import { partitionOfKey } from '../../libs/messaging/src/key-partitioner';
import { enterpriseUserSchema, groupMembers, groupSchema, userSchema } from '../../libs/scim/src';
import type { AttributeDefinition } from '../../libs/scim/src';
import { RunningSystem, setEnv, startSystem } from '../support/system';
import { WebhookReceiver } from '../support/webhook-receiver';

/**
 * Fuzzes the running system (real Kafka and Postgres): hostile and random requests to the real ingress, on Users,
 * Groups, `.search`, `/Schemas`, `/ResourceTypes`, for a plain tenant and a workforce tenant (Metadata extension),
 * with one injected outage (the reconciler closed for a few seconds, then a new one started). Every answer must be
 * below 500 (or 503 + Retry-After during the outage), every 4xx a SCIM error body; afterwards a write for a user on
 * every partition of `scim.commands` is answered within a second and its event reaches the webhook.
 *
 * Seeded: FUZZ_SEED=<n> reproduces a run (FUZZ_RUNS bounds the random requests). The fixed cases run first: they
 * are the minimal reproductions of what fuzzing found (test/e2e/fuzz-findings.md).
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1200);
/** FUZZ_CASE=<regex>: only the fixed cases whose name matches, and no sweep or random phase (to reproduce one finding). */
const ONLY_CASE = process.env.FUZZ_CASE ? new RegExp(process.env.FUZZ_CASE, 'i') : undefined;
/** FUZZ_PHASES=fixed,types,random: the phases to run (the final check on every partition always runs). */
const PHASES = new Set((process.env.FUZZ_PHASES ?? (ONLY_CASE ? 'fixed' : 'fixed,types,random')).split(','));
/**
 * Wall-clock budgets: requests left when one is spent are not sent (the test says how many). They keep the test
 * bounded while a product bug stalls partitions, when every write there waits COMMAND_TIMEOUT_MS for its 503.
 */
const TYPES_BUDGET_MS = 6_000;
/** the whole random phase, outage and recovery included */
const RANDOM_BUDGET_MS = 20_000;
const RECOVERY_BUDGET_MS = 6_000;
/**
 * A write's wait for the reconciler. A stall answers 503 after it every time; a write that is merely slow (a busy
 * machine: other suites, CI neighbours) must not look like one, so it is well above a write's latency under load.
 */
const COMMAND_TIMEOUT_MS = 3000;
const RETRY_AFTER_SECONDS = 3;
const CONCURRENCY = 6;
/** Node refuses a request head (URL and headers) over 16 KiB with a bare 431 (a fixed case); random ones stay below. */
const MAX_URL_CHARS = 12_000;

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const FOLDERS = 'urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName';
const METADATA = 'urn:ietf:params:scim:schemas:extension:2.0:Metadata';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const ADMIN_TOKEN = randomBytes(32).toString('base64url');
const PARTITIONS = topicSpecs().find((t) => t.name === 'scim.commands')!.partitions;

type TenantName = 'plain' | 'workforce';
/** One request, as sent: `body` is the exact bytes; `auth: null` sends no Authorization header, a string sends that one. */
interface FuzzRequest {
  tenant: TenantName;
  method: string;
  /** below the tenant's SCIM base URL; `{user}`/`{group}` are replaced with an existing resource's id */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  auth?: string | null;
}
interface Answer {
  /** the request as sent, placeholders resolved */
  sent: FuzzRequest;
  status: number;
  retryAfter: string | null;
  text: string;
  ms: number;
}

// ---- what the system must answer ---------------------------------------------------------------------------------

/** Why an answer breaks the rules, or undefined. `outage`: the reconciler is down, so 503 + Retry-After is right. */
function violation(a: Answer, outage: boolean): string | undefined {
  if (a.status === 0) return `no answer: ${a.text}`;
  if (a.status >= 500) {
    if (a.status === 503 && a.retryAfter && outage) return undefined;
    if (a.status === 503 && a.retryAfter) return `503 + Retry-After with no outage (a stalled partition?) after ${a.ms} ms`;
    return `${a.status}`;
  }
  if (a.status >= 400) {
    let body: unknown;
    try {
      body = JSON.parse(a.text);
    } catch {
      return `${a.status} whose body is not JSON`;
    }
    const b = body as { schemas?: unknown; status?: unknown };
    if (!Array.isArray(b?.schemas) || !b.schemas.includes(ERROR)) return `${a.status} without a SCIM error body`;
    if (b.status !== String(a.status)) return `${a.status} whose SCIM error says status ${JSON.stringify(b.status)}`;
    return undefined;
  }
  if (a.status !== 204 && a.text !== '') {
    try {
      JSON.parse(a.text);
    } catch {
      return `${a.status} whose body is not JSON`;
    }
  }
  return undefined;
}

const clip = (s: string, n = 400) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);
function describeRequest(r: FuzzRequest): string {
  const body = r.body === undefined ? '' : Buffer.isBuffer(r.body) ? ` body(bytes)=${clip(r.body.toString('base64'), 200)}` : ` body=${clip(r.body)}`;
  const auth = r.auth === undefined ? '' : ` authorization=${r.auth === null ? '(none)' : clip(JSON.stringify(r.auth), 80)}`;
  return `${r.method} [${r.tenant}] ${clip(r.path, 300)} headers=${JSON.stringify(r.headers ?? {})}${auth}${body}`;
}

// ---- generators --------------------------------------------------------------------------------------------------

const HOSTILE_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__', 'toJSON'];
const hostileName = fc.constantFrom(...HOSTILE_NAMES);
/** Strings JSON allows and a store or broker may not: lone surrogates, NUL, control characters, long ones. */
const oddString = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 10 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('a\ud800', '\udc00', 'x\ud83d', '\u0000', 'nul\u0000nul', '\u001f', '\u2028', '\ufeff', '💥', 'True', 'False', '', ' '),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 20_000 }).map((n) => 'x'.repeat(n)) },
);
const number = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -1, 1e308, -0, 2147483648, Number('9007199254740993')),
);
const scalar = fc.oneof(oddString, number, fc.boolean(), fc.constant(null));
/** An object with own data properties (Object.fromEntries), so that `__proto__` becomes a key as JSON.parse makes it. */
const objectOf = (k: fc.Arbitrary<string>, v: fc.Arbitrary<unknown>, maxKeys = 4) =>
  fc.array(fc.tuple(k, v), { maxLength: maxKeys }).map((e) => Object.fromEntries(e));
const key = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'userName',
      'displayName',
      'value',
      'type',
      'primary',
      'display',
      'givenName',
      'members',
      'emails',
      'active',
      'schemas',
      'id',
      'meta',
    ),
  },
  { weight: 2, arbitrary: hostileName },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(USER, ENTERPRISE, FOLDERS, METADATA, GROUP), fc.oneof(hostileName, fc.string({ maxLength: 6 })))
      .map(([u, k]) => `${u}:${k}`),
  },
  { weight: 1, arbitrary: oddString },
);
const json: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('v'), { maxLength: 3 }), objectOf(key, tie('v'))),
})).v;

/** A value of every JSON type but the attribute's own (for a multi-valued one: a single value, or a list of the wrong type). */
function wrongTypes(a: AttributeDefinition): unknown[] {
  const all: unknown[] = ['text', { value: 'x' }, 42, true, ['x'], null, 4.5, [], {}];
  const right = (v: unknown) =>
    a.type === 'string' || a.type === 'reference' || a.type === 'dateTime' || a.type === 'binary'
      ? typeof v === 'string'
      : a.type === 'boolean'
        ? typeof v === 'boolean'
        : a.type === 'integer'
          ? Number.isInteger(v)
          : a.type === 'decimal'
            ? typeof v === 'number'
            : a.type === 'complex'
              ? typeof v === 'object' && v !== null && !Array.isArray(v)
              : false;
  return a.multiValued
    ? [...all.filter((v) => !Array.isArray(v)), ...all.filter((v) => !Array.isArray(v) && !right(v) && v !== null).map((v) => [v])]
    : all.filter((v) => !right(v));
}
/** [path, wrong value] for every attribute and sub-attribute of a schema. */
function wrongTypedAttributes(attributes: readonly AttributeDefinition[], prefix = ''): [string, unknown][] {
  return attributes.flatMap((a) => [
    ...wrongTypes(a).map((v): [string, unknown] => [`${prefix}${a.name}`, v]),
    ...(a.subAttributes ? wrongTypedAttributes(a.subAttributes, `${prefix}${a.name}.`) : []),
  ]);
}
/** Puts `value` at a dotted path of a copy of `doc` (a sub-attribute of a multi-valued one goes into its first element). */
function withValue(doc: Record<string, unknown>, path: string, value: unknown, multi: (name: string) => boolean): Record<string, unknown> {
  const [head, ...rest] = path.split('.');
  if (!rest.length) return { ...doc, [head]: value };
  const inner = rest.join('.');
  if (multi(head)) return { ...doc, [head]: [withValue({}, inner, value, () => false)] };
  return { ...doc, [head]: withValue((doc[head] as Record<string, unknown>) ?? {}, inner, value, () => false) };
}

/** encodeURIComponent that sends a lone surrogate as its (invalid UTF-8) three bytes instead of throwing */
function uriEncode(s: string): string {
  return Array.from(s)
    .map((ch) => {
      try {
        return encodeURIComponent(ch);
      } catch {
        const c = ch.charCodeAt(0);
        return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
      }
    })
    .join('');
}

const validUser = (n: string) => ({
  schemas: [USER],
  userName: `${n}@fuzz.example`,
  active: true,
  name: { givenName: 'F', familyName: 'Z' },
  emails: [{ type: 'work', value: `${n}@fuzz.example`, primary: true }],
});
const validGroup = (n: string) => ({ schemas: [GROUP], displayName: `fuzz ${n}` });
const uniqueName = fc
  .tuple(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 6 }), fc.nat())
  .map(([s, n]) => `${uriEncode(s).replace(/%/g, '')}${n}`);

const userBody = fc.oneof(
  // a valid user with an odd string where any string goes
  fc
    .tuple(uniqueName, fc.constantFrom('displayName', 'title', 'nickName', 'externalId', 'preferredLanguage', 'profileUrl'), oddString)
    .map(([n, k, v]) => ({ ...validUser(n), [k]: v })),
  // a valid user with random or hostile additions
  uniqueName.chain((n) => objectOf(key, json).map((extra) => ({ ...validUser(n), ...extra }))),
  // one attribute with a random value
  fc
    .tuple(
      uniqueName,
      fc.constantFrom(...userSchema.attributes.map((a) => a.name), 'externalId', `${ENTERPRISE}:manager`, `${METADATA}:costCode`, `${FOLDERS}:folders`),
      json,
    )
    .map(([n, k, v]) => ({ ...validUser(n), [k]: v })),
  // workforce extension data, in both spellings, with hostile keys
  fc
    .tuple(uniqueName, objectOf(fc.oneof(hostileName, fc.string({ maxLength: 6 })), scalar), fc.oneof(hostileName, fc.string({ maxLength: 6 })), scalar)
    .map(([n, meta, k, v]) => ({
      ...validUser(n),
      schemas: [USER, METADATA, FOLDERS],
      [METADATA]: meta,
      [`${METADATA}:${k}`]: v,
    })),
  json,
);
const groupBody = fc.oneof(
  uniqueName.chain((n) => objectOf(key, json).map((extra) => ({ ...validGroup(n), ...extra }))),
  fc.tuple(uniqueName, json).map(([n, members]) => ({ ...validGroup(n), members })),
  fc
    .tuple(uniqueName, fc.array(fc.oneof(fc.constant('{user}'), oddString, hostileName), { maxLength: 3 }))
    .map(([n, ids]) => ({ ...validGroup(n), members: groupMembers(ids) })),
  json,
);

const attrName = fc.oneof(
  fc.constantFrom('userName', 'displayName', 'emails', 'name', 'members', 'title', 'active', 'externalId', 'meta', 'id', 'groups', 'roles', 'phoneNumbers'),
  hostileName,
  fc.string({ maxLength: 6 }),
);
const filterValue = fc.oneof(
  oddString.map((s) => JSON.stringify(s)),
  fc.constantFrom('true', 'null', '1', '"2020-01-01T00:00:00Z"', '"{user}"'),
);
const filter = fc.oneof(
  fc.tuple(attrName, fc.constantFrom('eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'), filterValue).map(([a, o, v]) => `${a} ${o} ${v}`),
  attrName.map((a) => `${a} pr`),
  fc.tuple(fc.constantFrom(USER, ENTERPRISE, METADATA, FOLDERS, GROUP), fc.oneof(attrName, hostileName), filterValue).map(([u, a, v]) => `${u}:${a} eq ${v}`),
  fc.tuple(attrName, attrName, filterValue).map(([a, b, v]) => `${a}[${b} eq ${v}]`),
  fc.tuple(attrName, filterValue, attrName, filterValue).map(([a, v, b, w]) => `(${a} eq ${v} or not (${b} eq ${w})) and ${a} pr`),
  fc.integer({ min: 1, max: 3000 }).map((n) => `${'('.repeat(n)}userName pr${')'.repeat(n)}`),
  fc.integer({ min: 1, max: 500 }).map((n) => Array.from({ length: n }, () => 'userName pr').join(' and ')),
  fc.string({ maxLength: 20 }),
);
const attributeList = fc
  .array(
    fc.oneof(
      attrName,
      fc.tuple(fc.constantFrom(USER, ENTERPRISE, METADATA, FOLDERS), attrName).map(([u, a]) => `${u}:${a}`),
      fc.constantFrom('emails.value', 'name.givenName', 'members.value', ''),
    ),
    { maxLength: 3 },
  )
  .map((l) => l.join(','));
const oddNumber = fc.oneof(
  fc.integer({ min: -5, max: 300 }).map(String),
  fc.constantFrom('', '0', '-1', '1e308', '2147483648', '99999999999999999999', 'NaN', 'abc', '1.5', '0x10', ' 1', '１'),
);
const query = fc
  .record(
    {
      filter,
      attributes: attributeList,
      excludedAttributes: attributeList,
      sortBy: fc.oneof(attrName, fc.constantFrom(`${METADATA}:costCode`, 'emails.value', 'meta.created')),
      sortOrder: fc.constantFrom('ascending', 'descending', 'sideways', ''),
      startIndex: oddNumber,
      count: oddNumber,
      constructor: fc.constant('1'),
    },
    { requiredKeys: [] },
  )
  .chain((q) =>
    fc.boolean().map((dup) => {
      const params = Object.entries(q).map(([k, v]) => `${uriEncode(k)}=${uriEncode(String(v))}`);
      if (dup && params.length) params.push(params[0]); // a repeated parameter
      return params.length ? `?${params.join('&')}` : '';
    }),
  );
const searchBody = fc.oneof(
  fc.record(
    {
      schemas: fc.constant([SEARCH]),
      filter: fc.oneof(filter, json),
      attributes: fc.oneof(
        attributeList.map((l) => l.split(',')),
        json,
      ),
      sortBy: fc.oneof(attrName, json),
      startIndex: fc.oneof(number, json),
      count: fc.oneof(number, json),
    },
    { requiredKeys: ['schemas'] },
  ),
  fc.record({ schemas: json, filter: json }),
  json,
);

const opName = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('add', 'replace', 'remove', 'Add', 'Replace', 'Remove') },
  { weight: 1, arbitrary: fc.oneof(fc.constantFrom('move', 'copy', '', 'test'), json) },
);
const patchPath = fc.oneof(
  fc.constantFrom(
    'displayName',
    'title',
    'active',
    'name.givenName',
    'emails[type eq "work"].value',
    'members',
    'externalId',
    `${ENTERPRISE}:department`,
    `${ENTERPRISE}:manager`,
    `${FOLDERS}:folders`,
    `${METADATA}:costCode`,
  ),
  fc
    .tuple(
      fc.constantFrom('', `${METADATA}:`, `${FOLDERS}:`, `${ENTERPRISE}:`, `${USER}:`, 'name.', 'emails[type eq "work"].', 'members[value eq "x"].'),
      hostileName,
    )
    .map(([p, k]) => `${p}${k}`),
  fc.tuple(attrName, filter).map(([a, f]) => `${a}[${f}]`),
  fc
    .tuple(fc.constantFrom('members', 'emails', 'phoneNumbers', `${FOLDERS}:folders`), filter, fc.option(attrName))
    .map(([a, f, s]) => `${a}[${f}]${s ? `.${s}` : ''}`),
  fc.constantFrom(USER, ENTERPRISE, METADATA, FOLDERS, GROUP, 'urn:x:y:z'),
  oddString,
);
const patchOperation = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ op: opName, path: patchPath, value: fc.oneof(scalar, json, fc.constant([{ value: '{user}' }])) }, { requiredKeys: ['op'] }),
  },
  { weight: 2, arbitrary: fc.record({ op: opName, value: objectOf(fc.oneof(key, patchPath), fc.oneof(scalar, json)) }) },
  { weight: 1, arbitrary: json },
);
const patchBody = fc.oneof(
  // a valid operation with an odd string: accepted by the ingress, so the reconciler gets to store it
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('title', 'displayName', 'nickName', 'name.givenName', `${METADATA}:costCode`, `${ENTERPRISE}:department`), oddString)
      .map(([path, value]) => ({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path, value }] })),
  },
  { weight: 6, arbitrary: fc.record({ schemas: fc.constant([PATCH_OP]), Operations: fc.array(patchOperation, { minLength: 1, maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ schemas: json, Operations: json }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: json },
);

/** The text of a JSON value; sometimes not quite JSON (cut short, duplicated keys, trailing garbage). */
const serialized = (value: fc.Arbitrary<unknown>) =>
  fc.tuple(value, fc.constantFrom('json', 'json', 'json', 'json', 'json', 'cut', 'trailing', 'dupkey')).map(([v, how]) => {
    const text = JSON.stringify(v) ?? 'null';
    if (how === 'cut') return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
    if (how === 'trailing') return `${text} x`;
    if (how === 'dupkey' && text.startsWith('{') && text !== '{}') return `{"schemas":[],${text.slice(1)}`;
    return text;
  });

const id = (kind: '{user}' | '{group}') =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(kind) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '00000000-0000-4000-8000-000000000000',
        '__proto__',
        'constructor',
        '%00',
        '%F0%28',
        'a'.repeat(300),
        '..',
        '%2e%2e',
        '.search',
      ),
    },
  );
const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/scim+json') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/scim+json; charset=latin1',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
      '*/*',
      'a/b/c',
      'application/merge-patch+json',
      '',
    ),
  },
);
const encoding = fc.oneof(
  { weight: 10, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constantFrom('gzip', 'gzip-bad', 'br', 'deflate', 'identity', 'x-unknown', 'gzip, gzip', 'compress') },
);
const oddAuth = fc.constantFrom(
  '',
  'Bearer',
  'Bearer ',
  'Basic YTpi',
  'Bearer not-a-token',
  'Bearer {token} extra',
  'bearer {token}',
  'Bearer  {token}',
  'Bearer {other}',
  `Bearer ${'a'.repeat(5000)}`,
  'Bearer é',
  'Bearer {token}{token}',
);
const ifMatch = fc.constantFrom('*', 'W/"1"', 'W/"2"', '"1"', 'W/"999999999999999999999"', 'garbage', '', 'W/"1", W/"2"');

const tenant = fc.constantFrom<TenantName>('plain', 'workforce', 'workforce');
const requestOf = fc.oneof(
  fc.tuple(tenant, fc.constantFrom('Users', 'Groups'), query).map(([t, r, q]): FuzzRequest => ({ tenant: t, method: 'GET', path: `/${r}${q}` })),
  fc
    .tuple(tenant, fc.constantFrom('/Users', '/Groups'), id('{user}'), query)
    .map(([t, r, i, q]): FuzzRequest => ({ tenant: t, method: 'GET', path: `${r}/${r === '/Users' ? i : i.replace('{user}', '{group}')}${q}` })),
  fc
    .tuple(tenant, fc.constantFrom('/Users/.search', '/Groups/.search', '/.search'), serialized(searchBody))
    .map(([t, p, b]): FuzzRequest => ({ tenant: t, method: 'POST', path: p, body: b })),
  fc.tuple(tenant, serialized(userBody)).map(([t, b]): FuzzRequest => ({ tenant: t, method: 'POST', path: '/Users', body: b })),
  fc.tuple(tenant, id('{user}'), serialized(userBody)).map(([t, i, b]): FuzzRequest => ({ tenant: t, method: 'PUT', path: `/Users/${i}`, body: b })),
  fc.tuple(tenant, id('{user}'), serialized(patchBody)).map(([t, i, b]): FuzzRequest => ({ tenant: t, method: 'PATCH', path: `/Users/${i}`, body: b })),
  fc.tuple(tenant, serialized(groupBody)).map(([t, b]): FuzzRequest => ({ tenant: t, method: 'POST', path: '/Groups', body: b })),
  fc.tuple(tenant, id('{group}'), serialized(groupBody)).map(([t, i, b]): FuzzRequest => ({ tenant: t, method: 'PUT', path: `/Groups/${i}`, body: b })),
  fc.tuple(tenant, id('{group}'), serialized(patchBody)).map(([t, i, b]): FuzzRequest => ({ tenant: t, method: 'PATCH', path: `/Groups/${i}`, body: b })),
  fc
    .tuple(tenant, fc.constantFrom('/Users/', '/Groups/'), fc.constantFrom('00000000-0000-4000-8000-000000000000', '__proto__', 'constructor', '%00'))
    .map(([t, r, i]): FuzzRequest => ({ tenant: t, method: 'DELETE', path: `${r}${i}` })),
  fc
    .tuple(
      tenant,
      fc.constantFrom('/Schemas', '/ResourceTypes', '/ServiceProviderConfig'),
      fc.option(
        fc.oneof(
          fc.constantFrom(USER, GROUP, ENTERPRISE, METADATA, FOLDERS, 'User', 'Group', '__proto__', 'constructor', 'toString', '%00', 'urn%3Ax'),
          oddString.map(uriEncode),
        ),
      ),
      query,
    )
    .map(([t, p, i, q]): FuzzRequest => ({ tenant: t, method: 'GET', path: `${p}${i === null ? '' : `/${i}`}${q}` })),
  fc
    .tuple(
      tenant,
      fc.constantFrom('/__proto__', '/constructor', '/Users/{user}/constructor', '/Bulk', '/Me', '/users', '/Users/', '/%00'),
      fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
    )
    .map(([t, p, m]): FuzzRequest => ({ tenant: t, method: m, path: p, ...(m === 'GET' || m === 'OPTIONS' || m === 'DELETE' ? {} : { body: '{}' }) })),
);
/** `value` once in `n` times, else null */
const sometimes = <T>(value: fc.Arbitrary<T>, n: number) => fc.oneof({ weight: n - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: value });
/** A request with its headers varied: content type and encoding (of a body), If-Match, an odd Authorization. */
const fuzzRequest = fc
  .tuple(
    requestOf,
    contentType,
    encoding,
    sometimes(ifMatch, 6),
    sometimes(oddAuth, 12),
    sometimes(fc.constantFrom('*/*', 'text/html', 'application/json', 'application/xml', ''), 8),
  )
  .map(([r, type, enc, im, auth, accept]): FuzzRequest => {
    const headers: Record<string, string> = { ...(r.headers ?? {}) };
    let body = r.body;
    if (body !== undefined) {
      if (type) headers['content-type'] = type;
      if (enc === 'gzip') {
        headers['content-encoding'] = 'gzip';
        body = gzipSync(Buffer.from(body));
      } else if (enc === 'gzip-bad') headers['content-encoding'] = 'gzip';
      else if (enc) headers['content-encoding'] = enc;
    }
    if (im !== null && r.method !== 'GET') headers['if-match'] = im;
    if (accept !== null) headers.accept = accept;
    return { ...r, headers, body, ...(auth !== null ? { auth } : {}) };
  });

// ---- fixed cases: minimal reproductions of what fuzzing found, and the hostile inputs of issue 15 ---------------

const json$ = (v: unknown) => JSON.stringify(v);
const patch = (...Operations: object[]) => json$({ schemas: [PATCH_OP], Operations });
const deep = (n: number, open = '[', close = ']', inner = '1') => `${open.repeat(n)}${inner}${close.repeat(n)}`;
const withKey = (k: string, v: unknown, base: Record<string, unknown>) => JSON.stringify(base).replace(/^\{/, `{${JSON.stringify(k)}:${JSON.stringify(v)},`);
const FIXED: [string, FuzzRequest][] = [
  // hostile names (issue 15: retried forever in the reconciler)
  [
    'PATCH Metadata:constructor',
    { tenant: 'workforce', method: 'PATCH', path: '/Users/{user}', body: patch({ op: 'replace', path: `${METADATA}:constructor`, value: 'x' }) },
  ],
  [
    'PATCH Metadata:toString',
    { tenant: 'workforce', method: 'PATCH', path: '/Users/{user}', body: patch({ op: 'add', path: `${METADATA}:toString`, value: 'x' }) },
  ],
  [
    'PATCH remove Metadata:valueOf',
    { tenant: 'workforce', method: 'PATCH', path: '/Users/{user}', body: patch({ op: 'remove', path: `${METADATA}:valueOf` }) },
  ],
  [
    'PATCH no-path Metadata:hasOwnProperty',
    { tenant: 'workforce', method: 'PATCH', path: '/Users/{user}', body: patch({ op: 'replace', value: { [`${METADATA}:hasOwnProperty`]: 'x' } }) },
  ],
  [
    'PATCH no-path Metadata object with constructor',
    { tenant: 'workforce', method: 'PATCH', path: '/Users/{user}', body: patch({ op: 'replace', value: { [METADATA]: { constructor: 'x' } } }) },
  ],
  [
    'PATCH Metadata:__proto__',
    { tenant: 'workforce', method: 'PATCH', path: '/Users/{user}', body: patch({ op: 'add', path: `${METADATA}:__proto__`, value: 'x' }) },
  ],
  [
    'POST user with Metadata:constructor',
    { tenant: 'workforce', method: 'POST', path: '/Users', body: json$({ ...validUser('proto1'), [`${METADATA}:constructor`]: 'x' }) },
  ],
  ['POST user with a __proto__ key', { tenant: 'plain', method: 'POST', path: '/Users', body: withKey('__proto__', { admin: true }, validUser('proto2')) }],
  ['POST user with a constructor key', { tenant: 'plain', method: 'POST', path: '/Users', body: withKey('constructor', 'x', validUser('proto3')) }],
  ['GET filter on constructor', { tenant: 'workforce', method: 'GET', path: `/Users?filter=${encodeURIComponent(`${METADATA}:constructor eq "x"`)}` }],
  ['GET sortBy __proto__', { tenant: 'plain', method: 'GET', path: '/Users?sortBy=__proto__' }],
  ['GET attributes=constructor', { tenant: 'plain', method: 'GET', path: '/Users/{user}?attributes=constructor,toString' }],
  ['.search filter object', { tenant: 'plain', method: 'POST', path: '/Users/.search', body: json$({ schemas: [SEARCH], filter: { constructor: 1 } }) }],
  ['GET /Schemas/constructor', { tenant: 'plain', method: 'GET', path: '/Schemas/constructor' }],
  ['GET /ResourceTypes/__proto__', { tenant: 'plain', method: 'GET', path: '/ResourceTypes/__proto__' }],
  // values Postgres does not take (issue 15: retried forever)
  [
    'PATCH title with a lone surrogate',
    { tenant: 'plain', method: 'PATCH', path: '/Users/{user}', body: patch({ op: 'replace', path: 'title', value: 'a\ud800' }) },
  ],
  ['POST group with a lone surrogate', { tenant: 'plain', method: 'POST', path: '/Groups', body: json$({ ...validGroup('x'), displayName: 'g\udc00' }) }],
  ['POST user with NUL in a value', { tenant: 'plain', method: 'POST', path: '/Users', body: json$({ ...validUser('nul1'), displayName: 'a\u0000b' }) }],
  [
    'POST user with NUL in a key',
    { tenant: 'workforce', method: 'POST', path: '/Users', body: json$({ ...validUser('nul2'), [`${METADATA}:a\u0000b`]: 'x' }) },
  ],
  [
    'POST user with a lone surrogate in a key',
    { tenant: 'workforce', method: 'POST', path: '/Users', body: json$({ ...validUser('sur1'), [`${METADATA}:k\ud800`]: 'x' }) },
  ],
  [
    'POST user with invalid UTF-8',
    {
      tenant: 'plain',
      method: 'POST',
      path: '/Users',
      body: Buffer.concat([Buffer.from('{"schemas":["' + USER + '"],"userName":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
    },
  ],
  // depth
  [
    'PATCH value nested 10,000 deep',
    {
      tenant: 'plain',
      method: 'PATCH',
      path: '/Users/{user}',
      body: `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"replace","path":"title","value":${deep(10_000)}}]}`,
    },
  ],
  [
    'POST user with an object nested 10,000 deep',
    { tenant: 'plain', method: 'POST', path: '/Users', body: `{"schemas":["${USER}"],"userName":"deep1","x":${deep(10_000, '{"a":', '}')}}` },
  ],
  ['.search filter nested 10,000 deep', { tenant: 'plain', method: 'POST', path: '/.search', body: `{"schemas":["${SEARCH}"],"filter":${deep(10_000)}}` }],
  ['GET filter with 3,000 parentheses', { tenant: 'plain', method: 'GET', path: `/Users?filter=${encodeURIComponent(deep(3000, '(', ')', 'userName pr'))}` }],
  [
    'POST user nested 65 deep in Metadata',
    { tenant: 'workforce', method: 'POST', path: '/Users', body: json$({ ...validUser('deep2'), [METADATA]: { k: JSON.parse(deep(65)) } }) },
  ],
  // sizes
  ['POST user of exactly MAX_COMMAND_BODY_BYTES', { tenant: 'plain', method: 'POST', path: '/Users', body: sized(MAX_COMMAND_BODY_BYTES) }],
  ['POST user just over MAX_COMMAND_BODY_BYTES', { tenant: 'plain', method: 'POST', path: '/Users', body: sized(MAX_COMMAND_BODY_BYTES + 1) }],
  ['POST user of 900 KiB', { tenant: 'plain', method: 'POST', path: '/Users', body: sized(900 * 1024) }],
  [
    'POST form body with 1,500 fields',
    {
      tenant: 'plain',
      method: 'POST',
      path: '/Users',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: Array.from({ length: 1500 }, (_, i) => `f${i}=1`).join('&'),
    },
  ],
  // encodings and types
  [
    'POST gzip that is not gzip',
    {
      tenant: 'plain',
      method: 'POST',
      path: '/Users',
      headers: { 'content-type': 'application/scim+json', 'content-encoding': 'gzip' },
      body: json$(validUser('gz1')),
    },
  ],
  [
    'POST Content-Encoding br',
    {
      tenant: 'plain',
      method: 'POST',
      path: '/Users',
      headers: { 'content-type': 'application/scim+json', 'content-encoding': 'br' },
      body: json$(validUser('br1')),
    },
  ],
  [
    'POST Content-Encoding x-unknown',
    {
      tenant: 'plain',
      method: 'POST',
      path: '/Users',
      headers: { 'content-type': 'application/scim+json', 'content-encoding': 'x-unknown' },
      body: json$(validUser('xe1')),
    },
  ],
  ['POST text/plain', { tenant: 'plain', method: 'POST', path: '/Users', headers: { 'content-type': 'text/plain' }, body: json$(validUser('tp1')) }],
  ['POST application/xml', { tenant: 'plain', method: 'POST', path: '/Users', headers: { 'content-type': 'application/xml' }, body: '<User/>' }],
  [
    'PATCH with no content type',
    { tenant: 'plain', method: 'PATCH', path: '/Users/{user}', headers: { 'content-type': '' }, body: patch({ op: 'replace', path: 'title', value: 'x' }) },
  ],
  // authorization
  ['no Authorization', { tenant: 'plain', method: 'GET', path: '/Users', auth: null }],
  ['Authorization Basic', { tenant: 'plain', method: 'GET', path: '/Users', auth: 'Basic YTpi' }],
  ['Authorization of another tenant', { tenant: 'plain', method: 'GET', path: '/Users', auth: 'Bearer {other}' }],
  ['Authorization 5,000 characters', { tenant: 'plain', method: 'GET', path: '/Users', auth: `Bearer ${'a'.repeat(5000)}` }],
  ['access_token in the URL', { tenant: 'plain', method: 'GET', path: '/Users?access_token={token}', auth: null }],
  // odd query parameters and ids
  ['GET count=1e308 startIndex=-1', { tenant: 'plain', method: 'GET', path: '/Users?count=1e308&startIndex=-1' }],
  ['GET startIndex=99999999999999999999', { tenant: 'plain', method: 'GET', path: '/Users?startIndex=99999999999999999999&count=2147483648' }],
  ['GET repeated filter', { tenant: 'plain', method: 'GET', path: '/Users?filter=userName%20pr&filter=userName%20pr' }],
  ['GET /Users/%00', { tenant: 'plain', method: 'GET', path: '/Users/%00' }],
  ['GET /Users/%F0%28 (bad percent-encoding)', { tenant: 'plain', method: 'GET', path: '/Users/%F0%28' }],
  ['GET unknown route', { tenant: 'plain', method: 'GET', path: '/Nothing' }],
  ['GET with a 20 KiB URL', { tenant: 'plain', method: 'GET', path: `/Users?filter=${'x'.repeat(20 * 1024)}` }],
  [
    'If-Match garbage',
    {
      tenant: 'plain',
      method: 'PATCH',
      path: '/Users/{user}',
      headers: { 'if-match': 'W/"999999999999999999999"' },
      body: patch({ op: 'replace', path: 'title', value: 'x' }),
    },
  ],
];
/** A user document whose JSON text is exactly `bytes` long (a long displayName). */
function sized(bytes: number): string {
  const base = json$({ ...validUser(`big${bytes}`), displayName: '' });
  return base.replace('"displayName":""', `"displayName":"${'x'.repeat(bytes - Buffer.byteLength(base))}"`);
}

// ---- the test ----------------------------------------------------------------------------------------------------

describe(`fuzzing the running system (FUZZ_SEED=${SEED})`, () => {
  let system: RunningSystem;
  let receiver: WebhookReceiver;
  /** the reconciler that runs now: the test closes the first one and starts another */
  let reconciler: INestApplication | undefined;
  const tenants = {} as Record<TenantName, { base: string; token: string; users: string[]; groups: string[] }>;
  /** a user on every partition of scim.commands (plain tenant), written only by the final check */
  const sentinels = new Map<number, string>();
  let outage = false;
  let restoreEnv: (() => void) | undefined;

  beforeAll(async () => {
    // set for the whole spec, not by startSystem: the test starts a reconciler of its own after closing the system's
    restoreEnv = setEnv({ ADMIN_TOKEN, COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS), RETRY_AFTER_SECONDS: String(RETRY_AFTER_SECONDS) });
    receiver = new WebhookReceiver();
    const hook = await receiver.start();
    system = await startSystem();
    reconciler = system.reconciler;
    const plain = await system.createTenant('e2e fuzz', [hook]);
    const res = await fetch(`${system.baseUrl}/admin/tenants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'e2e fuzz workforce', profile: 'workforce', webhooks: [hook] }),
    });
    const workforce = (await res.json()) as { scimBaseUrl: string; token: string };
    if (res.status !== 201) throw new Error(`workforce tenant: ${res.status} ${JSON.stringify(workforce)}`);
    tenants.plain = { base: plain.scimBaseUrl, token: plain.token, users: [], groups: [] };
    tenants.workforce = { base: workforce.scimBaseUrl, token: workforce.token, users: [], groups: [] };

    // resources the fuzzed requests read and write: a few users and groups per tenant
    for (const t of ['plain', 'workforce'] as const) {
      for (let i = 0; i < 3; i++) {
        const u = await send({
          tenant: t,
          method: 'POST',
          path: '/Users',
          body: json$({
            ...validUser(`seed${i}`),
            ...(t === 'workforce' ? { [`${METADATA}:costCode`]: 'c1', [`${FOLDERS}:folders`]: ['f1'], title: 'Premium' } : {}),
          }),
        });
        if (u.status !== 201) throw new Error(`seed user: ${u.status} ${u.text}`);
        tenants[t].users.push(JSON.parse(u.text).id);
        const g = await send({
          tenant: t,
          method: 'POST',
          path: '/Groups',
          body: json$({ ...validGroup(`seed${i}`), members: [{ value: tenants[t].users[i] }] }),
        });
        if (g.status !== 201) throw new Error(`seed group: ${g.status} ${g.text}`);
        tenants[t].groups.push(JSON.parse(g.text).id);
      }
    }
    // a user on every partition, created until each partition has one
    const plainTenantId = plain.tenantId;
    for (let i = 0; sentinels.size < PARTITIONS; i++) {
      if (i > 400) throw new Error(`no user on partitions ${[...Array(PARTITIONS).keys()].filter((p) => !sentinels.has(p))} after 400 creates`);
      const u = await send({ tenant: 'plain', method: 'POST', path: '/Users', body: json$(validUser(`sentinel${i}`)) });
      if (u.status !== 201) throw new Error(`sentinel user: ${u.status} ${u.text}`);
      const userId = JSON.parse(u.text).id as string;
      const p = partitionOfKey(resourceKey(plainTenantId, userId), PARTITIONS);
      if (!sentinels.has(p)) sentinels.set(p, userId);
    }
  });

  afterAll(async () => {
    await system?.ingress.close();
    await reconciler?.close();
    await system?.notifier.close();
    await system?.db.destroy();
    await receiver?.stop();
    restoreEnv?.();
  });

  const pick = (list: string[], n: number) => list[n % list.length] ?? '00000000-0000-4000-8000-000000000000';
  let picks = 0;
  /** Sends a request as given (placeholders resolved) and reads the whole answer; never throws. */
  async function send(r: FuzzRequest): Promise<Answer> {
    const t = tenants[r.tenant];
    const other = tenants[r.tenant === 'plain' ? 'workforce' : 'plain'];
    const fill = (s: string) =>
      s
        .replace(/\{user\}/g, () => pick(t.users, picks++))
        .replace(/\{group\}/g, () => pick(t.groups, picks++))
        .replace(/\{token\}/g, t.token)
        .replace(/\{other\}/g, other.token);
    const headers: Record<string, string> = {
      accept: 'application/scim+json',
      ...(r.body !== undefined ? { 'content-type': 'application/scim+json' } : {}),
      ...(r.headers ?? {}),
    };
    if (headers['content-type'] === '') delete headers['content-type'];
    if (r.auth !== null) headers.authorization = r.auth === undefined ? `Bearer ${t.token}` : fill(r.auth);
    const body = typeof r.body === 'string' ? fill(r.body) : r.body;
    const sent: FuzzRequest = {
      ...r,
      path: fill(r.path),
      ...(body !== undefined ? { body } : {}),
      ...(typeof r.auth === 'string' ? { auth: fill(r.auth) } : {}),
    };
    const started = Date.now();
    try {
      const res = await fetch(`${t.base}${sent.path}`, { method: r.method, headers, body, signal: AbortSignal.timeout(COMMAND_TIMEOUT_MS + 10_000) });
      const text = await res.text();
      return { sent, status: res.status, retryAfter: res.headers.get('retry-after'), text, ms: Date.now() - started };
    } catch (e) {
      return { sent, status: 0, retryAfter: null, text: String((e as Error)?.cause ?? e), ms: Date.now() - started };
    }
  }

  /** Keeps created resources, so that later requests find them. */
  function remember(r: FuzzRequest, a: Answer): void {
    if (r.method !== 'POST' || a.status !== 201 || (r.path !== '/Users' && r.path !== '/Groups')) return;
    try {
      const id = JSON.parse(a.text).id;
      if (typeof id === 'string') (r.path === '/Users' ? tenants[r.tenant].users : tenants[r.tenant].groups).push(id);
    } catch {
      /* the answer was checked already */
    }
  }

  const failures: string[] = [];
  /** answers by status, and writes the reconciler applied: what the random phase reached */
  const statuses = new Map<number, number>();
  let appliedWrites = 0;
  async function check(r: FuzzRequest, label: string): Promise<string | undefined> {
    const a = await send(r);
    remember(r, a);
    statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
    if (r.method !== 'GET' && !r.path.includes('.search') && a.status >= 200 && a.status < 300) appliedWrites++;
    const why = violation(a, outage);
    if (!why) return undefined;
    const line = `${label}: ${why}\n    request: ${describeRequest(a.sent)}\n    answer: ${a.status} retry-after=${a.retryAfter} ${clip(a.text, 300)}`;
    failures.push(line);
    return line;
  }
  /** Fails with every violation found (grouped: the first of each kind in full), not just the first one. */
  function report(what: string, lines: string[]): void {
    if (!lines.length) return;
    const kinds = new Map<string, string[]>();
    for (const l of lines) {
      const kind = l
        .split('\n')[0]
        .replace(/^[^:]*: /, '')
        .replace(/\d+ ms/, 'N ms');
      kinds.set(kind, [...(kinds.get(kind) ?? []), l]);
    }
    const text = [...kinds].map(([k, ls]) => `${ls.length}× ${k}\n  ${ls.slice(0, 5).join('\n  ')}`).join('\n');
    throw new Error(`${what}: ${lines.length} answers broke the rules (FUZZ_SEED=${SEED})\n${text}`);
  }

  const fixed = FIXED.filter(([name]) => PHASES.has('fixed') && (!ONLY_CASE || ONLY_CASE.test(name)));
  /**
   * The fixed cases are sent together, once (a case that stalls a partition costs COMMAND_TIMEOUT_MS, not the
   * sum of them); each test reads its case's verdict.
   */
  let fixedVerdicts: Promise<Map<string, string | undefined>> | undefined;
  const verdictOf = (name: string) => {
    fixedVerdicts ??= (async () => {
      const verdicts = new Map<string, string | undefined>();
      let next = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < fixed.length) {
            const [n, r] = fixed[next++];
            verdicts.set(n, await check(r, `fixed case ${n}`));
          }
        }),
      );
      return verdicts;
    })();
    return fixedVerdicts.then((v) => v.get(name));
  };
  (fixed.length ? it.each(fixed) : it.skip.each(FIXED))('fixed case: %s', async (name) => {
    const line = await verdictOf(name);
    if (line) throw new Error(line);
  });

  (PHASES.has('types') ? it : it.skip)(
    'a wrong JSON type for every attribute of User, its enterprise extension and Group is a SCIM 4xx or accepted',
    async () => {
      const isMulti = (attrs: readonly AttributeDefinition[]) => (name: string) => attrs.some((a) => a.name === name && a.multiValued);
      const cases: [string, FuzzRequest][] = [];
      // the first two wrong values per attribute (of different JSON types), so that the sweep stays short
      const twoEach = (list: [string, unknown][]) => list.filter((_, i, all) => all.findIndex(([p]) => p === list[i][0]) + 2 > i);
      twoEach(wrongTypedAttributes(userSchema.attributes)).forEach(([path, value], i) => {
        cases.push([
          `POST User ${path}=${json$(value)}`,
          { tenant: 'plain', method: 'POST', path: '/Users', body: json$(withValue(validUser(`wt${i}`), path, value, isMulti(userSchema.attributes))) },
        ]);
        if (!path.includes('.'))
          cases.push([`PATCH User ${path}`, { tenant: 'workforce', method: 'PATCH', path: '/Users/{user}', body: patch({ op: 'replace', path, value }) }]);
      });
      twoEach(wrongTypedAttributes(enterpriseUserSchema.attributes)).forEach(([path, value], i) => {
        cases.push([
          `POST User ${ENTERPRISE}:${path}`,
          {
            tenant: 'plain',
            method: 'POST',
            path: '/Users',
            body: json$({
              ...validUser(`we${i}`),
              schemas: [USER, ENTERPRISE],
              [ENTERPRISE]: withValue({}, path, value, isMulti(enterpriseUserSchema.attributes)),
            }),
          },
        ]);
      });
      twoEach(wrongTypedAttributes(groupSchema.attributes)).forEach(([path, value], i) => {
        cases.push([
          `POST Group ${path}=${json$(value)}`,
          { tenant: 'plain', method: 'POST', path: '/Groups', body: json$(withValue(validGroup(`wg${i}`), path, value, isMulti(groupSchema.attributes))) },
        ]);
      });
      for (const [path, value] of [
        ['folders', 'not-a-list'],
        ['folders', [{ a: 1 }]],
        ['folders', [1, true, null]],
      ] as [string, unknown][])
        cases.push([
          `PATCH workforce ${FOLDERS}:${path}`,
          { tenant: 'workforce', method: 'PATCH', path: '/Users/{user}', body: patch({ op: 'replace', path: `${FOLDERS}:${path}`, value }) },
        ]);
      for (const value of [{ a: 1 }, [1], null, true, 1.5])
        cases.push([
          `PATCH workforce ${METADATA}:k=${json$(value)}`,
          { tenant: 'workforce', method: 'PATCH', path: '/Users/{user}', body: patch({ op: 'replace', path: `${METADATA}:k`, value }) },
        ]);
      const lines: string[] = [];
      const deadline = Date.now() + TYPES_BUDGET_MS;
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < cases.length && Date.now() < deadline) {
            const [name, r] = cases[next++];
            const line = await check(r, `wrong type ${name}`);
            if (line) lines.push(line);
          }
        }),
      );
      report(`wrong types (${next} of ${cases.length} requests sent${next < cases.length ? ': time budget spent' : ''})`, lines);
    },
  );

  (PHASES.has('random') ? it : it.skip)('random requests, with an outage in the middle, never answer 5xx and every 4xx is a SCIM error', async () => {
    const requests = fc.sample(
      fuzzRequest.filter((r) => r.path.length < MAX_URL_CHARS),
      { seed: SEED, numRuns: RUNS },
    );
    const lines: string[] = [];
    const started = Date.now();
    const deadline = started + RANDOM_BUDGET_MS;
    let next = 0;
    let sent = 0;
    const runUntil = async (end: number, stopAt: () => boolean) => {
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < end && !stopAt()) {
            const i = next++;
            const line = await check(requests[i], `random request #${i}${outage ? ' (outage)' : ''}`);
            sent++;
            if (line) lines.push(line);
          }
        }),
      );
    };
    const third = Math.floor(requests.length / 3);
    await runUntil(third, () => Date.now() > started + RANDOM_BUDGET_MS / 3);

    // the outage: the reconciler closed, requests go on for a few seconds, then a new reconciler takes over
    outage = true;
    await reconciler!.close();
    reconciler = undefined;
    const outageEnds = Date.now() + 3000;
    // a write while no reconciler runs must be answered 503 + Retry-After (else the outage was not injected)
    const during = await send({ tenant: 'plain', method: 'POST', path: '/Users', body: json$(validUser('during-outage')) });
    if (during.status !== 503 || !during.retryAfter)
      lines.push(
        `outage: a write while the reconciler is closed was answered ${during.status} retry-after=${during.retryAfter}, not 503 + Retry-After\n    answer: ${clip(during.text)}`,
      );
    await runUntil(2 * third, () => Date.now() > outageEnds);
    reconciler = await NestFactory.create(ReconcilerModule, { logger: ['error', 'warn'] });
    await reconciler.listen(0, '127.0.0.1');
    // the outage is over when a write is applied again (a new user each time: each lands on some partition)
    const recovery = Date.now() + RECOVERY_BUDGET_MS;
    for (let i = 0; ; i++) {
      const a = await send({ tenant: 'plain', method: 'POST', path: '/Users', body: json$(validUser(`canary${i}`)) });
      if (a.status === 201) break;
      if (Date.now() > recovery) {
        lines.push(
          `recovery: no write applied within ${RECOVERY_BUDGET_MS} ms of the new reconciler's start (${i + 1} tries)\n    answer: ${a.status} ${clip(a.text)}`,
        );
        break;
      }
    }
    outage = false;

    await runUntil(requests.length, () => Date.now() > deadline);
    const unsent = requests.length - next;
    const answered = [...statuses]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}×${n}`)
      .join(' ');
    report(
      `random phase (${sent} of ${requests.length} requests sent${unsent ? `, ${unsent} not sent: time budget spent` : ''}; answers ${answered}; ${appliedWrites} writes applied)`,
      lines,
    );
    // a fuzzer that never gets a write past the ingress does not test the reconciler
    expect(appliedWrites).toBeGreaterThan(Math.min(50, sent / 20));
  });

  it('afterwards a write for a user on every partition is answered within a second and its event reaches the webhook', async () => {
    expect(sentinels.size).toBe(PARTITIONS);
    const marker = `after-fuzz-${Date.now()}`;
    const results = await Promise.all(
      [...sentinels].map(async ([partition, userId]) => {
        const a = await send({
          tenant: 'plain',
          method: 'PATCH',
          path: `/Users/${userId}`,
          body: patch({ op: 'replace', path: 'displayName', value: marker }),
        });
        return { partition, userId, a };
      }),
    );
    const lines = results
      .filter(({ a }) => a.status !== 200 || a.ms > 1000)
      .map(
        ({ partition, a }) => `partition ${partition}: ${a.status} after ${a.ms} ms\n    request: ${describeRequest(a.sent)}\n    answer: ${clip(a.text, 300)}`,
      );
    const delivered = (userId: string) => receiver.eventsFor(userId).some((e) => e.data?.user?.displayName === marker);
    await receiver.waitFor(() => results.every(({ userId, a }) => a.status !== 200 || delivered(userId)), 3000).catch(() => undefined);
    for (const { partition, userId, a } of results)
      if (a.status === 200 && !delivered(userId))
        lines.push(`partition ${partition}: the event of the write (200) for user ${userId} did not reach the webhook within 3 s`);
    report('the write on every partition', lines);
  });

  afterAll(() => {
    // one list of everything, in case the per-test messages were cut
    if (failures.length) process.stderr.write(`fuzz (FUZZ_SEED=${SEED}): ${failures.length} violations\n`);
  });
});
