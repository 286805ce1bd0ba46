import { Injectable } from '@nestjs/common';
import { Request } from 'express';
import { AuthenticatedTenant, bearerCredentialOutsideHeader, bearerTokenOf, looksLikeJwt, SecretTokenVerifier } from '@scimflow/access';
import { ScimError } from '@scimflow/scim';
import { AccessTokens } from './access-tokens';

/**
 * Refuses a request that carries `access_token` in its URL or form body (RFC 6750 §2.2/§2.3), even with a
 * valid Authorization header: the credential is in a place where it is logged, so the client must change.
 */
export function refuseBearerOutsideHeader(req: Request): void {
  const place = bearerCredentialOutsideHeader({ url: req.originalUrl ?? req.url, contentType: req.headers['content-type'], body: req.body });
  if (!place) return;
  const description = `A bearer token is accepted only in the Authorization header, not in the ${place}`;
  throw new ScimError(401, `${description}: send Authorization: Bearer <token>`, undefined, {
    'WWW-Authenticate': `Bearer realm="scimflow", error="invalid_request", error_description="${description}"`,
  });
}

/**
 * `Authorization: Bearer <token>`, tied to exactly one tenant: either a long-lived secret token
 * (Entra's "Secret Token") or an access token from the tenant's token endpoint (Entra's OAuth 2.0
 * client credentials grant). Missing, expired, revoked, unknown: one answer, 401.
 */
@Injectable()
export class ScimBearerAuthentication {
  constructor(
    private readonly secretTokens: SecretTokenVerifier,
    private readonly accessTokens: AccessTokens,
  ) {}

  async authenticate(req: Request): Promise<AuthenticatedTenant> {
    refuseBearerOutsideHeader(req);
    const token = bearerTokenOf(req.headers.authorization);
    const auth = token === undefined ? undefined : await this.tenantOf(token);
    if (!auth) throw new ScimError(401, 'Authentication required: a valid bearer token for this tenant');
    return auth;
  }

  private async tenantOf(token: string): Promise<AuthenticatedTenant | undefined> {
    if (looksLikeJwt(token)) {
      const verified = await this.accessTokens.verify(token);
      return verified && { tenantId: verified.tenantId, tokenId: verified.jti };
    }
    return this.secretTokens.authenticate(token);
  }
}
