import { Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiDefaultResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ParkedCommands } from '@scimflow/persistence';
import { discardedOutcome } from '@scimflow/provisioning';
import { ScimError } from '@scimflow/scim';
import { AdminGuard } from './admin.guard';
import { ErrorSchema, ParkedCommandSchema } from './admin.schemas';
import { found } from './admin-tenants.controller';

/** Commands the reconciler parked after transient failures, and those of the same user waiting behind them. */
@ApiTags('parked commands')
@ApiBearerAuth()
@ApiDefaultResponse({ type: ErrorSchema, description: 'SCIM error body' })
@Controller('admin/parked-commands')
@UseGuards(AdminGuard)
export class AdminParkedCommandsController {
  constructor(private readonly parked: ParkedCommands) {}

  @Get()
  @ApiOperation({ summary: 'Parked commands, newest first: each user\'s failing one (with its error and attempts) and those waiting behind it' })
  @ApiQuery({ name: 'tenantId', required: false })
  @ApiQuery({ name: 'limit', required: false, description: '1 to 10000, default 100' })
  @ApiOkResponse({ type: [ParkedCommandSchema] })
  list(@Query('tenantId') tenantId?: string, @Query('limit') limit?: string) {
    if (limit !== undefined && !/^[1-9][0-9]{0,4}$/.test(limit)) throw ScimError.badRequest('invalidValue', 'limit must be an integer from 1 to 10000');
    return this.parked.list({ tenantId, limit: limit === undefined ? undefined : Number(limit) });
  }

  @Get(':id')
  @ApiOkResponse({ type: ParkedCommandSchema })
  async get(@Param('id') id: string) {
    return found(await this.parked.get(id), `Parked command ${id}`);
  }

  @Post(':id/redrive')
  @HttpCode(200)
  @ApiOperation({ summary: "Retry the user's failing command now (it is retried automatically with backoff too)" })
  @ApiOkResponse({ type: ParkedCommandSchema })
  async redrive(@Param('id') id: string) {
    return found(await this.parked.redrive(id), `Parked command ${id}`);
  }

  @Post(':id/discard')
  @HttpCode(200)
  @ApiOperation({ summary: 'Drop the command for good (recorded as answered 500, audited); the user\'s next command goes on' })
  @ApiOkResponse({ type: ParkedCommandSchema })
  async discard(@Param('id') id: string) {
    const view = found(await this.parked.get(id), `Parked command ${id}`);
    return found(await this.parked.discard(id, discardedOutcome(view.commandId, view.error)), `Parked command ${id}`);
  }
}
