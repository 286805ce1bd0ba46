import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Res, UseGuards } from '@nestjs/common';
import { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { assertDocumentSize, normalizeGroup, splitGroupPatch } from '@scimflow/provisioning';
import { groupMembers, parsePatchRequest, patchMessageOf } from '@scimflow/scim';
import { CurrentTenant, TenantGuard } from '../auth/tenant.guard';
import { CommandGateway } from '../commands/command-gateway';
import { GroupResponses } from './group-responses';
import { ListQuery, listRequestOf, projectionOf } from './list-query';
import { WriteTarget } from './write-target';

/**
 * /scim/v2/{tenantId}/Groups. Like Users: reads from Postgres, writes validated here and applied by the reconciler
 * through Kafka. Members are Users of the same tenant; PATCH answers 204 No Content (RFC 7644 §3.5.2 allows it,
 * and it is what Entra's documented group sequence shows), since a group's member list can be very large.
 */
@Controller('scim/v2/:tenantId/Groups')
@UseGuards(TenantGuard)
export class GroupsController {
  constructor(
    private readonly commands: CommandGateway,
    private readonly responses: GroupResponses,
  ) {}

  @Post()
  async create(@CurrentTenant() tenantId: string, @Body() body: unknown, @Res() res: Response) {
    const payload = validGroup(body, 'create');
    const outcome = await this.commands.submit({ tenantId, resourceType: 'Group', resourceId: randomUUID(), action: 'create', payload });
    await this.responses.sendWritten(res, tenantId, outcome.resource!, 201);
  }

  @Get()
  async list(@CurrentTenant() tenantId: string, @Query() query: Record<string, unknown>, @Res() res: Response) {
    await this.responses.sendList(res, tenantId, listRequestOf(ListQuery.parse(query)));
  }

  /** RFC 7644 §3.4.3: the query of GET /Groups as a SearchRequest body. */
  @Post('.search')
  async search(@CurrentTenant() tenantId: string, @Body() body: unknown, @Res() res: Response) {
    await this.responses.sendList(res, tenantId, listRequestOf(ListQuery.fromSearchRequest(body)));
  }

  @Get(':id')
  async get(@CurrentTenant() tenantId: string, @Param('id') id: string, @Query() query: Record<string, unknown>, @Res() res: Response) {
    await this.responses.sendById(res, tenantId, id, projectionOf(query));
  }

  @Put(':id')
  async replace(@WriteTarget('Group') target: WriteTarget<'Group'>, @Body() body: unknown, @Res() res: Response) {
    const payload = validGroup(body, 'replace');
    const outcome = await this.commands.submit({ ...target, action: 'replace', payload });
    await this.responses.sendWritten(res, target.tenantId, outcome.resource!, 200);
  }

  @Patch(':id')
  async patch(@WriteTarget('Group') target: WriteTarget<'Group'>, @Body() body: unknown, @Res() res: Response) {
    // Malformed operations and member values are rejected here; the reconciler applies the validated message to the current state.
    const ops = parsePatchRequest(body);
    splitGroupPatch(ops, target.resourceId);
    const outcome = await this.commands.submit({ ...target, action: 'patch', payload: patchMessageOf(ops) });
    res.setHeader('ETag', `W/"${outcome.resource!.version}"`);
    res.status(204).end();
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@WriteTarget('Group') target: WriteTarget<'Group'>) {
    await this.commands.submit({ ...target, action: 'delete' });
  }
}

/** The command payload: the normalized group, members reduced to their ids. */
function validGroup(body: unknown, mode: 'create' | 'replace'): Record<string, unknown> {
  const { document, userIds } = normalizeGroup(body, mode);
  assertDocumentSize(document, 'Group');
  return userIds.length ? { ...document, members: groupMembers(userIds) } : document;
}
