import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Res, UseGuards } from '@nestjs/common';
import { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { IngressConfig } from '@scimflow/config';
import { CommandOutcome } from '@scimflow/contracts';
import { UserStore } from '@scimflow/persistence';
import { assertDocumentSize, etag, listResponse, renderUser } from '@scimflow/provisioning';
import { normalizeResource, parsePatchRequest, patchMessageOf, ProjectionOptions, projectResource, ResourceTypeSchemas, ScimError } from '@scimflow/scim';
import { CurrentTenant, TenantGuard } from '../auth/tenant.guard';
import { CommandGateway } from '../commands/command-gateway';
import { ListQuery, listRequestOf, projectionOf } from './list-query';
import { WriteTarget } from './write-target';
import { SCIM_CONTENT_TYPE } from './scim-exception.filter';
import { UsersLister } from './users-lister';

/**
 * /scim/v2/{tenantId}/Users. Reads come from Postgres; writes are validated here, then applied by
 * the reconciler through Kafka, and answered with the reconciler's outcome. Everything follows the tenant's User
 * resource type (with its extension schemas); `attributes`/`excludedAttributes` apply to every answer with a body.
 */
@Controller('scim/v2/:tenantId/Users')
@UseGuards(TenantGuard)
export class UsersController {
  constructor(
    private readonly users: UserStore,
    private readonly commands: CommandGateway,
    private readonly config: IngressConfig,
    private readonly lister: UsersLister,
  ) {}

  @Post()
  async create(@CurrentTenant() tenantId: string, @Body() body: unknown, @Query() query: Record<string, unknown>, @Res() res: Response) {
    const projection = projectionOf(query);
    const types = await this.lister.types(tenantId);
    const document = normalizeResource(body, types, 'create');
    assertDocumentSize(document, 'User');
    const outcome = await this.commands.submit({ tenantId, resourceType: 'User', resourceId: randomUUID(), action: 'create', payload: document });
    this.sendResource(res, tenantId, outcome, 201, types, projection);
  }

  @Get()
  async list(@CurrentTenant() tenantId: string, @Query() query: Record<string, unknown>, @Res() res: Response) {
    await this.sendList(res, tenantId, ListQuery.parse(query));
  }

  /** RFC 7644 §3.4.3: the query of GET /Users as a SearchRequest body, so it stays out of URLs and logs. */
  @Post('.search')
  async search(@CurrentTenant() tenantId: string, @Body() body: unknown, @Res() res: Response) {
    await this.sendList(res, tenantId, ListQuery.fromSearchRequest(body));
  }

  @Get(':id')
  async get(@CurrentTenant() tenantId: string, @Param('id') id: string, @Query() query: Record<string, unknown>, @Res() res: Response) {
    const projection = projectionOf(query);
    const user = await this.users.findById(tenantId, id);
    if (!user) throw ScimError.notFound(`User ${id} not found`);
    const [rendered] = await this.lister.render(tenantId, [user], await this.lister.types(tenantId), projection);
    res.setHeader('ETag', etag(user.version));
    res.status(200).type(SCIM_CONTENT_TYPE).send(JSON.stringify(rendered));
  }

  @Put(':id')
  async replace(@WriteTarget('User') target: WriteTarget<'User'>, @Body() body: unknown, @Query() query: Record<string, unknown>, @Res() res: Response) {
    const projection = projectionOf(query);
    const types = await this.lister.types(target.tenantId);
    const document = normalizeResource(body, types, 'replace');
    assertDocumentSize(document, 'User');
    const outcome = await this.commands.submit({ ...target, action: 'replace', payload: document });
    this.sendResource(res, target.tenantId, outcome, 200, types, projection);
  }

  @Patch(':id')
  async patch(@WriteTarget('User') target: WriteTarget<'User'>, @Body() body: unknown, @Query() query: Record<string, unknown>, @Res() res: Response) {
    // a malformed PATCH is rejected here; the reconciler applies the validated message to the current state
    const payload = patchMessageOf(parsePatchRequest(body));
    const projection = projectionOf(query);
    const outcome = await this.commands.submit({ ...target, action: 'patch', payload });
    this.sendResource(res, target.tenantId, outcome, 200, await this.lister.types(target.tenantId), projection);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@WriteTarget('User') target: WriteTarget<'User'>) {
    await this.commands.submit({ ...target, action: 'delete' });
  }

  private baseUrl(tenantId: string): string {
    return `${this.config.PUBLIC_BASE_URL}/scim/v2/${tenantId}`;
  }

  private async sendList(res: Response, tenantId: string, q: ReturnType<typeof ListQuery.parse>) {
    const page = await this.lister.list(tenantId, listRequestOf(q));
    res
      .status(200)
      .type(SCIM_CONTENT_TYPE)
      .send(JSON.stringify(listResponse(page.resources, page.total, q.startIndex)));
  }

  private sendResource(res: Response, tenantId: string, outcome: CommandOutcome, status: number, types: ResourceTypeSchemas, projection: ProjectionOptions) {
    const rendered = renderUser(outcome.resource!, this.baseUrl(tenantId));
    const meta = rendered.meta as { location: string; version: string };
    res.setHeader('ETag', meta.version);
    if (status === 201) res.setHeader('Location', meta.location);
    res
      .status(status)
      .type(SCIM_CONTENT_TYPE)
      .send(JSON.stringify(projectResource(rendered, types, projection)));
  }
}
