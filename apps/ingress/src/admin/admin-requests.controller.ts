import { Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import type { RequestLogView } from '@scimflow/contracts';
import { RequestLog, TenantAdmin } from '@scimflow/persistence';
import { ListLimitDto } from './admin.dto';
import { AdminController, existingTenant, found } from './admin-controller';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export class RequestLogQueryDto extends ListLimitDto {
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601() to?: string;
  @ApiPropertyOptional({ example: 400, description: 'the HTTP status answered' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(599)
  status?: number;
  @ApiPropertyOptional({ enum: METHODS }) @IsOptional() @IsIn(METHODS) method?: string;
  @ApiPropertyOptional({ description: 'a substring of the path and query, e.g. a user id or "Groups"' }) @IsOptional() @IsString() @MaxLength(200) q?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'the id of the last entry of the previous page' }) @IsOptional() @IsUUID() before?: string;
}

export class RequestLogEntrySchema {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ nullable: true, type: String, description: 'X-Request-Id' }) requestId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'the client address, as resolved for allow-lists' }) sourceIp: string | null;
  @ApiProperty() method: string;
  @ApiProperty({ description: 'path and query, credentials redacted' }) path: string;
  @ApiProperty() status: number;
  @ApiProperty() latencyMs: number;
  @ApiProperty({ nullable: true, type: String, description: 'redacted, capped at REQUEST_LOG_MAX_BODY_BYTES' }) requestBody: string | null;
  @ApiProperty() requestTruncated: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'redacted, capped at REQUEST_LOG_MAX_BODY_BYTES' }) responseBody: string | null;
  @ApiProperty() responseTruncated: boolean;
  @ApiProperty({ type: [String], description: 'the Entra-dialect shapes scimflow normalised in this request' }) notes: string[];
}

/** A tenant's SCIM request log: every SCIM and token request, with redacted bodies and the Entra-dialect notes. */
@AdminController('admin/tenants/:tenantId/requests', 'request log', { errors: '401 bad admin credential, 503 admin API disabled, 400, 404' })
export class AdminRequestsController {
  constructor(
    private readonly tenants: TenantAdmin,
    private readonly log: RequestLog,
  ) {}

  @Get()
  @ApiOperation({ summary: "The tenant's SCIM and token requests, newest first (page with `before`: the last id of the previous page)" })
  @ApiOkResponse({ type: [RequestLogEntrySchema] })
  async list(@Param('tenantId') tenantId: string, @Query() q: RequestLogQueryDto): Promise<RequestLogView[]> {
    await existingTenant(this.tenants, tenantId);
    return this.log.list(tenantId, {
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      status: q.status,
      method: q.method,
      q: q.q,
      limit: q.limit,
      before: q.before,
    });
  }

  @Get(':requestId')
  @ApiOperation({ summary: 'One request of the log' })
  @ApiOkResponse({ type: RequestLogEntrySchema })
  async get(@Param('tenantId') tenantId: string, @Param('requestId') requestId: string): Promise<RequestLogView> {
    await existingTenant(this.tenants, tenantId);
    return found(await this.log.get(tenantId, requestId), `Request ${requestId}`);
  }
}
