import { Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Kafka } from 'kafkajs';
import { IngressConfig } from '@scimflow/config';
import {
  ActivityBucket,
  ActivityView,
  ConsoleOverview,
  ConsumerGroupName,
  PartitionLag,
  PipelineView,
  TenantHealth,
  TimelineCommand,
  TimelineCommandOutcome,
  TimelineDelivery,
  TimelineEvent,
  UserTimelineView,
  WebhookDeliveryStatus,
} from '@scimflow/contracts';
import { consumerLag, KAFKA } from '@scimflow/messaging';
import { ConsoleInsights, TenantAdmin, UserAdmin } from '@scimflow/persistence';
import { ScimError } from '@scimflow/scim';
import { AdminController, existingTenant } from './admin-controller';

/** Entra puts a provisioning job in quarantine when more than this share of its requests fail. */
export const ENTRA_QUARANTINE_RATIO = 0.4;

export class ActivityQueryDto {
  @ApiPropertyOptional({ default: 24, minimum: 1, maximum: 744 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(744) hours?: number;
}

class TenantHealthSchema implements TenantHealth {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() profile: string;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastRequestAt: string | null;
  @ApiProperty({ nullable: true, type: String }) lastRequestIp: string | null;
  @ApiProperty() requests24h: number;
  @ApiProperty({ description: 'answers of 400 or more, except a GET answered 404' }) failures24h: number;
  @ApiProperty({ description: 'failures24h / requests24h (0 without requests)' }) failureRatio24h: number;
  @ApiProperty() users: number;
  @ApiProperty() groups: number;
  @ApiProperty() parkedCommands: number;
  @ApiProperty({ description: 'webhook deliveries not yet delivered' }) webhookBacklog: number;
}

class OverviewSchema implements ConsoleOverview {
  @ApiProperty({ example: ENTRA_QUARANTINE_RATIO, description: 'Entra quarantines a job above this failure ratio' }) failureQuarantineRatio: number;
  @ApiProperty({ type: [TenantHealthSchema] }) tenants: TenantHealthSchema[];
}

class ActivityBucketSchema implements ActivityBucket {
  @ApiProperty({ format: 'date-time' }) start: string;
  @ApiProperty() total: number;
  @ApiProperty({ description: 'status below 400' }) ok: number;
  @ApiProperty({ description: 'status 400–499' }) clientErrors: number;
  @ApiProperty({ description: 'status 500 and above' }) serverErrors: number;
}

class ActivitySchema implements ActivityView {
  @ApiProperty({ type: [ActivityBucketSchema], description: 'one per hour, oldest first; the last holds the current hour' }) buckets: ActivityBucketSchema[];
}

class TimelineCommandSchema implements TimelineCommand {
  @ApiProperty() commandId: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ example: 'patch' }) operation: string;
  @ApiProperty({ enum: ['success', 'failure', 'parked'] }) outcome: TimelineCommandOutcome;
  @ApiProperty({ nullable: true, type: Number }) status: number | null;
  @ApiProperty({ nullable: true, type: String }) detail: string | null;
}

class TimelineDeliverySchema implements TimelineDelivery {
  @ApiProperty({ format: 'uuid' }) subscriptionId: string;
  @ApiProperty() url: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'dead'] }) status: WebhookDeliveryStatus;
  @ApiProperty() attempts: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastAttemptAt: string | null;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
}

class TimelineEventSchema implements TimelineEvent {
  @ApiProperty() eventId: string;
  @ApiProperty() type: string;
  @ApiProperty({ nullable: true, type: Number }) sequence: number | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) at: string | null;
  @ApiProperty({ type: [TimelineDeliverySchema] }) deliveries: TimelineDeliverySchema[];
}

class TimelineSchema implements UserTimelineView {
  @ApiProperty({ nullable: true, type: Object, description: 'the user (admin view) or null when it no longer exists' }) user: UserTimelineView['user'];
  @ApiProperty({ type: [TimelineCommandSchema], description: 'oldest first' }) commands: TimelineCommandSchema[];
  @ApiProperty({ type: [TimelineEventSchema], description: 'in sequence order' }) events: TimelineEventSchema[];
}

class ConsumerLagSchema implements PartitionLag {
  @ApiProperty() group: string;
  @ApiProperty() topic: string;
  @ApiProperty() partition: number;
  @ApiProperty() lag: number;
}

class OutboxSchema {
  @ApiProperty() depth: number;
  @ApiProperty({ nullable: true, type: Number }) oldestAgeSeconds: number | null;
}

class PipelineSchema implements PipelineView {
  @ApiProperty({ type: OutboxSchema }) outbox: OutboxSchema;
  @ApiProperty() parkedCommands: number;
  @ApiProperty() parkedRecords: number;
  @ApiProperty() webhookBacklog: number;
  @ApiProperty({ description: 'dead letters not redriven' }) deadLetters: number;
  @ApiProperty({ type: [ConsumerLagSchema] }) consumerLag: ConsumerLagSchema[];
}

/** The console's views: tenants' health, a tenant's activity, a user's timeline, and the pipeline's depths and lag. */
@AdminController('admin', 'console views', { errors: '401, 503 admin API disabled or Kafka unreachable, 400, 404', consoleCookie: true })
export class AdminInsightsController {
  constructor(
    private readonly insights: ConsoleInsights,
    private readonly tenants: TenantAdmin,
    private readonly users: UserAdmin,
    private readonly config: IngressConfig,
    @Inject(KAFKA) private readonly kafka: Kafka,
  ) {}

  @Get('overview')
  @ApiOperation({
    summary: "Every tenant's health: last request and its IP, requests and failure ratio over 24 h, users, groups, parked commands, webhook backlog",
  })
  @ApiOkResponse({ type: OverviewSchema })
  async overview(): Promise<ConsoleOverview> {
    return { failureQuarantineRatio: ENTRA_QUARANTINE_RATIO, tenants: await this.insights.overview(new Date()) };
  }

  @Get('tenants/:tenantId/activity')
  @ApiOperation({ summary: "The tenant's SCIM requests and outcomes per hour (request log)" })
  @ApiOkResponse({ type: ActivitySchema })
  async activity(@Param('tenantId') tenantId: string, @Query() q: ActivityQueryDto): Promise<ActivityView> {
    await existingTenant(this.tenants, tenantId);
    return { buckets: await this.insights.activity(tenantId, new Date(), q.hours ?? 24) };
  }

  @Get('tenants/:tenantId/users/:userId/timeline')
  @ApiOperation({ summary: "A user's commands with their outcomes, and its change events with each webhook delivery" })
  @ApiOkResponse({ type: TimelineSchema })
  async timeline(@Param('tenantId') tenantId: string, @Param('userId') userId: string): Promise<UserTimelineView> {
    await existingTenant(this.tenants, tenantId);
    const user = (await this.users.get(tenantId, userId)) ?? null;
    return { user, ...(await this.insights.timeline(tenantId, userId)) };
  }

  @Get('pipeline')
  @ApiOperation({ summary: 'Outbox depth, parked commands and records, webhook backlog, dead letters, and consumer lag per partition' })
  @ApiOkResponse({ type: PipelineSchema })
  async pipeline(): Promise<PipelineView> {
    const depths = await this.insights.pipeline(new Date());
    const prefix = this.config.KAFKA_TOPIC_PREFIX;
    let lag: PartitionLag[];
    try {
      lag = await consumerLag(this.kafka, [prefix + ConsumerGroupName.reconciler, prefix + ConsumerGroupName.notifier]);
    } catch (e) {
      throw new ScimError(503, `Kafka did not answer the consumer lag query: ${(e as Error).message}`);
    }
    return { ...depths, consumerLag: lag };
  }
}
