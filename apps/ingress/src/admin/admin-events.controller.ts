import { Body, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { issueProductCredential, ProductCredentialVerifier } from '@scimflow/access';
import type { EventsRetentionView } from '@scimflow/contracts';
import { ProductCredentials, TenantAdmin, TenantEvents } from '@scimflow/persistence';
import { CreateProductCredentialDto, EventsRetentionDto } from './admin.dto';
import { CreatedProductCredentialSchema, EventConsumerSchema, EventsRetentionSchema, ProductCredentialSchema } from './admin.schemas';
import { AdminController, existingTenant, found } from './admin-controller';

/** A tenant's events API: product credentials (its consumers), their positions and lag, the events retention. */
@AdminController('admin/tenants/:tenantId', 'events API')
export class AdminEventsController {
  constructor(
    private readonly tenants: TenantAdmin,
    private readonly credentials: ProductCredentials,
    private readonly verifier: ProductCredentialVerifier,
    private readonly events: TenantEvents,
  ) {}

  @Post('product-credentials')
  @ApiOperation({ summary: 'Create a product credential for the events API and state pull (shown once); several may be active for rotation' })
  @ApiCreatedResponse({ type: CreatedProductCredentialSchema })
  async create(@Param('tenantId') tenantId: string, @Body() body: CreateProductCredentialDto) {
    await existingTenant(this.tenants, tenantId);
    return this.credentials.create(tenantId, await issueProductCredential(), body.description);
  }

  @Get('product-credentials')
  @ApiOperation({ summary: 'List product credentials (never their secrets)' })
  @ApiOkResponse({ type: [ProductCredentialSchema] })
  async list(@Param('tenantId') tenantId: string) {
    await existingTenant(this.tenants, tenantId);
    return this.credentials.list(tenantId);
  }

  @Delete('product-credentials/:credentialId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a product credential (this ingress at once, others within 30 s)' })
  @ApiNoContentResponse()
  async revoke(@Param('tenantId') tenantId: string, @Param('credentialId') credentialId: string): Promise<void> {
    await existingTenant(this.tenants, tenantId);
    found((await this.credentials.revoke(tenantId, credentialId)) || null, `Active product credential ${credentialId}`);
    this.verifier.forget(credentialId);
  }

  @Get('event-consumers')
  @ApiOperation({ summary: 'Each product credential as an events API consumer: the position it last read from, when, and its lag' })
  @ApiOkResponse({ type: [EventConsumerSchema] })
  async consumers(@Param('tenantId') tenantId: string) {
    await existingTenant(this.tenants, tenantId);
    return this.credentials.consumers(tenantId);
  }

  @Get('events-retention')
  @ApiOperation({ summary: "How many days the tenant's events stay readable (default 30)" })
  @ApiOkResponse({ type: EventsRetentionSchema })
  async retention(@Param('tenantId') tenantId: string): Promise<EventsRetentionView> {
    await existingTenant(this.tenants, tenantId);
    return { days: found(await this.events.retentionDays(tenantId), `Tenant ${tenantId}`) };
  }

  @Put('events-retention')
  @ApiOperation({ summary: "Set how many days the tenant's events stay readable (1 to 365); a cursor older than that answers 410" })
  @ApiOkResponse({ type: EventsRetentionSchema })
  async setRetention(@Param('tenantId') tenantId: string, @Body() body: EventsRetentionDto): Promise<EventsRetentionView> {
    await existingTenant(this.tenants, tenantId);
    found((await this.events.setRetentionDays(tenantId, body.days)) || null, `Tenant ${tenantId}`);
    return { days: body.days };
  }
}
