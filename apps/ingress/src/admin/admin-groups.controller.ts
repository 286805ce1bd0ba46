import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, UseGuards, UsePipes } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiDefaultResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { randomUUID } from 'node:crypto';
import type { GroupAdminDetail, GroupAdminView, GroupMemberAdminView } from '@scimflow/contracts';
import { GroupAdmin, TenantAdmin } from '@scimflow/persistence';
import { groupRowsFromCsv, groupRowsFromJson, runImport } from '@scimflow/provisioning';
import { parseFilter, ScimError } from '@scimflow/scim';
import { CommandGateway } from '../commands/command-gateway';
import { importBody } from './admin-users.controller';
import { ADMIN_VALIDATION, found } from './admin-tenants.controller';
import { AdminGuard } from './admin.guard';
import { ErrorSchema } from './admin.schemas';

/** Members a group's admin view lists at most; `memberCount` gives the full number. */
export const GROUP_MEMBERS_SHOWN = 1000;

export class GroupListQueryDto {
  @ApiPropertyOptional({ description: 'a SCIM filter, as for GET /Groups (e.g. displayName sw "Sales", externalId eq "…")' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  filter?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'the last id of the previous page' }) @IsOptional() @IsUUID() after?: string;
  @ApiPropertyOptional({ default: 100, maximum: 1000 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
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
@ApiTags('groups')
@ApiBearerAuth()
@ApiDefaultResponse({
  type: ErrorSchema,
  description: 'SCIM error body (401 bad admin credential, 503 admin API disabled or pipeline unavailable, 400, 404, 415)',
})
@Controller('admin/tenants/:tenantId/groups')
@UseGuards(AdminGuard)
@UsePipes(ADMIN_VALIDATION)
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
    found(await this.tenants.get(tenantId), `Tenant ${tenantId}`);
    const filter = q.filter?.trim() ? parseFilter(q.filter.trim()) : undefined;
    return this.groups.list(tenantId, { filter, after: q.after, limit: q.limit ?? 100 });
  }

  @Get(':groupId')
  @ApiOperation({ summary: `A group with its members (ids and userNames, the first ${GROUP_MEMBERS_SHOWN}) and its member count` })
  @ApiOkResponse({ type: GroupAdminDetailSchema })
  async get(@Param('tenantId') tenantId: string, @Param('groupId') groupId: string): Promise<GroupAdminDetail> {
    found(await this.tenants.get(tenantId), `Tenant ${tenantId}`);
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
    found(await this.tenants.get(tenantId), `Tenant ${tenantId}`);
    const rows = importBody(contentType, body, groupRowsFromCsv, groupRowsFromJson);
    return runImport(rows, async (payload, row) => {
      try {
        const outcome = await this.commands.submit({ tenantId, resourceType: 'Group', resourceId: row.resourceId ?? randomUUID(), action: 'import', payload });
        return { status: outcome.status, id: outcome.resource?.id };
      } catch (e) {
        if (e instanceof ScimError) return { status: e.status, detail: e.detail ?? e.message };
        throw e;
      }
    });
  }
}
