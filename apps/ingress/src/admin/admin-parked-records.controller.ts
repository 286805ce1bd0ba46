import { Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CoalescingProducer } from '@scimflow/messaging';
import type { ParkingStage } from '@scimflow/contracts';
import { ParkedRecords } from '@scimflow/persistence';
import { ListLimitDto } from './admin.dto';
import { AdminController, found } from './admin-controller';

export class ParkedRecordQueryDto extends ListLimitDto {
  @ApiPropertyOptional({ enum: ['relay', 'intake'] })
  @IsOptional()
  @IsIn(['relay', 'intake'])
  stage?: ParkingStage;
}

export class ParkedRecordSchema {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['relay', 'intake'], description: 'relay: an outbox event not published; intake: a change event the notifier did not queue' })
  stage: string;
  @ApiProperty() topic: string;
  @ApiProperty() key: string;
  @ApiProperty({ nullable: true, type: String }) outboxId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'topic[partition]@offset it was consumed from' }) source: string | null;
  @ApiProperty() bytes: number;
  @ApiProperty() error: string;
  @ApiProperty({ format: 'date-time' }) parkedAt: string;
}

/** Records parked because they could not be published or queued: the same services as `scimctl records`. */
@AdminController('admin/parked-records', 'parked records', { errors: '401 bad admin credential, 503 admin API disabled, 400, 404' })
export class AdminParkedRecordsController {
  constructor(
    private readonly parked: ParkedRecords,
    private readonly producer: CoalescingProducer,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Parked records, oldest first' })
  @ApiOkResponse({ type: [ParkedRecordSchema] })
  list(@Query() query: ParkedRecordQueryDto) {
    return this.parked.list({ stage: query.stage, limit: query.limit });
  }

  @Post(':id/redrive')
  @HttpCode(200)
  @ApiOperation({ summary: "Publish it again: a relay record before its key's later events (parked again if it still fails); an intake record onto its topic" })
  @ApiOkResponse({ type: ParkedRecordSchema })
  async redrive(@Param('id') id: string) {
    return found(await this.parked.redrive(id, (r) => this.producer.send(r)), `Parked record ${id}`);
  }

  @Post(':id/discard')
  @HttpCode(200)
  @ApiOperation({ summary: "Drop it for good (a relay record with its outbox event: its key's later events go out)" })
  @ApiOkResponse({ type: ParkedRecordSchema })
  async discard(@Param('id') id: string) {
    return found(await this.parked.discard(id), `Parked record ${id}`);
  }
}
