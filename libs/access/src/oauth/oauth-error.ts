/** Error codes of the token endpoint (RFC 6749 §5.2). */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope';

export interface OAuthErrorBody {
  error: OAuthErrorCode;
  error_description: string;
}

/**
 * An answer of the OAuth token endpoint. These are OAuth JSON errors, not SCIM errors: Entra and
 * OAuth clients read `error`. invalid_client is 401 with a WWW-Authenticate challenge (§5.2),
 * everything else 400.
 */
export class OAuthError extends Error {
  readonly status: number;

  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
    this.name = 'OAuthError';
    this.status = error === 'invalid_client' ? 401 : 400;
  }

  get headers(): Record<string, string> {
    const h: Record<string, string> = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
    if (this.status === 401) h['WWW-Authenticate'] = 'Basic realm="scimflow", charset="UTF-8"';
    return h;
  }

  toBody(): OAuthErrorBody {
    return { error: this.error, error_description: this.description };
  }
}
