/** Error codes of the token endpoint (RFC 6749 §5.2). */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  // RFC 6749 §4.1.2.1, used by token endpoints too: our fault, or a backing service is down / the tenant's rate limit
  | 'server_error'
  | 'temporarily_unavailable';

export interface OAuthErrorBody {
  error: OAuthErrorCode;
  error_description: string;
}

const DEFAULT_STATUS: Partial<Record<OAuthErrorCode, number>> = { invalid_client: 401, server_error: 500, temporarily_unavailable: 503 };

/**
 * An answer of the OAuth token endpoint. These are OAuth JSON errors, not SCIM errors: Entra and
 * OAuth clients read `error`. invalid_client is 401 with a WWW-Authenticate challenge (§5.2), server_error 500,
 * temporarily_unavailable 503, everything else 400, unless `status` says otherwise (403 of a disabled tenant, 429).
 */
export class OAuthError extends Error {
  readonly status: number;

  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    options: { status?: number; headers?: Record<string, string> } = {},
  ) {
    super(`${error}: ${description}`);
    this.name = 'OAuthError';
    this.status = options.status ?? DEFAULT_STATUS[error] ?? 400;
    this.extraHeaders = options.headers ?? {};
  }

  private readonly extraHeaders: Record<string, string>;

  get headers(): Record<string, string> {
    const h: Record<string, string> = { ...this.extraHeaders, 'Cache-Control': 'no-store', Pragma: 'no-cache' };
    if (this.status === 401) h['WWW-Authenticate'] = 'Basic realm="scimflow", charset="UTF-8"';
    return h;
  }

  toBody(): OAuthErrorBody {
    return { error: this.error, error_description: this.description };
  }
}
