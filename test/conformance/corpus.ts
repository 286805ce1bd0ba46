/**
 * The conformance corpus as data: case files (JSON) of documented request/response pairs, their loader, the
 * placeholder substitution that threads ids captured from earlier responses into later requests, and the partial
 * matcher that asserts a response. Pure TypeScript, no HTTP: the e2e runner replays what this module prepares.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isPlainObject } from '@scimflow/scim';

/** How the tenant is addressed: Entra's default, or with `?aadOptscim062020` appended to the Tenant URL. */
export const MODES = ['withoutFlag', 'withFlag'] as const;
export type Mode = (typeof MODES)[number];
export const FLAG = 'aadOptscim062020';

export interface CaseSource {
  /** the documentation page's title */
  page: string;
  /** the heading (or test name) on that page the case follows */
  section: string;
}

export interface CaseRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** below the tenant's SCIM base URL, without a query string: `/Users/{{user.id}}` */
  path: string;
  /** query parameters, unencoded; in withFlag mode the flag is sent before them */
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface CaseExpectation {
  status: number;
  /** partial match, see matchValue; `undefined` asserts nothing about the body */
  body?: unknown;
  /** partial match of response headers, names lower-case */
  headers?: Record<string, string>;
}

export interface ConformanceCase {
  id: string;
  source: CaseSource;
  why: string;
  /** only in this mode; both when absent */
  mode?: Mode;
  /** a feature being built elsewhere; the case is run and may fail until it lands */
  pendingFeature?: string;
  request: CaseRequest;
  expect: CaseExpectation;
  /** variable name → where in the response its value is: `body.id`, `body.Resources.0.id`, `headers.etag` */
  capture?: Record<string, string>;
}

export interface CaseFile {
  file: string;
  title: string;
  cases: ConformanceCase[];
}

export class CorpusError extends Error {}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const CASE_KEYS = new Set(['id', 'source', 'why', 'mode', 'pendingFeature', 'request', 'expect', 'capture']);
const CAPTURE_FROM = /^(body|headers)(\.[^.]+)*$/;

/** Every `*.json` file of a directory, in file-name order, validated; case ids are unique across the corpus. */
export function loadCorpus(dir: string): CaseFile[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const parsed = files.map((file) => parseCaseFile(file, JSON.parse(readFileSync(join(dir, file), 'utf8'))));
  const seen = new Set<string>();
  for (const f of parsed) {
    for (const c of f.cases) {
      if (seen.has(c.id)) throw new CorpusError(`${f.file}: case id '${c.id}' is used more than once in the corpus`);
      seen.add(c.id);
    }
  }
  return parsed;
}

/** One case file's JSON, checked for the shape the runner relies on (a typo in the data fails loudly, not silently). */
export function parseCaseFile(file: string, json: unknown): CaseFile {
  const fail = (msg: string): never => {
    throw new CorpusError(`${file}: ${msg}`);
  };
  if (!isPlainObject(json)) fail('the file must hold a JSON object');
  const doc = json as Record<string, unknown>;
  if (typeof doc.title !== 'string' || !doc.title) fail("'title' must be a non-empty string");
  if (!Array.isArray(doc.cases) || doc.cases.length === 0) fail("'cases' must be a non-empty array");
  const cases = (doc.cases as unknown[]).map((raw, i) => {
    if (!isPlainObject(raw)) return fail(`case ${i} must be an object`);
    const c = raw as Record<string, unknown>;
    const where = typeof c.id === 'string' && c.id ? `case '${c.id}'` : `case ${i}`;
    if (typeof c.id !== 'string' || !/^[a-z0-9][a-z0-9.-]*$/.test(c.id)) fail(`${where}: 'id' must be lower-case letters, digits, dots and dashes`);
    for (const key of Object.keys(c)) if (!CASE_KEYS.has(key)) fail(`${where}: unknown member '${key}'`);
    const source = c.source as Record<string, unknown> | undefined;
    if (!isPlainObject(source) || typeof source!.page !== 'string' || !source!.page || typeof source!.section !== 'string' || !source!.section) {
      fail(`${where}: 'source' must be { page, section }, both non-empty strings`);
    }
    if (typeof c.why !== 'string' || !c.why.trim()) fail(`${where}: 'why' must say why the case is there`);
    if (c.mode !== undefined && !(MODES as readonly unknown[]).includes(c.mode)) fail(`${where}: 'mode' must be one of ${MODES.join(', ')}`);
    if (c.pendingFeature !== undefined && (typeof c.pendingFeature !== 'string' || !c.pendingFeature))
      fail(`${where}: 'pendingFeature' must be a non-empty string`);
    const req = c.request as Record<string, unknown> | undefined;
    if (!isPlainObject(req)) fail(`${where}: 'request' must be an object`);
    if (typeof req!.method !== 'string' || !METHODS.has(req!.method)) fail(`${where}: 'request.method' must be one of ${[...METHODS].join(', ')}`);
    if (typeof req!.path !== 'string' || !req!.path.startsWith('/') || req!.path.includes('?'))
      fail(`${where}: 'request.path' must start with '/' and carry no query string (use 'request.query')`);
    if (req!.query !== undefined && !isStringMap(req!.query)) fail(`${where}: 'request.query' must map names to strings`);
    if (req!.headers !== undefined && !isStringMap(req!.headers)) fail(`${where}: 'request.headers' must map names to strings`);
    const exp = c.expect as Record<string, unknown> | undefined;
    if (!isPlainObject(exp) || !Number.isInteger(exp!.status)) fail(`${where}: 'expect.status' must be an integer`);
    if (exp!.headers !== undefined && !isStringMap(exp!.headers)) fail(`${where}: 'expect.headers' must map names to strings`);
    if (c.capture !== undefined) {
      if (!isStringMap(c.capture)) fail(`${where}: 'capture' must map variable names to response paths`);
      for (const [name, from] of Object.entries(c.capture as Record<string, string>)) {
        if (!/^[A-Za-z][\w.]*$/.test(name)) fail(`${where}: capture name '${name}' must be a word, dots allowed`);
        if (!CAPTURE_FROM.test(from)) fail(`${where}: capture '${name}' must read from 'body…' or 'headers…', not '${from}'`);
      }
    }
    return c as unknown as ConformanceCase;
  });
  return { file, title: doc.title as string, cases };
}

/** The cases a mode replays, in file order. */
export function casesFor(file: CaseFile, mode: Mode): ConformanceCase[] {
  return file.cases.filter((c) => c.mode === undefined || c.mode === mode);
}

/** A case's name in the test report: id, page and section, so a failure names the documented request it replays. */
export function caseTitle(c: ConformanceCase): string {
  return `${c.id} [${c.source.page} › ${c.source.section}]${c.pendingFeature ? ` (pending: ${c.pendingFeature})` : ''}`;
}

// ---- placeholders -------------------------------------------------------------------------------------------------

/** Matcher markers, never substituted: `{{any}}`, `{{absent}}`, `{{re:…}}`. */
const MARKER = /^(any|absent|re:.*)$/s;
const PLACEHOLDER = /\{\{([^{}]+)\}\}/g;
const WHOLE_MARKER = /^\{\{(any|absent|re:.*)\}\}$/s;

/**
 * Replaces `{{name}}` with captured values, in every string of a value (keys included). A string that is exactly one
 * placeholder takes the variable's value with its type; inside a longer string the value is inserted as text.
 * An unknown variable is an error naming it (usually: the case that should have captured it failed).
 */
export function substitute<T>(value: T, vars: Record<string, unknown>): T {
  const one = (s: string): unknown => {
    if (WHOLE_MARKER.test(s)) return s; // a pattern may hold braces of its own
    const whole = /^\{\{([^{}]+)\}\}$/.exec(s);
    if (whole && !MARKER.test(whole[1])) return lookup(whole[1], vars);
    return s.replace(PLACEHOLDER, (m, name: string) => (MARKER.test(name) ? m : String(lookup(name, vars))));
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return one(v);
    if (Array.isArray(v)) return v.map(walk);
    if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [String(one(k)), walk(x)]));
    return v;
  };
  return walk(value) as T;
}

function lookup(name: string, vars: Record<string, unknown>): unknown {
  if (!Object.hasOwn(vars, name)) throw new CorpusError(`placeholder {{${name}}} has no value: no earlier case captured it (did that case fail?)`);
  return vars[name];
}

/** The values a case captures from its response; a path that finds nothing is an error. */
export function captureFrom(c: ConformanceCase, response: { body: unknown; headers: Record<string, string> }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, from] of Object.entries(c.capture ?? {})) {
    const [root, ...steps] = from.split('.');
    let cur: unknown = root === 'body' ? response.body : response.headers;
    for (const step of steps) cur = Array.isArray(cur) ? cur[Number(step)] : isPlainObject(cur) ? (cur as Record<string, unknown>)[step] : undefined;
    if (cur === undefined) throw new CorpusError(`${c.id}: capture '${name}' found nothing at '${from}'`);
    out[name] = cur;
  }
  return out;
}

/** The request's query string (`?…`), the flag first in withFlag mode, as Entra appends it to the Tenant URL. */
export function queryString(query: Record<string, string> | undefined, mode: Mode): string {
  const parts = Object.entries(query ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  if (mode === 'withFlag') parts.unshift(FLAG);
  return parts.length ? `?${parts.join('&')}` : '';
}

// ---- matcher ------------------------------------------------------------------------------------------------------

/**
 * Partial match of an actual JSON value against an expected one; returns the mismatches (empty: it matches), each
 * with its JSON path. Rules:
 * - objects: every listed member must match; members not listed are ignored. `"{{absent}}"` requires the member to be missing.
 * - arrays: containment, each expected element matched by a different actual element, in any order; an empty
 *   expected array requires an empty actual array.
 * - `"{{any}}"`: any value, but present; `"{{re:<pattern>}}"`: a string matching the pattern.
 * - anything else: equal (strict, so `"false"` is not `false`).
 */
export function matchValue(expected: unknown, actual: unknown, path = '$'): string[] {
  if (typeof expected === 'string') {
    const marker = /^\{\{(any|absent|re:(.*))\}\}$/s.exec(expected);
    if (marker?.[1] === 'any') return actual === undefined ? [`${path}: expected a value, found none`] : [];
    if (marker?.[1] === 'absent') return actual === undefined ? [] : [`${path}: expected no value, found ${show(actual)}`];
    if (marker && marker[2] !== undefined) {
      return typeof actual === 'string' && new RegExp(marker[2]).test(actual)
        ? []
        : [`${path}: expected a string matching /${marker[2]}/, found ${show(actual)}`];
    }
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array, found ${show(actual)}`];
    if (expected.length === 0) return actual.length === 0 ? [] : [`${path}: expected an empty array, found ${actual.length} element(s)`];
    return containment(expected, actual, path);
  }
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) return [`${path}: expected an object, found ${show(actual)}`];
    return Object.entries(expected as Record<string, unknown>).flatMap(([k, v]) => matchValue(v, (actual as Record<string, unknown>)[k], `${path}.${k}`));
  }
  return Object.is(expected, actual) ? [] : [`${path}: expected ${show(expected)}, found ${show(actual)}`];
}

/** Each expected element matched by a distinct actual element (a small backtracking search; arrays here are short). */
function containment(expected: unknown[], actual: unknown[], path: string): string[] {
  const used = new Set<number>();
  const assign = (i: number): boolean => {
    if (i === expected.length) return true;
    for (let j = 0; j < actual.length; j++) {
      if (used.has(j) || matchValue(expected[i], actual[j]).length) continue;
      used.add(j);
      if (assign(i + 1)) return true;
      used.delete(j);
    }
    return false;
  };
  if (assign(0)) return [];
  const unmatched = expected.filter((e) => !actual.some((a) => matchValue(e, a).length === 0));
  const detail = unmatched.length ? `no element matches ${unmatched.map(show).join(', ')}` : 'elements match only the same actual element';
  return [`${path}: ${detail}; found ${show(actual)}`];
}

function show(v: unknown): string {
  const s = v === undefined ? 'undefined' : JSON.stringify(v);
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

function isStringMap(v: unknown): boolean {
  return isPlainObject(v) && Object.values(v).every((x) => typeof x === 'string');
}
