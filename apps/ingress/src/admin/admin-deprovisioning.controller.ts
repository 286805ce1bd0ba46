import { Body, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { DeprovisioningHolds, HoldView } from '@scimflow/persistence';
import { DEFAULT_DEPROVISION_THRESHOLD, DeprovisionThreshold, validateThreshold } from '@scimflow/provisioning';
import { ScimError } from '@scimflow/scim';
import { DeprovisioningHoldSchema, DeprovisionThresholdSchema } from './admin.schemas';
import { AdminController, found } from './admin-controller';

export class DeprovisionThresholdDto {
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'null or absent: no limit by count' })
  @IsOptional()
  @IsInt()
  @Min(0)
  maxUsers?: number | null;

  @ApiPropertyOptional({ nullable: true, type: Number, description: 'null or absent: no limit by share' })
  @IsOptional()
  @IsNumber()
  maxPercent?: number | null;

  @ApiPropertyOptional({ description: `the sliding window in seconds (default ${DEFAULT_DEPROVISION_THRESHOLD.windowSeconds})` })
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(30 * 24 * 3600)
  windowSeconds?: number;
}

export class HoldListQueryDto {
  @ApiPropertyOptional({ description: 'also the 50 newest decided holds' })
  @IsOptional()
  @Transform(({ value }) => value === 'true' || value === true)
  @IsBoolean()
  all?: boolean;
}

/**
 * The deprovisioning threshold of a tenant and its holds: beyond the threshold, deprovisionings (users deactivated
 * or deleted) are held unapplied until an operator approves (applied in order) or rejects (discarded) the hold.
 */
@AdminController('admin/tenants/:tenantId', 'deprovisioning holds')
export class AdminDeprovisioningController {
  constructor(private readonly holds: DeprovisioningHolds) {}

  @Get('deprovision-threshold')
  @ApiOkResponse({ type: DeprovisionThresholdSchema })
  async threshold(@Param('tenantId') tenantId: string): Promise<DeprovisionThreshold> {
    return found(await this.holds.threshold(tenantId), `Tenant ${tenantId}`);
  }

  @Put('deprovision-threshold')
  @ApiOperation({
    summary: 'Set the deprovisioning threshold: more than maxUsers (or maxPercent % of the active users) deactivated or deleted within windowSeconds are held',
  })
  @ApiOkResponse({ type: DeprovisionThresholdSchema })
  async setThreshold(@Param('tenantId') tenantId: string, @Body() body: DeprovisionThresholdDto): Promise<DeprovisionThreshold> {
    const t = validateThreshold(body);
    return found(await this.holds.setThreshold(tenantId, t), `Tenant ${tenantId}`);
  }

  @Delete('deprovision-threshold')
  @ApiOperation({ summary: 'Turn the threshold off: no deprovisioning is held (an open hold still waits for its decision)' })
  @ApiOkResponse({ type: DeprovisionThresholdSchema })
  async thresholdOff(@Param('tenantId') tenantId: string): Promise<DeprovisionThreshold> {
    return found(
      await this.holds.setThreshold(tenantId, { maxUsers: null, maxPercent: null, windowSeconds: DEFAULT_DEPROVISION_THRESHOLD.windowSeconds }),
      `Tenant ${tenantId}`,
    );
  }

  @Get('holds')
  @ApiOperation({ summary: 'Open holds (with all=true also the newest decided ones): held commands, first and last time, sample users' })
  @ApiOkResponse({ type: [DeprovisioningHoldSchema] })
  async list(@Param('tenantId') tenantId: string, @Query() query: HoldListQueryDto): Promise<HoldView[]> {
    found(await this.holds.threshold(tenantId), `Tenant ${tenantId}`);
    return this.holds.list(tenantId, { includeDecided: query.all });
  }

  @Get('holds/:holdId')
  @ApiOkResponse({ type: DeprovisioningHoldSchema })
  async get(@Param('tenantId') tenantId: string, @Param('holdId') holdId: string): Promise<HoldView> {
    return found(await this.holds.get(tenantId, holdId), `Hold ${holdId}`);
  }

  @Post('holds/:holdId/approve')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Approve: the held deprovisionings are applied in order and their events go out (they count as approved, they do not open a new hold)',
  })
  @ApiOkResponse({ type: DeprovisioningHoldSchema })
  async approve(@Param('tenantId') tenantId: string, @Param('holdId') holdId: string): Promise<HoldView> {
    return decided(await this.holds.approve(tenantId, holdId, 'admin-api'), holdId);
  }

  @Post('holds/:holdId/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject: the held deprovisionings are discarded (users stay as they are, no event, Entra is told nothing); later commands go on' })
  @ApiOkResponse({ type: DeprovisioningHoldSchema })
  async reject(@Param('tenantId') tenantId: string, @Param('holdId') holdId: string): Promise<HoldView> {
    return decided(await this.holds.reject(tenantId, holdId, 'admin-api'), holdId);
  }
}

function decided(result: HoldView | 'decided' | undefined, holdId: string): HoldView {
  if (result === 'decided') throw ScimError.conflict(`Hold ${holdId} was already decided`);
  return found(result, `Hold ${holdId}`);
}
