import { Body, Controller, Headers, HttpCode, Param, Post, UseGuards, UsePipes } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiDefaultResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { TenantAdmin } from '@scimflow/persistence';
import { groupRowsFromCsv, groupRowsFromJson, runImport } from '@scimflow/provisioning';
import { ScimError } from '@scimflow/scim';
import { CommandGateway } from '../commands/command-gateway';
import { importBody } from './admin-users.controller';
import { ADMIN_VALIDATION, found } from './admin-tenants.controller';
import { AdminGuard } from './admin.guard';
import { ErrorSchema } from './admin.schemas';

/** A product's own groups, imported so that Entra's groups match them by name and userType directives find them by id. */
@ApiTags('groups')
@ApiBearerAuth()
@ApiDefaultResponse({ type: ErrorSchema, description: 'SCIM error body (401 bad admin credential, 503 admin API disabled or pipeline unavailable, 400, 404, 415)' })
@Controller('admin/tenants/:tenantId/groups')
@UseGuards(AdminGuard)
@UsePipes(ADMIN_VALIDATION)
export class AdminGroupsController {
  constructor(
    private readonly tenants: TenantAdmin,
    private readonly commands: CommandGateway,
  ) {}

  @Post('import')
  @HttpCode(200)
  @ApiOperation({
    summary: "Import the product's groups (JSON or CSV, ≤ 10,000 per request)",
    description:
      'Each row: displayName (or name), optionally id (or groupId: the product\'s own UUID, kept as the SCIM id) and externalId; ' +
      'description is accepted and not stored. Allowed also where group provisioning is off (SureCloud: userType names these ids). ' +
      'Ids and displayNames are per tenant (every tenant may import the same export); safe to re-run: one taken in this tenant is reported as `existing`. Same report as the user import.',
  })
  @ApiConsumes('application/json', 'text/csv')
  @ApiBody({ schema: { oneOf: [{ type: 'object', properties: { groups: { type: 'array', items: { type: 'object' } } } }, { type: 'string', description: 'CSV with a header row' }] } })
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
