import { Body, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, IsUrl, Max, MaxLength, Min } from 'class-validator';
import { issueSetupLink, SETUP_LINK_DEFAULT_SECONDS, SETUP_LINK_MAX_SECONDS, SETUP_LINK_MIN_SECONDS } from '@scimflow/access';
import { IngressConfig } from '@scimflow/config';
import { SetupLinks, TenantAdmin } from '@scimflow/persistence';
import type { IssuedSetupLink, SetupLinkListView, SetupLinkView } from '@scimflow/contracts';
import { AdminController, existingTenant, found } from './admin-controller';

export class CreateSetupLinkDto {
  @ApiPropertyOptional({ minimum: SETUP_LINK_MIN_SECONDS, maximum: SETUP_LINK_MAX_SECONDS, default: SETUP_LINK_DEFAULT_SECONDS })
  @IsOptional()
  @IsInt()
  @Min(SETUP_LINK_MIN_SECONDS)
  @Max(SETUP_LINK_MAX_SECONDS)
  expiresInSeconds?: number;

  @ApiPropertyOptional({ maxLength: 80, description: 'the product name the setup page shows' })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  productName?: string;

  @ApiPropertyOptional({ maxLength: 500, description: 'an https URL of the product logo the setup page shows' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @IsUrl({ protocols: ['https'], require_protocol: true, require_tld: false }, { message: 'logoUrl must be an https URL' })
  logoUrl?: string;
}

export class CreatedSetupLinkSchema implements IssuedSetupLink {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'shown once: PUBLIC_BASE_URL/console/setup#sfsl_… (the token rides in the fragment)' }) url: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
}

export class SetupLinkSchema implements SetupLinkView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastUsedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) productName: string | null;
}

export class SetupLinkListSchema implements SetupLinkListView {
  @ApiProperty({ type: [SetupLinkSchema] }) links: SetupLinkSchema[];
}

/** Setup links: a tenant's expiring, revocable link for its customer's IT admin to connect Entra (the console's setup page). */
@AdminController('admin/tenants/:tenantId/setup-links', 'setup links', {
  errors: '401, 403 missing CSRF token, 503 admin API disabled, 400, 404',
  consoleCookie: true,
})
export class AdminSetupLinksController {
  constructor(
    private readonly tenants: TenantAdmin,
    private readonly links: SetupLinks,
    private readonly config: IngressConfig,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a setup link (its URL is shown once); 5 minutes to 30 days, 7 days by default' })
  @ApiCreatedResponse({ type: CreatedSetupLinkSchema })
  async create(@Param('tenantId') tenantId: string, @Body() body: CreateSetupLinkDto): Promise<IssuedSetupLink> {
    await existingTenant(this.tenants, tenantId);
    return issueSetupLink(this.links, tenantId, body, this.config.PUBLIC_BASE_URL);
  }

  @Get()
  @ApiOperation({ summary: "The tenant's setup links (never their tokens)" })
  @ApiOkResponse({ type: SetupLinkListSchema })
  async list(@Param('tenantId') tenantId: string): Promise<SetupLinkListView> {
    await existingTenant(this.tenants, tenantId);
    return { links: await this.links.list(tenantId) };
  }

  @Delete(':linkId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a setup link: it stops working at once' })
  @ApiNoContentResponse()
  async revoke(@Param('tenantId') tenantId: string, @Param('linkId') linkId: string): Promise<void> {
    await existingTenant(this.tenants, tenantId);
    found((await this.links.revoke(tenantId, linkId)) || null, `Active setup link ${linkId}`);
  }
}
