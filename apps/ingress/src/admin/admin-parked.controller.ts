import { Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ParkedCommands } from '@scimflow/persistence';
import { discardedOutcome } from '@scimflow/provisioning';
import { ScimError } from '@scimflow/scim';
import { ParkedCommandSchema } from './admin.schemas';
import { ListLimitDto } from './admin.dto';
import { AdminController, found } from './admin-controller';

export class ParkedCommandQueryDto extends ListLimitDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  tenantId?: string;
}

/** Commands the reconciler parked after transient failures, and those of the same user waiting behind them. */
@AdminController('admin/parked-commands', 'parked commands')
export class AdminParkedCommandsController {
  constructor(private readonly parked: ParkedCommands) {}

  @Get()
  @ApiOperation({ summary: "Parked commands, newest first: each user's failing one (with its error and attempts) and those waiting behind it" })
  @ApiOkResponse({ type: [ParkedCommandSchema] })
  list(@Query() query: ParkedCommandQueryDto) {
    return this.parked.list(query);
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
  @ApiOperation({ summary: "Drop the command for good (recorded as answered 500, audited); the user's next command goes on" })
  @ApiOkResponse({ type: ParkedCommandSchema })
  async discard(@Param('id') id: string) {
    const view = found(await this.parked.get(id), `Parked command ${id}`);
    if (view.holdId && view.nextAttemptAt === 'infinity')
      throw ScimError.conflict(
        `Parked command ${id} is held in deprovisioning hold ${view.holdId}: approve or reject the hold (POST /admin/tenants/${view.tenantId}/holds/${view.holdId}/approve|reject)`,
      );
    return found(await this.parked.discard(id, discardedOutcome(view.commandId, view.error)), `Parked command ${id}`);
  }
}
