import { Body, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { issueClientCredentials, issueToken, SecretTokenVerifier, tenantEndpoints } from '@scimflow/access';
import { IngressConfig } from '@scimflow/config';
import type { ClientSecretView, CreatedSecretTokenView } from '@scimflow/contracts';
import {
  FederatedCredentials,
  federatedCredentialView,
  OAuthClients,
  oauthClientView,
  SecretTokens,
  secretTokenView,
  TenantAdmin,
} from '@scimflow/persistence';
import { CreateFederatedCredentialDto, CreateSecretTokenDto } from './admin.dto';
import { ClientSecretSchema, CreatedSecretTokenSchema, FederatedCredentialSchema, OAuthClientSchema, SecretTokenSchema } from './admin.schemas';
import { AdminController, existingTenant, found } from './admin-controller';

/** A tenant's credentials: secret tokens, the OAuth client, federated trusts. */
@AdminController('admin/tenants/:tenantId', 'credentials')
export class AdminCredentialsController {
  constructor(
    private readonly tenants: TenantAdmin,
    private readonly tokens: SecretTokens,
    private readonly verifier: SecretTokenVerifier,
    private readonly clients: OAuthClients,
    private readonly federated: FederatedCredentials,
    private readonly config: IngressConfig,
  ) {}

  @Post('tokens')
  @ApiOperation({ summary: 'Create a secret token (shown once); several may be active for rotation' })
  @ApiCreatedResponse({ type: CreatedSecretTokenSchema })
  async createToken(@Param('tenantId') tenantId: string, @Body() body: CreateSecretTokenDto): Promise<CreatedSecretTokenView> {
    await existingTenant(this.tenants, tenantId);
    const created = await this.tokens.create(tenantId, await issueToken(), body.description);
    return { id: created.id, token: created.token, description: created.description, createdAt: created.createdAt.toISOString() };
  }

  @Get('tokens')
  @ApiOperation({ summary: 'List secret tokens (never their secrets)' })
  @ApiOkResponse({ type: [SecretTokenSchema] })
  async listTokens(@Param('tenantId') tenantId: string) {
    await existingTenant(this.tenants, tenantId);
    return (await this.tokens.list(tenantId)).map(secretTokenView);
  }

  @Delete('tokens/:tokenId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a secret token' })
  @ApiNoContentResponse()
  async revokeToken(@Param('tenantId') tenantId: string, @Param('tokenId') tokenId: string): Promise<void> {
    await existingTenant(this.tenants, tenantId);
    found((await this.tokens.revoke(tenantId, tokenId)) || null, `Active token ${tokenId}`);
    this.verifier.forget(tokenId);
  }

  @Get('client')
  @ApiOperation({ summary: "The tenant's OAuth client (Client Identifier, Token Endpoint)" })
  @ApiOkResponse({ type: OAuthClientSchema })
  async client(@Param('tenantId') tenantId: string) {
    await existingTenant(this.tenants, tenantId);
    return oauthClientView(found(await this.clients.find(tenantId), 'OAuth client'), this.config.PUBLIC_BASE_URL);
  }

  @Post('client/secret')
  @ApiOperation({ summary: 'Rotate the client secret (shown once); the old secret stops working at once' })
  @ApiCreatedResponse({ type: ClientSecretSchema })
  async rotateClientSecret(@Param('tenantId') tenantId: string): Promise<ClientSecretView> {
    await existingTenant(this.tenants, tenantId);
    const issued = await this.clients.rotateSecret(tenantId, await issueClientCredentials());
    return { ...issued, tokenUrl: tenantEndpoints(this.config.PUBLIC_BASE_URL, tenantId).tokenUrl };
  }

  @Delete('client/secret')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove the client secret: the client then authenticates only with federated assertions' })
  @ApiNoContentResponse()
  async removeClientSecret(@Param('tenantId') tenantId: string): Promise<void> {
    await existingTenant(this.tenants, tenantId);
    found((await this.clients.removeSecret(tenantId)) || null, 'OAuth client');
  }

  @Post('federated-credentials')
  @ApiOperation({ summary: 'Trust JWTs of an issuer (workload identity federation) as client authentication' })
  @ApiCreatedResponse({ type: FederatedCredentialSchema })
  async addFederated(@Param('tenantId') tenantId: string, @Body() body: CreateFederatedCredentialDto) {
    await existingTenant(this.tenants, tenantId);
    const created = await this.federated.add(tenantId, { ...body, audience: body.audience ?? tenantEndpoints(this.config.PUBLIC_BASE_URL, tenantId).tokenUrl });
    return federatedCredentialView(created);
  }

  @Get('federated-credentials')
  @ApiOperation({ summary: 'List federated credentials' })
  @ApiOkResponse({ type: [FederatedCredentialSchema] })
  async listFederated(@Param('tenantId') tenantId: string) {
    await existingTenant(this.tenants, tenantId);
    return (await this.federated.list(tenantId)).map(federatedCredentialView);
  }

  @Delete('federated-credentials/:credentialId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a federated credential' })
  @ApiNoContentResponse()
  async removeFederated(@Param('tenantId') tenantId: string, @Param('credentialId') credentialId: string): Promise<void> {
    await existingTenant(this.tenants, tenantId);
    found((await this.federated.remove(tenantId, credentialId)) || null, `Federated credential ${credentialId}`);
  }
}
