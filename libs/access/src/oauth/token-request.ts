import { OAuthError } from './oauth-error';

export const CLIENT_CREDENTIALS = 'client_credentials';
/** RFC 7523 §2.1: a JWT from a trusted issuer used as the grant itself */
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** RFC 7523 §2.2: a JWT from a trusted issuer used to authenticate the client */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export type ClientAuthentication =
  | { method: 'client_secret_basic' | 'client_secret_post'; clientId: string; clientSecret: string }
  | { method: 'client_assertion'; clientId?: string; assertion: string }
  | { method: 'none'; clientId?: string };

export type TokenRequest =
  | { grantType: typeof CLIENT_CREDENTIALS; client: ClientAuthentication }
  | { grantType: typeof JWT_BEARER_GRANT; assertion: string; client: ClientAuthentication };

export interface RawTokenRequest {
  contentType?: string;
  authorization?: string;
  /** the parsed form body: values are strings, or arrays when a parameter was repeated */
  body: unknown;
}

const FORM = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/** RFC 6749 §2.3.1: client id and secret are form-encoded before they are put in the Basic header. */
function formDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    throw new OAuthError('invalid_client', 'The Basic authorization header is malformed');
  }
}

function parseBasic(header: string): { clientId: string; clientSecret: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/]+=*)\s*$/i.exec(header);
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new OAuthError('invalid_client', 'The Basic authorization header is malformed');
  return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
}

function formParameters(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    // RFC 6749 §3.2: request parameters MUST NOT be included more than once
    if (Array.isArray(v)) throw new OAuthError('invalid_request', `Parameter "${k}" is included more than once`);
    if (typeof v !== 'string') throw new OAuthError('invalid_request', `Parameter "${k}" is malformed`);
    params[k] = v;
  }
  return params;
}

/**
 * Reads a token request (RFC 6749 §4.4, RFC 7523 §2) into what it asks for and how the client
 * authenticates; checks only its form, never a credential.
 */
export function parseTokenRequest(raw: RawTokenRequest): TokenRequest {
  if (!raw.contentType || !FORM.test(raw.contentType))
    throw new OAuthError('invalid_request', 'The token request must be sent as application/x-www-form-urlencoded');
  const p = formParameters(raw.body);
  const grantType = p.grant_type;
  if (!grantType) throw new OAuthError('invalid_request', 'Parameter "grant_type" is missing');
  if (grantType !== CLIENT_CREDENTIALS && grantType !== JWT_BEARER_GRANT)
    throw new OAuthError('unsupported_grant_type', `Grant type "${grantType}" is not supported; use "${CLIENT_CREDENTIALS}"`);

  const client = clientAuthentication(raw.authorization, p);
  if (grantType === JWT_BEARER_GRANT) {
    if (!p.assertion) throw new OAuthError('invalid_request', 'Parameter "assertion" is missing');
    return { grantType, assertion: p.assertion, client };
  }
  if (client.method === 'none')
    throw new OAuthError('invalid_client', 'Client authentication is required (client_secret_basic, client_secret_post or client_assertion)');
  return { grantType, client };
}

function clientAuthentication(authorization: string | undefined, p: Record<string, string>): ClientAuthentication {
  const basic = authorization ? parseBasic(authorization) : undefined;
  if (authorization && !basic) throw new OAuthError('invalid_client', 'Only Basic authorization is accepted at the token endpoint');
  const methods = [
    basic ? 'client_secret_basic' : '',
    p.client_secret !== undefined ? 'client_secret_post' : '',
    p.client_assertion !== undefined ? 'client_assertion' : '',
  ].filter(Boolean);
  // RFC 6749 §2.3: the client MUST NOT use more than one authentication method in each request
  if (methods.length > 1) throw new OAuthError('invalid_request', `More than one client authentication method was used (${methods.join(', ')})`);

  if (basic) {
    if (p.client_id !== undefined && p.client_id !== basic.clientId)
      throw new OAuthError('invalid_request', '"client_id" differs from the client in the Authorization header');
    return { method: 'client_secret_basic', ...basic };
  }
  if (p.client_secret !== undefined) {
    if (!p.client_id) throw new OAuthError('invalid_request', 'Parameter "client_id" is missing');
    return { method: 'client_secret_post', clientId: p.client_id, clientSecret: p.client_secret };
  }
  if (p.client_assertion !== undefined || p.client_assertion_type !== undefined) {
    if (p.client_assertion_type !== JWT_BEARER_ASSERTION_TYPE)
      throw new OAuthError('invalid_request', `"client_assertion_type" must be "${JWT_BEARER_ASSERTION_TYPE}"`);
    if (!p.client_assertion) throw new OAuthError('invalid_request', 'Parameter "client_assertion" is missing');
    return { method: 'client_assertion', clientId: p.client_id || undefined, assertion: p.client_assertion };
  }
  return { method: 'none', clientId: p.client_id || undefined };
}
