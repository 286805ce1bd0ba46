import { Body, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { canonicalCidrs, CidrError, issueTenantCredentials } from '@scimflow/access';
import { IngressConfig } from '@scimflow/config';
import { createdTenantView, Tenant, TenantAdmin, TenantDirectory, tenantView } from '@scimflow/persistence';
import type { TenantView } from '@scimflow/contracts';
import { newTenantProfile } from '@scimflow/provisioning';
import { ScimError } from '@scimflow/scim';
import { subscriptionSettings } from '@scimflow/webhooks';
import { TenantAccess } from '../auth/tenant-access';
import { AllowedSourceIpsDto, CreateTenantDto, RateLimitDto } from './admin.dto';
import { CreatedTenantSchema, TenantSchema } from './admin.schemas';
import { AdminController, existingTenant, found } from './admin-controller';

export function validCidrs(blocks: readonly string[]): string[] {
  try {
    return canonicalCidrs(blocks);
  } catch (e) {
    if (e instanceof CidrError) throw ScimError.badRequest('invalidValue', e.message);
    throw e;
  }
}

/** Tenant lifecycle and access settings. Errors are SCIM error bodies, as everywhere in scimflow. */
@AdminController('admin/tenants', 'tenants', { errors: '401 bad admin credential, 503 admin API disabled, 400, 404' })
export class AdminTenantsController {
  constructor(
    private readonly directory: TenantDirectory,
    private readonly tenants: TenantAdmin,
    private readonly access: TenantAccess,
    private readonly config: IngressConfig,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Create a tenant with a secret token and OAuth client credentials (secrets shown once)',
    description: "The profile's rules apply with `settings` over its preset; the profile's extension schemas (workforce: folders, Metadata) are registered.",
  })
  @ApiCreatedResponse({ type: CreatedTenantSchema })
  async create(@Body() body: CreateTenantDto) {
    const created = await this.directory.createTenant({
      name: body.name.trim(),
      ...newTenantProfile(body.profile, body.settings),
      allowedSourceIps: validCidrs(body.allowedSourceIps ?? []),
      rateLimit: body.rateLimit ?? null,
      webhooks: (body.webhooks ?? []).map((url) => subscriptionSettings({ url })),
      credentials: await issueTenantCredentials(),
    });
    return { ...createdTenantView(created, this.config.PUBLIC_BASE_URL), name: created.tenant.name, profile: created.tenant.profile };
  }

  @Get()
  @ApiOperation({ summary: 'List tenants' })
  @ApiOkResponse({ type: [TenantSchema] })
  async list(): Promise<TenantView[]> {
    return (await this.tenants.list()).map((t) => this.view(t));
  }

  @Get(':tenantId')
  @ApiOperation({ summary: 'Get a tenant' })
  @ApiOkResponse({ type: TenantSchema })
  async get(@Param('tenantId') tenantId: string): Promise<TenantView> {
    return this.view(await existingTenant(this.tenants, tenantId));
  }

  @Post(':tenantId/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable a tenant: its SCIM API and token endpoint answer 403 until it is enabled' })
  @ApiOkResponse({ type: TenantSchema })
  disable(@Param('tenantId') tenantId: string): Promise<TenantView> {
    return this.changed(tenantId, this.tenants.setStatus(tenantId, 'disabled'));
  }

  @Post(':tenantId/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable a disabled tenant' })
  @ApiOkResponse({ type: TenantSchema })
  enable(@Param('tenantId') tenantId: string): Promise<TenantView> {
    return this.changed(tenantId, this.tenants.setStatus(tenantId, 'active'));
  }

  @Post(':tenantId/intake/:action')
  @HttpCode(200)
  @ApiOperation({ summary: "Pause or resume Entra's requests: while paused, the tenant's SCIM requests are answered 503 + Retry-After" })
  @ApiParam({ name: 'action', enum: ['pause', 'resume'] })
  @ApiOkResponse({ type: TenantSchema })
  intake(@Param('tenantId') tenantId: string, @Param('action') action: string): Promise<TenantView> {
    return this.changed(tenantId, this.tenants.setPaused(tenantId, 'intake', pausing(action)));
  }

  @Post(':tenantId/delivery/:action')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Pause or resume downstream delivery: while paused, change events are held in order (no topic record, no webhook); resume sends them',
  })
  @ApiParam({ name: 'action', enum: ['pause', 'resume'] })
  @ApiOkResponse({ type: TenantSchema })
  delivery(@Param('tenantId') tenantId: string, @Param('action') action: string): Promise<TenantView> {
    return this.changed(tenantId, this.tenants.setPaused(tenantId, 'delivery', pausing(action)));
  }

  @Delete(':tenantId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a tenant with its credentials, users and groups (cannot be undone)' })
  @ApiNoContentResponse()
  async remove(@Param('tenantId') tenantId: string): Promise<void> {
    found((await this.tenants.delete(tenantId)) || null, `Tenant ${tenantId}`);
    this.access.forget(tenantId);
  }

  @Put(':tenantId/allowed-source-ips')
  @ApiOperation({ summary: 'Replace the allowed source networks (CIDR, IPv4/IPv6); [] allows every address' })
  @ApiOkResponse({ type: TenantSchema })
  setAllowedSourceIps(@Param('tenantId') tenantId: string, @Body() body: AllowedSourceIpsDto): Promise<TenantView> {
    return this.changed(tenantId, this.tenants.setAllowedSourceIps(tenantId, validCidrs(body.allowedSourceIps)));
  }

  @Put(':tenantId/rate-limit')
  @ApiOperation({ summary: "Set the tenant's rate limit (token bucket per ingress instance)" })
  @ApiOkResponse({ type: TenantSchema })
  setRateLimit(@Param('tenantId') tenantId: string, @Body() body: RateLimitDto): Promise<TenantView> {
    return this.changed(tenantId, this.tenants.setRateLimit(tenantId, { perSecond: body.perSecond, burst: body.burst }));
  }

  @Delete(':tenantId/rate-limit')
  @ApiOperation({ summary: 'Use the configured default rate limit again' })
  @ApiOkResponse({ type: TenantSchema })
  resetRateLimit(@Param('tenantId') tenantId: string): Promise<TenantView> {
    return this.changed(tenantId, this.tenants.setRateLimit(tenantId, null));
  }

  private async changed(tenantId: string, change: Promise<Tenant | null>): Promise<TenantView> {
    const tenant = found(await change, `Tenant ${tenantId}`);
    this.access.forget(tenantId);
    return this.view(tenant);
  }

  private view(t: Tenant): TenantView {
    return tenantView(t, this.config.PUBLIC_BASE_URL);
  }
}

/** `pause` or `resume` in a pause route; anything else is no route. */
function pausing(action: string): boolean {
  if (action !== 'pause' && action !== 'resume') throw ScimError.notFound(`no such action "${action}": pause or resume`);
  return action === 'pause';
}
