import { Body, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { randomUUID } from 'node:crypto';
import type { GroupAdminDetail, GroupAdminView, GroupMemberAdminView } from '@scimflow/contracts';
import { GroupAdmin, TenantAdmin } from '@scimflow/persistence';
import { groupRowsFromCsv, groupRowsFromJson, runImport } from '@scimflow/provisioning';
import { parseFilter } from '@scimflow/scim';
import { CommandGateway } from '../commands/command-gateway';
import { importBody, importCommandResult } from './admin-import';
import { AdminController, existingTenant, found } from './admin-controller';
import { IdPageQueryDto } from './admin.dto';

/** Members a group's admin view lists at most; `memberCount` gives the full number. */
export const GROUP_MEMBERS_SHOWN = 1000;

export class GroupListQueryDto extends IdPageQueryDto {
  @ApiPropertyOptional({ description: 'a SCIM filter, as for GET /Groups (e.g. displayName sw "Sales", externalId eq "…")' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  filter?: string;
}

class GroupAdminSchema implements GroupAdminView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ nullable: true, type: String }) externalId: string | null;
  @ApiProperty() memberCount: number;
  @ApiProperty() version: number;
  @ApiProperty({ format: 'date-time' }) created: string;
  @ApiProperty({ format: 'date-time' }) lastModified: string;
}

class GroupMemberAdminSchema implements GroupMemberAdminView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() userName: string;
}

class GroupAdminDetailSchema extends GroupAdminSchema implements GroupAdminDetail {
  @ApiProperty({ type: [GroupMemberAdminSchema], description: `the first ${GROUP_MEMBERS_SHOWN} members in id order; memberCount counts all` })
  members: GroupMemberAdminSchema[];
}

/** A product's own groups, imported so that Entra's groups match them by name and userType directives find them by id. */
@AdminController('admin/tenants/:tenantId/groups', 'groups', {
  errors: '401 bad admin credential, 503 admin API disabled or pipeline unavailable, 400, 404, 415',
})
export class AdminGroupsController {
  constructor(
    private readonly tenants: TenantAdmin,
    private readonly groups: GroupAdmin,
    private readonly commands: CommandGateway,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List groups in id order, optionally filtered (SCIM filter); page with after=<last id>' })
  @ApiOkResponse({ type: [GroupAdminSchema] })
  async list(@Param('tenantId') tenantId: string, @Query() q: GroupListQueryDto): Promise<GroupAdminView[]> {
    await existingTenant(this.tenants, tenantId);
    const filter = q.filter?.trim() ? parseFilter(q.filter.trim()) : undefined;
    return this.groups.list(tenantId, { filter, after: q.after, limit: q.limit ?? 100 });
  }

  @Get(':groupId')
  @ApiOperation({ summary: `A group with its members (ids and userNames, the first ${GROUP_MEMBERS_SHOWN}) and its member count` })
  @ApiOkResponse({ type: GroupAdminDetailSchema })
  async get(@Param('tenantId') tenantId: string, @Param('groupId') groupId: string): Promise<GroupAdminDetail> {
    await existingTenant(this.tenants, tenantId);
    return found(await this.groups.get(tenantId, groupId, GROUP_MEMBERS_SHOWN), `Group ${groupId}`);
  }

  @Post('import')
  @HttpCode(200)
  @ApiOperation({
    summary: "Import the product's groups (JSON or CSV, ≤ 10,000 per request)",
    description:
      "Each row: displayName (or name), optionally id (or groupId: the product's own UUID, kept as the SCIM id) and externalId; " +
      'description is accepted and not stored. Allowed also where group provisioning is off (SureCloud: userType names these ids). ' +
      'Ids and displayNames are per tenant (every tenant may import the same export); safe to re-run: one taken in this tenant is reported as `existing`. Same report as the user import.',
  })
  @ApiConsumes('application/json', 'text/csv')
  @ApiBody({
    schema: {
      oneOf: [
        { type: 'object', properties: { groups: { type: 'array', items: { type: 'object' } } } },
        { type: 'string', description: 'CSV with a header row' },
      ],
    },
  })
  async import(@Param('tenantId') tenantId: string, @Headers('content-type') contentType: string | undefined, @Body() body: unknown) {
    await existingTenant(this.tenants, tenantId);
    const rows = importBody(contentType, body, groupRowsFromCsv, groupRowsFromJson);
    return runImport(rows, (payload, row) =>
      importCommandResult(this.commands.submit({ tenantId, resourceType: 'Group', resourceId: row.resourceId ?? randomUUID(), action: 'import', payload })),
    );
  }
}
