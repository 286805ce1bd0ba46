import { redactUrlCredentials } from '../logging';

export const REDACTED = '[redacted]';
/** What stands for a part of a body nested deeper than MAX_DEPTH. */
export const TOO_DEEP = '[nested too deep]';
const MAX_DEPTH = 64;

/**
 * Field names whose values are credentials, in JSON and form bodies alike: `password`, `client_secret`,
 * `client_assertion`, `token`, `access_token`, `refresh_token`, `secret`, `clientSecret`, `apiKey`, `authorization`, …
 */
const CREDENTIAL_FIELD = /passw|secret|token$|assertion|credential|authorization|api[-_]?key|signature/i;
/** `"name": "value"` pairs in text that is not valid JSON (a body cut short, a malformed one). */
const LOOSE_JSON_PAIR = /"((?:[^"\\]|\\.)*)"(\s*:\s*)"(?:[^"\\]|\\.)*"?/g;
/** Credentials wherever they appear in text: JWTs, scimflow's own bearer tokens, webhook signing secrets, Basic/Bearer values. */
const CREDENTIAL_TEXT = [
  /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
  /scimflow_[a-z0-9]{12}_[A-Za-z0-9_-]{20,}/g,
  /whsec_[A-Za-z0-9+/=_-]{8,}/g,
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi,
];

export function isCredentialField(name: string): boolean {
  return CREDENTIAL_FIELD.test(name);
}

/** A string with every credential-looking token in it replaced by [redacted]. */
export function redactText(text: string): string {
  let out = text;
  for (const pattern of CREDENTIAL_TEXT)
    out = out.replace(pattern, (m, scheme?: string) => (typeof scheme === 'string' && /^(bearer|basic)$/i.test(scheme) ? `${scheme} ${REDACTED}` : REDACTED));
  return out;
}

/**
 * A copy of a JSON value with credential fields (at any depth) and credential-looking strings redacted; so is the
 * `value` of a PATCH operation whose `path` names a credential (`{"op":"replace","path":"password","value":…}`).
 */
export function redactJson(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  // hostile bodies nest thousands deep (they are refused, and recorded); recursion that deep would overflow the stack
  if (depth >= MAX_DEPTH && value !== null && typeof value === 'object') return TOO_DEEP;
  if (Array.isArray(value)) return value.map((v) => redactJson(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const credentialPath = typeof o.path === 'string' && isCredentialField(o.path.split(/[[.:]/).filter(Boolean).pop() ?? '');
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o))
      out[k] = (isCredentialField(k) || (credentialPath && k === 'value')) && v !== null && v !== undefined ? REDACTED : redactJson(v, depth + 1);
    return out;
  }
  return value;
}

/** Text that looks like JSON but does not parse: credential pairs and credential-looking strings redacted. */
function redactLooseJson(text: string): string {
  return redactText(text.replace(LOOSE_JSON_PAIR, (pair, name: string, colon: string) => (isCredentialField(name) ? `"${name}"${colon}"${REDACTED}"` : pair)));
}

/** An application/x-www-form-urlencoded body with the values of credential fields redacted (the token endpoint's form). */
export function redactForm(form: string): string {
  return form
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return redactText(pair);
      let name = pair.slice(0, eq);
      try {
        name = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // a malformed escape: judged as sent
      }
      return isCredentialField(name) ? `${pair.slice(0, eq)}=${REDACTED}` : redactText(pair);
    })
    .join('&');
}

/** A path with query as logged: credentials in the query (`access_token=…`, `code=…`) redacted. */
export function redactPath(url: string): string {
  return redactText(redactUrlCredentials(url));
}

export interface LoggedBody {
  text: string | null;
  truncated: boolean;
}

/**
 * A body as the request log keeps it: redacted, then cut to `maxBytes` of UTF-8 (never inside a character) and marked
 * truncated. `body` is what the parsers or the handler produced: a parsed JSON or form object, a JSON or form string, a
 * Buffer, or nothing.
 */
export function loggedBody(body: unknown, maxBytes: number): LoggedBody {
  const text = redactedBodyText(body);
  if (text === null) return { text: null, truncated: false };
  return capText(text, maxBytes);
}

function redactedBodyText(body: unknown): string | null {
  if (body === undefined || body === null) return null;
  if (Buffer.isBuffer(body)) body = body.toString('utf8');
  if (typeof body === 'string') {
    if (body === '') return null;
    const parsed = parseJson(body);
    if (parsed !== undefined) return JSON.stringify(redactJson(parsed));
    if (/^\s*[{[]/.test(body)) return redactLooseJson(body);
    return /^[^\s<]*=/.test(body) ? redactForm(body) : redactText(body);
  }
  if (typeof body === 'object' && body !== null && Object.keys(body).length === 0 && !Array.isArray(body)) return null;
  return JSON.stringify(redactJson(body));
}

function parseJson(text: string): unknown {
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `text` cut to at most `maxBytes` bytes of UTF-8 on a character boundary. */
export function capText(text: string, maxBytes: number): LoggedBody {
  if (text.length <= maxBytes / 3 || Buffer.byteLength(text, 'utf8') <= maxBytes) return { text, truncated: false };
  const bytes = Buffer.from(text, 'utf8');
  let end = maxBytes;
  // step back over continuation bytes (10xxxxxx) so the cut never splits a character
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return { text: bytes.subarray(0, end).toString('utf8'), truncated: true };
}
