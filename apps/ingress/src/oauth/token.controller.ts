import { Controller, Get, HttpCode, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { ClientAuthentication, clientSecretMatches, JWT_BEARER_GRANT, JwtError, OAuthError, parseTokenRequest } from '@scimflow/access';
import { OAuthClients } from '@scimflow/persistence';
import { AccessTokens } from '../auth/access-tokens';
import { TenantAccess } from '../auth/tenant-access';
import { FederatedIssuers } from './federated-issuers';
import { OAuthExceptionFilter } from './oauth-exception.filter';

const CLIENT_AUTH_FAILED = 'Client authentication failed';

/**
 * The per-tenant OAuth 2.0 token endpoint (Entra's "Token Endpoint"): client credentials grant
 * (RFC 6749 §4.4) with client_secret_basic, client_secret_post or a client assertion from a trusted
 * issuer (RFC 7523 §2.2, workload identity federation), and the JWT bearer grant (RFC 7523 §2.1).
 */
@ApiExcludeController()
@Controller('oauth')
@UseFilters(OAuthExceptionFilter)
export class TokenController {
  constructor(
    private readonly clients: OAuthClients,
    private readonly federation: FederatedIssuers,
    private readonly accessTokens: AccessTokens,
    private readonly access: TenantAccess,
  ) {}

  @Post(':tenantId/token')
  @HttpCode(200)
  async token(@Param('tenantId') tenantId: string, @Req() req: Request, @Res() res: Response) {
    const request = parseTokenRequest({ contentType: req.headers['content-type'], authorization: req.headers.authorization, body: req.body });
    let subject = await this.authenticateClient(tenantId, request.client);
    if (request.grantType === JWT_BEARER_GRANT) subject ??= await this.assertionSubject(tenantId, request.assertion, 'invalid_grant');
    // the tenant's own rules (disabled, allowed networks, rate limit) come after authentication, as for SCIM
    await this.access.enforce(tenantId, req);
    const issued = await this.accessTokens.issue(tenantId, subject!);
    res
      .status(200)
      .set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' })
      .type('application/json; charset=utf-8')
      .send(JSON.stringify({ access_token: issued.accessToken, token_type: 'Bearer', expires_in: issued.expiresIn }));
  }

  /** Public keys of our access tokens, for products that want to verify them themselves. */
  @Get('jwks')
  async jwks(@Res() res: Response) {
    res
      .status(200)
      .set('Cache-Control', 'public, max-age=300')
      .json({ keys: await this.accessTokens.publicJwks() });
  }

  /** The token's subject (the client id), or undefined when the request carries no client authentication. */
  private async authenticateClient(tenantId: string, client: ClientAuthentication): Promise<string | undefined> {
    switch (client.method) {
      case 'none':
        return undefined;
      case 'client_secret_basic':
      case 'client_secret_post':
        if (!(await clientSecretMatches((id) => this.clients.byId(id), tenantId, client.clientId, client.clientSecret)))
          throw new OAuthError('invalid_client', CLIENT_AUTH_FAILED);
        await this.clients.markUsed(client.clientId);
        return client.clientId;
      case 'client_assertion': {
        const own = await this.clients.find(tenantId);
        if (client.clientId !== undefined && client.clientId !== own?.id) throw new OAuthError('invalid_client', CLIENT_AUTH_FAILED);
        return this.assertionSubject(tenantId, client.assertion, 'invalid_client');
      }
    }
  }

  private async assertionSubject(tenantId: string, assertion: string, error: 'invalid_client' | 'invalid_grant'): Promise<string> {
    try {
      const trust = await this.federation.validate(tenantId, assertion);
      const own = await this.clients.find(tenantId);
      return own?.id ?? `federated:${trust.id}`;
    } catch (e) {
      if (e instanceof JwtError) throw new OAuthError(error, `The assertion was refused: ${e.reason}`);
      throw e;
    }
  }
}
