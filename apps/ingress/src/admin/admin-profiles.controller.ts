import { Body, Get, Param, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { AUDIT_OUTCOMES, AuditLog, TenantAdmin, TenantProfileStore } from '@scimflow/persistence';
import { NotFound, ProfileSettings, resolveProfileSettings, scimErrorOf } from '@scimflow/provisioning';
import { AuditOutcome, AuditView, TENANT_PROFILES, TenantProfile } from '@scimflow/contracts';
import { AdminController, existingTenant, found } from './admin-controller';
import { ListLimitDto } from './admin.dto';

export class ProfileDto {
  @ApiProperty({ enum: TENANT_PROFILES })
  @IsIn(TENANT_PROFILES)
  profile: TenantProfile;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'overrides of the profile preset (see docs/profiles.md)' })
  @IsOptional()
  @IsObject()
  settings?: Record<string, unknown>;
}

export class AuditQueryDto extends ListLimitDto {
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601() to?: string;
  @ApiPropertyOptional({ description: 'user or group id' }) @IsOptional() @IsString() @MaxLength(200) resourceId?: string;
  @ApiPropertyOptional({ enum: AUDIT_OUTCOMES }) @IsOptional() @IsIn(AUDIT_OUTCOMES as AuditOutcome[]) outcome?: AuditOutcome;
}

/** A tenant's product profile (rules applied by the reconciler) and its provisioning audit log. */
@AdminController('admin/tenants/:tenantId', 'profiles and audit', { errors: '401 bad admin credential, 503 admin API disabled, 400, 404' })
export class AdminProfilesController {
  constructor(
    private readonly tenants: TenantAdmin,
    private readonly profiles: TenantProfileStore,
    private readonly audit: AuditLog,
  ) {}

  @Get('profile')
  @ApiOperation({ summary: 'The tenant profile: stored settings and the effective rules' })
  async getProfile(@Param('tenantId') tenantId: string): Promise<{ profile: string; settings: Record<string, unknown>; effective: ProfileSettings }> {
    const { profile, settings } = found(await this.profiles.get(tenantId), `Tenant ${tenantId}`);
    return { profile, settings, effective: resolveProfileSettings(profile, settings) };
  }

  @Put('profile')
  @ApiOperation({ summary: 'Set the profile and its settings (validated; the reconciler applies them within PROFILE_CACHE_TTL_MS)' })
  async putProfile(@Param('tenantId') tenantId: string, @Body() body: ProfileDto) {
    const settings = body.settings ?? {};
    const effective = resolveProfileSettings(body.profile, settings); // 400 invalidValue naming the bad field
    try {
      await this.profiles.set(tenantId, body.profile, settings);
    } catch (e) {
      if (e instanceof NotFound) throw scimErrorOf(e);
      throw e;
    }
    return { profile: body.profile, settings, effective };
  }

  @Get('audit')
  @ApiOperation({ summary: 'Provisioning audit log, newest first: every command the reconciler applied or rejected' })
  @ApiOkResponse({ description: 'audit entries' })
  async auditLog(@Param('tenantId') tenantId: string, @Query() q: AuditQueryDto): Promise<AuditView[]> {
    await existingTenant(this.tenants, tenantId);
    return this.audit.list({
      tenantId,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      resourceId: q.resourceId,
      outcome: q.outcome,
      limit: q.limit,
    });
  }
}
