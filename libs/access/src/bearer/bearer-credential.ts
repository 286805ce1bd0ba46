/**
 * Where a bearer credential may be (RFC 6750): only in `Authorization: Bearer <token>` (§2.1). The URL query
 * (§2.3) and a form body (§2.2) are optional there and refused here: a URL lands in access logs, proxies
 * and browser history.
 */

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), or undefined. */
export function bearerTokenOf(authorization: string | undefined): string | undefined {
  return authorization ? BEARER.exec(authorization)?.[1] : undefined;
}

const FORM = /^application\/x-www-form-urlencoded\s*(;|$)/i;
const ACCESS_TOKEN = 'access_token';

export interface RequestCredentialPlaces {
  /** the request target as sent, path and query */
  url: string;
  contentType?: string;
  /** the parsed body */
  body: unknown;
}

/** Names the place other than the Authorization header where the request carries `access_token`, or undefined. */
export function bearerCredentialOutsideHeader(req: RequestCredentialPlaces): 'query' | 'form body' | undefined {
  if (queryParameterNames(req.url).some((name) => name === ACCESS_TOKEN)) return 'query';
  if (
    req.contentType &&
    FORM.test(req.contentType) &&
    typeof req.body === 'object' &&
    req.body !== null &&
    Object.keys(req.body).some((k) => baseName(k) === ACCESS_TOKEN)
  )
    return 'form body';
  return undefined;
}

/**
 * The names of a URL's query parameters, percent-decoded where that is possible (a malformed escape stays as
 * sent); without the brackets of `name[]` / `name[key]`, which the query parser would read as the same name.
 */
export function queryParameterNames(url: string): string[] {
  const q = url.indexOf('?');
  if (q < 0) return [];
  const names: string[] = [];
  for (const pair of url
    .slice(q + 1)
    .split('#')[0]
    .split('&')) {
    if (!pair) continue;
    names.push(baseName(parameterName(pair)));
  }
  return names;
}

function parameterName(pair: string): string {
  const eq = pair.indexOf('=');
  const raw = (eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' ');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

const baseName = (name: string) => name.replace(/\[.*$/, '').trim().toLowerCase();
