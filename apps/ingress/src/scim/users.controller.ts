import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, Res, UseGuards } from '@nestjs/common';
import { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '@scimflow/config';
import { CommandOutcome } from '@scimflow/contracts';
import { isUuid, UserStore } from '@scimflow/persistence';
import { etag, listResponse, renderUser } from '@scimflow/provisioning';
import { normalizeResource, parseFilter, parsePatchRequest, projectResource, ScimError, userResourceTypeSchemas as userResourceType } from '@scimflow/scim';
import { CurrentTenant, TenantGuard } from '../auth/tenant.guard';
import { CommandGateway } from '../commands/command-gateway';
import { ListQuery, projectionOf } from './list-query';
import { SCIM_CONTENT_TYPE } from './scim-exception.filter';

/**
 * /scim/v2/{tenantId}/Users. Reads come from Postgres; writes are validated here, then applied by
 * the reconciler through Kafka, and answered with the reconciler's outcome.
 */
@Controller('scim/v2/:tenantId/Users')
@UseGuards(TenantGuard)
export class UsersController {
  constructor(
    private readonly users: UserStore,
    private readonly commands: CommandGateway,
    private readonly config: AppConfig,
  ) {}

  @Post()
  async create(@CurrentTenant() tenantId: string, @Body() body: unknown, @Res() res: Response) {
    const document = normalizeResource(body, userResourceType, 'create');
    const outcome = await this.commands.submit({ tenantId, resourceType: 'User', resourceId: randomUUID(), action: 'create', payload: document });
    this.sendResource(res, tenantId, outcome, 201);
  }

  @Get()
  async list(@CurrentTenant() tenantId: string, @Query() query: Record<string, unknown>, @Res() res: Response) {
    const q = ListQuery.parse(query);
    const filter = q.filter !== undefined ? parseFilter(q.filter) : undefined;
    const { total, users } = await this.users.list(tenantId, filter, q.startIndex, q.count);
    const base = this.baseUrl(tenantId);
    const resources = users.map((u) =>
      projectResource(
        renderUser({ id: u.id, document: u.document, version: u.version, created: u.createdAt.toISOString(), lastModified: u.updatedAt.toISOString() }, base),
        userResourceType,
        q,
      ),
    );
    res.status(200).type(SCIM_CONTENT_TYPE).send(JSON.stringify(listResponse(resources, total, q.startIndex)));
  }

  @Get(':id')
  async get(@CurrentTenant() tenantId: string, @Param('id') id: string, @Query() query: Record<string, unknown>, @Res() res: Response) {
    const user = await this.users.findById(tenantId, id);
    if (!user) throw ScimError.notFound(`User ${id} not found`);
    const rendered = renderUser(
      { id: user.id, document: user.document, version: user.version, created: user.createdAt.toISOString(), lastModified: user.updatedAt.toISOString() },
      this.baseUrl(tenantId),
    );
    res.setHeader('ETag', etag(user.version));
    res.status(200).type(SCIM_CONTENT_TYPE).send(JSON.stringify(projectResource(rendered, userResourceType, projectionOf(query))));
  }

  @Put(':id')
  async replace(@CurrentTenant() tenantId: string, @Param('id') id: string, @Body() body: unknown, @Headers('if-match') ifMatch: string | undefined, @Res() res: Response) {
    this.assertId(id);
    const document = normalizeResource(body, userResourceType, 'replace');
    const outcome = await this.commands.submit({ tenantId, resourceType: 'User', resourceId: id, action: 'replace', payload: document, ifMatch });
    this.sendResource(res, tenantId, outcome, 200);
  }

  @Patch(':id')
  async patch(@CurrentTenant() tenantId: string, @Param('id') id: string, @Body() body: unknown, @Headers('if-match') ifMatch: string | undefined, @Res() res: Response) {
    this.assertId(id);
    parsePatchRequest(body); // reject malformed PATCH here; the reconciler applies it to the current state
    const outcome = await this.commands.submit({ tenantId, resourceType: 'User', resourceId: id, action: 'patch', payload: body, ifMatch });
    this.sendResource(res, tenantId, outcome, 200);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentTenant() tenantId: string, @Param('id') id: string, @Headers('if-match') ifMatch: string | undefined) {
    this.assertId(id);
    await this.commands.submit({ tenantId, resourceType: 'User', resourceId: id, action: 'delete', ifMatch });
  }

  private assertId(id: string) {
    if (!isUuid(id)) throw ScimError.notFound(`User ${id} not found`);
  }

  private baseUrl(tenantId: string): string {
    return `${this.config.PUBLIC_BASE_URL}/scim/v2/${tenantId}`;
  }

  private sendResource(res: Response, tenantId: string, outcome: CommandOutcome, status: number) {
    const rendered = renderUser(outcome.resource!, this.baseUrl(tenantId));
    const meta = rendered.meta as { location: string; version: string };
    res.setHeader('ETag', meta.version);
    if (status === 201) res.setHeader('Location', meta.location);
    res.status(status).type(SCIM_CONTENT_TYPE).send(JSON.stringify(projectResource(rendered, userResourceType, {})));
  }
}
