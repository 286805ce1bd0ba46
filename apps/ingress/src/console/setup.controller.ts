import { Body, Controller, Get, Header, Post, Query, UseGuards, UsePipes } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiDefaultResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import { connectionCheck, issueClientCredentials, issueToken, tenantEndpoints } from '@scimflow/access';
import { IngressConfig } from '@scimflow/config';
import type { ConnectionCheck, EntraMapping, SetupCredentialView, SetupFailureView, SetupStatusView, SetupView, TestConnectionView } from '@scimflow/contracts';
import { ActiveSetupLink, ConsoleInsights, OAuthClients, RequestLog, SecretTokens, SetupLinks, TenantAdmin } from '@scimflow/persistence';
import { entraMappings, failureHint, profileTitle, resolveProfileSettings } from '@scimflow/provisioning';
import { ScimError } from '@scimflow/scim';
import { ADMIN_VALIDATION } from '../admin/admin-controller';
import { ErrorSchema } from '../admin/admin.schemas';
import { CurrentSetupLink, INVALID_SETUP_LINK, SetupLinkGuard } from './setup-link.guard';

const CREDENTIAL_KINDS = ['secret-token', 'oauth-client-secret'] as const;
const RECENT_FAILURES = 20;

export class SetupCredentialDto {
  @ApiProperty({
    enum: CREDENTIAL_KINDS,
    description: 'secret-token: a new token (older ones keep working); oauth-client-secret: a new client secret (the old one stops working)',
  })
  @IsIn(CREDENTIAL_KINDS)
  kind: (typeof CREDENTIAL_KINDS)[number];
}

export class TestConnectionQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'only requests at or after this time' }) @IsOptional() @IsISO8601() since?: string;
}

class SetupTenantSchema {
  @ApiProperty() name: string;
  @ApiProperty({ example: 'workforce' }) profile: string;
  @ApiProperty({ example: 'Workforce platform' }) profileTitle: string;
}

class EntraMappingSchema implements EntraMapping {
  @ApiProperty({ description: 'the SCIM attribute', example: 'userType' }) target: string;
  @ApiProperty({ description: 'what to map to it in Entra: an attribute or expression' }) source: string;
  @ApiProperty() note: string;
}

class SetupSchema implements SetupView {
  @ApiProperty({ type: SetupTenantSchema }) tenant: SetupTenantSchema;
  @ApiProperty({ nullable: true, type: String }) productName: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'an https URL' }) logoUrl: string | null;
  @ApiProperty({ format: 'date-time', description: 'when the link stops working' }) expiresAt: string;
  @ApiProperty({ description: "Entra's Tenant URL" }) scimBaseUrl: string;
  @ApiProperty({ description: "Entra's Token Endpoint (OAuth 2.0 client credentials grant)" }) tokenUrl: string;
  @ApiProperty({ type: [String], example: ['secret-token', 'oauth-client-credentials'] }) authMethods: string[];
  @ApiProperty({ type: [String], description: 'CIDR blocks Entra must call from; [] = any address' }) allowedSourceIps: string[];
  @ApiProperty({ type: [EntraMappingSchema] }) mappings: EntraMappingSchema[];
}

class SetupCredentialSchema {
  @ApiPropertyOptional({ description: 'kind secret-token: the new secret token (shown once)' }) token?: string;
  @ApiPropertyOptional({ description: 'kind oauth-client-secret' }) tokenUrl?: string;
  @ApiPropertyOptional({ description: 'kind oauth-client-secret' }) clientId?: string;
  @ApiPropertyOptional({ description: 'kind oauth-client-secret: the new client secret (shown once; the old one stops working)' }) clientSecret?: string;
}

class ConnectionCheckSchema implements ConnectionCheck {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ nullable: true, type: String }) sourceIp: string | null;
  @ApiProperty() method: string;
  @ApiProperty({ description: 'path and query, credentials redacted' }) path: string;
  @ApiProperty() status: number;
  @ApiProperty({ description: 'false when answered 401' }) passedAuth: boolean;
  @ApiProperty({ description: "false when the allow-list refused it (403), or a 401's address is outside the allowed networks" }) passedAllowList: boolean;
  @ApiProperty({ description: 'status below 400' }) ok: boolean;
  @ApiProperty({ nullable: true, type: String, description: "the SCIM error's detail" }) detail: string | null;
}

class TestConnectionSchema implements TestConnectionView {
  @ApiProperty({ type: ConnectionCheckSchema, nullable: true }) lastRequest: ConnectionCheckSchema | null;
}

/** Recorded SCIM requests of the tenant as the setup page shows them. */
class SetupFailure implements SetupFailureView {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty() method: string;
  @ApiProperty() path: string;
  @ApiProperty() status: number;
  @ApiProperty({ nullable: true, type: String }) detail: string | null;
  @ApiProperty({ description: 'the fix, in plain words' }) hint: string;
}

class SetupStatusSchema implements SetupStatusView {
  @ApiProperty() users: number;
  @ApiProperty() groups: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastRequestAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'the newest provisioning action applied or rejected' }) lastCycleAt:
    string | null;
  @ApiProperty({ type: [SetupFailure], description: 'up to 20, newest first' }) recentFailures: SetupFailure[];
}

/**
 * The setup page's API for a customer's IT admin (no account): what to enter in Entra for the link's tenant, its
 * credentials (new ones on demand, shown once), Test Connection as it arrives, then sync status. Every route sees only
 * the link's own tenant.
 */
@ApiTags('console setup (setup links)')
@ApiBearerAuth()
@ApiDefaultResponse({ type: ErrorSchema, description: 'SCIM error body (401 setup link not valid)' })
@Controller('console/api/setup')
@UseGuards(SetupLinkGuard)
@UsePipes(ADMIN_VALIDATION)
export class SetupController {
  constructor(
    private readonly config: IngressConfig,
    private readonly tenants: TenantAdmin,
    private readonly tokens: SecretTokens,
    private readonly clients: OAuthClients,
    private readonly links: SetupLinks,
    private readonly log: RequestLog,
    private readonly insights: ConsoleInsights,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: "The tenant's Entra settings: Tenant URL, token URL, allowed networks and the attribute mappings its product needs" })
  @ApiOkResponse({ type: SetupSchema })
  async setup(@CurrentSetupLink() link: ActiveSetupLink): Promise<SetupView> {
    const tenant = await this.tenant(link);
    const endpoints = tenantEndpoints(this.config.PUBLIC_BASE_URL, tenant.id);
    const mappings: EntraMapping[] = entraMappings(resolveProfileSettings(tenant.profile, tenant.settings));
    return {
      tenant: { name: tenant.name, profile: tenant.profile, profileTitle: profileTitle(tenant.profile) },
      productName: link.productName,
      logoUrl: link.logoUrl,
      expiresAt: link.expiresAt.toISOString(),
      scimBaseUrl: endpoints.scimBaseUrl,
      tokenUrl: endpoints.tokenUrl,
      authMethods: ['secret-token', 'oauth-client-credentials'],
      allowedSourceIps: tenant.allowedSourceIps,
      mappings,
    };
  }

  @Post('credentials')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'A new credential for Entra (shown once), audited as issued through the setup link' })
  @ApiCreatedResponse({ type: SetupCredentialSchema, description: '{"token"} or {"tokenUrl","clientId","clientSecret"}' })
  async credentials(@CurrentSetupLink() link: ActiveSetupLink, @Body() body: SetupCredentialDto): Promise<SetupCredentialView> {
    const tenant = await this.tenant(link);
    const now = new Date();
    if (body.kind === 'secret-token') {
      const created = await this.tokens.create(tenant.id, await issueToken(), `issued through setup link ${link.id}`);
      await this.links.auditCredentialIssued(link, 'secret-token', created.id, now);
      return { token: created.token };
    }
    const issued = await this.clients.rotateSecret(tenant.id, await issueClientCredentials());
    await this.links.auditCredentialIssued(link, 'oauth-client-secret', issued.clientId, now);
    return { tokenUrl: tenantEndpoints(this.config.PUBLIC_BASE_URL, tenant.id).tokenUrl, clientId: issued.clientId, clientSecret: issued.clientSecret };
  }

  @Get('test-connection')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: "The tenant's newest SCIM request (since `since`): when, from where, and whether it passed auth and the allow-list" })
  @ApiOkResponse({ type: TestConnectionSchema })
  async testConnection(@CurrentSetupLink() link: ActiveSetupLink, @Query() q: TestConnectionQueryDto): Promise<TestConnectionView> {
    const tenant = await this.tenant(link);
    // the SCIM API only: the token endpoint's requests are not Entra's Test Connection
    const [newest] = await this.log.list(tenant.id, { from: q.since ? new Date(q.since) : undefined, q: '/scim/v2/', limit: 1 });
    return { lastRequest: newest ? connectionCheck(newest, tenant.allowedSourceIps) : null };
  }

  @Get('status')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Sync status: provisioned users and groups, last request and cycle, recent failures with their fix in plain words' })
  @ApiOkResponse({ type: SetupStatusSchema })
  async status(@CurrentSetupLink() link: ActiveSetupLink): Promise<SetupStatusView> {
    const tenant = await this.tenant(link);
    const counts = await this.insights.syncCounts(tenant.id);
    const failures = await this.insights.recentFailures(tenant.id, RECENT_FAILURES);
    const recentFailures: SetupFailureView[] = failures.map((f) => ({
      at: f.at,
      method: f.method,
      path: f.path,
      status: f.status,
      detail: f.detail,
      hint: failureHint({ method: f.method, path: f.path, status: f.status, detail: f.detail ?? undefined, scimType: f.scimType ?? undefined }),
    }));
    return { ...counts, recentFailures };
  }

  /** The link's tenant; gone since the guard ran reads as an invalid link. */
  private async tenant(link: ActiveSetupLink) {
    const tenant = await this.tenants.get(link.tenantId);
    if (!tenant) throw new ScimError(401, INVALID_SETUP_LINK);
    return tenant;
  }
}
