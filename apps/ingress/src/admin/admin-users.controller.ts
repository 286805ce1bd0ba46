import { Body, Get, Headers, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { LOGIN_METHODS, LoginMethod, UserAdminView } from '@scimflow/contracts';
import { TenantAdmin, UserAdmin } from '@scimflow/persistence';
import { ImportRow, importRowsFromCsv, importRowsFromJson, runImport } from '@scimflow/provisioning';
import { CommandGateway } from '../commands/command-gateway';
import { AdminController, existingTenant, found } from './admin-controller';
import { IdPageQueryDto, queryBoolean } from './admin.dto';
import { importBody, importCommandResult } from './admin-import';

export class UserListQueryDto extends IdPageQueryDto {
  @ApiPropertyOptional({ enum: ['scim', 'import'] }) @IsOptional() @IsIn(['scim', 'import']) origin?: 'scim' | 'import';
  @ApiPropertyOptional({ description: 'false: imported or soft-deleted users no Entra write has claimed' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  linked?: boolean;
  @ApiPropertyOptional({ description: 'true: only soft-deleted users; false: only users SCIM can see' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  deleted?: boolean;
}

export class LoginMethodDto {
  @ApiProperty({ enum: LOGIN_METHODS, description: 'sso: sign in through Entra (default for provisioned users); builtIn: the product login' })
  @IsIn(LOGIN_METHODS)
  loginMethod: LoginMethod;
}

class UserAdminSchema implements UserAdminView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() userName: string;
  @ApiProperty({ nullable: true, type: String }) workEmail: string | null;
  @ApiProperty({ nullable: true, type: String }) externalId: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty({ enum: LOGIN_METHODS }) loginMethod: LoginMethod;
  @ApiProperty({ enum: ['scim', 'import'] }) origin: 'scim' | 'import';
  @ApiProperty() linked: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) deletedAt: string | null;
  @ApiProperty({ type: [String] }) unmatchedRoles: string[];
  @ApiProperty() version: number;
  @ApiProperty({ format: 'date-time' }) created: string;
  @ApiProperty({ format: 'date-time' }) lastModified: string;
}

class ImportResultSchema {
  @ApiProperty() total: number;
  @ApiProperty() imported: number;
  @ApiProperty({ description: 'rows whose userName (or unique work email) already exists; nothing changed' }) existing: number;
  @ApiProperty() failed: number;
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description: '{row, name (userName or displayName), result: imported|existing|failed, status, id?, error?} per row, in order',
  })
  results: unknown[];
}

/**
 * A tenant's users as the product sees them: lifecycle fields SCIM does not show (login method, origin, link,
 * soft delete), the bulk import of existing product users, and the login method switch. Writes go through the
 * command pipeline like SCIM writes, so they are ordered with Entra's writes to the same user and replayable.
 */
@AdminController('admin/tenants/:tenantId/users', 'users', { errors: '401 bad admin credential, 503 admin API disabled or pipeline unavailable, 400, 404' })
export class AdminUsersController {
  constructor(
    private readonly tenants: TenantAdmin,
    private readonly users: UserAdmin,
    private readonly commands: CommandGateway,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List users in id order (soft-deleted included unless deleted=false); page with after=<last id>' })
  @ApiOkResponse({ type: [UserAdminSchema] })
  async list(@Param('tenantId') tenantId: string, @Query() q: UserListQueryDto): Promise<UserAdminView[]> {
    await existingTenant(this.tenants, tenantId);
    return this.users.list(tenantId, { origin: q.origin, linked: q.linked, deleted: q.deleted, after: q.after, limit: q.limit ?? 100 });
  }

  @Get(':userId')
  @ApiOperation({ summary: 'A user with its lifecycle fields' })
  @ApiOkResponse({ type: UserAdminSchema })
  async get(@Param('tenantId') tenantId: string, @Param('userId') userId: string): Promise<UserAdminView> {
    await existingTenant(this.tenants, tenantId);
    return found(await this.users.get(tenantId, userId), `User ${userId}`);
  }

  @Put(':userId/login-method')
  @ApiOperation({ summary: 'Set how the user signs in (sso or builtIn); emits a user.updated event' })
  @ApiOkResponse({ type: UserAdminSchema })
  async setLoginMethod(@Param('tenantId') tenantId: string, @Param('userId') userId: string, @Body() body: LoginMethodDto): Promise<UserAdminView> {
    await existingTenant(this.tenants, tenantId);
    found(await this.users.get(tenantId, userId), `User ${userId}`);
    await this.commands.submit({ tenantId, resourceType: 'User', resourceId: userId, action: 'setLoginMethod', payload: { loginMethod: body.loginMethod } });
    return found(await this.users.get(tenantId, userId), `User ${userId}`);
  }

  @Post('import')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Bulk-import existing product users (JSON or CSV, ≤ 10,000 per request)',
    description:
      'Each user becomes an unlinked user of origin `import`, visible to SCIM; an Entra POST whose userName, or else work email, ' +
      'matches it claims it instead of conflicting. The profile rules apply as for SCIM creates. Safe to re-run: rows already ' +
      'imported are reported as `existing`. CSV columns: userName (required), email, givenName, familyName, displayName, externalId, ' +
      'active, userType, title, preferredLanguage, employeeNumber, department, loginMethod.',
  })
  @ApiConsumes('application/json', 'text/csv')
  @ApiBody({
    schema: {
      oneOf: [
        { type: 'object', properties: { users: { type: 'array', items: { type: 'object' } } } },
        { type: 'string', description: 'CSV with a header row' },
      ],
    },
  })
  @ApiOkResponse({ type: ImportResultSchema })
  async import(@Param('tenantId') tenantId: string, @Headers('content-type') contentType: string | undefined, @Body() body: unknown) {
    await existingTenant(this.tenants, tenantId);
    const rows = this.rows(contentType, body);
    return runImport(rows, (payload) =>
      importCommandResult(this.commands.submit({ tenantId, resourceType: 'User', resourceId: randomUUID(), action: 'import', payload })),
    );
  }

  private rows(contentType: string | undefined, body: unknown): ImportRow[] {
    return importBody(contentType, body, importRowsFromCsv, importRowsFromJson);
  }
}
