import { Controller, Get, Param, Query, Res, UseGuards } from '@nestjs/common';
import { Response } from 'express';
import { IngressConfig } from '@scimflow/config';
import { listResponse } from '@scimflow/provisioning';
import { resourceTypeDocument, schemaDocument, schemasOf, ScimError, serviceProviderConfigDocument } from '@scimflow/scim';
import { CurrentTenant, TenantGuard } from '../auth/tenant.guard';
import { MAX_PAGE_SIZE } from './list-query';
import { ResourceTypeRegistry } from './resource-types';
import { SCIM_CONTENT_TYPE } from './scim-exception.filter';

/**
 * Discovery (RFC 7644 §4) per tenant: what this tenant's endpoint implements, generated from the registered resource
 * types and their schema definitions, including the tenant's own extension schemas. Authenticated like every SCIM
 * endpoint (Entra sends its token). Query parameters are ignored as §4 requires, except `filter`, which is 403 so a
 * client never believes a filter was applied.
 */
@Controller('scim/v2/:tenantId')
@UseGuards(TenantGuard)
export class DiscoveryController {
  constructor(
    private readonly registry: ResourceTypeRegistry,
    private readonly config: IngressConfig,
  ) {}

  @Get('ServiceProviderConfig')
  serviceProviderConfig(@CurrentTenant() tenantId: string, @Query() query: Record<string, unknown>, @Res() res: Response) {
    rejectFilter(query);
    send(res, serviceProviderConfigDocument({ maxResults: MAX_PAGE_SIZE }, this.baseUrl(tenantId)));
  }

  @Get('ResourceTypes')
  async resourceTypes(@CurrentTenant() tenantId: string, @Query() query: Record<string, unknown>, @Res() res: Response) {
    rejectFilter(query);
    const docs = (await this.registry.describe(tenantId)).map((t) => resourceTypeDocument(t, this.baseUrl(tenantId)));
    send(res, listResponse(docs, docs.length, 1));
  }

  @Get('ResourceTypes/:id')
  async resourceType(@CurrentTenant() tenantId: string, @Param('id') id: string, @Query() query: Record<string, unknown>, @Res() res: Response) {
    rejectFilter(query);
    const type = (await this.registry.describe(tenantId)).find((t) => t.id.toLowerCase() === id.toLowerCase());
    if (!type) throw ScimError.notFound(`Resource type ${id} not found`);
    send(res, resourceTypeDocument(type, this.baseUrl(tenantId)));
  }

  @Get('Schemas')
  async schemas(@CurrentTenant() tenantId: string, @Query() query: Record<string, unknown>, @Res() res: Response) {
    rejectFilter(query);
    const docs = schemasOf(await this.registry.describe(tenantId)).map((s) => schemaDocument(s, this.baseUrl(tenantId)));
    send(res, listResponse(docs, docs.length, 1));
  }

  @Get('Schemas/:id')
  async schema(@CurrentTenant() tenantId: string, @Param('id') id: string, @Query() query: Record<string, unknown>, @Res() res: Response) {
    rejectFilter(query);
    const schema = schemasOf(await this.registry.describe(tenantId)).find((s) => s.id.toLowerCase() === id.toLowerCase());
    if (!schema) throw ScimError.notFound(`Schema ${id} not found`);
    send(res, schemaDocument(schema, this.baseUrl(tenantId)));
  }

  private baseUrl(tenantId: string): string {
    return `${this.config.PUBLIC_BASE_URL}/scim/v2/${tenantId}`;
  }
}

function rejectFilter(query: Record<string, unknown>): void {
  if (query.filter !== undefined) throw new ScimError(403, 'Discovery endpoints do not support filtering (RFC 7644 §4)');
}

function send(res: Response, body: unknown): void {
  res.status(200).type(SCIM_CONTENT_TYPE).send(JSON.stringify(body));
}
