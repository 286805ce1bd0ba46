import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type {
  DeadLetterView,
  DeliveryAttemptStatus,
  DeliveryAttemptView,
  EventReplayCount,
  EventReplayState,
  EventReplayView,
  RedriveResult,
  SubscriptionView,
  SubscriptionWithSecretView,
} from '@scimflow/contracts';
import { ListLimitDto, queryBoolean } from './admin.dto';

/** Request bodies, query strings and answers of the admin API's webhook routes (see docs/webhooks.md). */

export class CreateSubscriptionDto {
  @ApiProperty({ example: 'https://product.example/hooks/scim' })
  @IsString()
  @MaxLength(2000)
  url: string;

  @ApiPropertyOptional({ type: [String], example: ['dev.scimflow.user.*'], description: 'CloudEvents types or prefix.*; none = every event' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  eventTypes?: string[];

  @ApiPropertyOptional({ description: 'a whsec_ secret to use; default: a generated one' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  secret?: string;
}

export class DisableSubscriptionDto {
  @ApiPropertyOptional({ example: 'receiver decommissioned' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class RotateSecretDto {
  @ApiPropertyOptional({ default: 86400, description: 'how long the previous secret keeps signing (seconds); 0 ends it now' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(30 * 86400)
  overlapSeconds?: number;

  @ApiPropertyOptional({ description: 'a whsec_ secret to use; default: a generated one' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  secret?: string;
}

export class DeliveryLogQueryDto extends ListLimitDto {
  @ApiPropertyOptional({ enum: ['delivered', 'failed'] })
  @IsOptional()
  @IsIn(['delivered', 'failed'])
  status?: 'delivered' | 'failed';

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601()
  since?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  eventId?: string;
}

export class DeadLetterQueryDto extends ListLimitDto {
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601()
  since?: string;

  @ApiPropertyOptional({ default: false, description: 'also dead letters already redriven' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  all?: boolean;
}

export class SubscriptionSecretSchema {
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'set while a rotation overlaps' }) expiresAt: string | null;
}

export class SubscriptionSchema implements SubscriptionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty() url: string;
  @ApiProperty({ type: [String] }) eventTypes: string[];
  @ApiProperty() enabled: boolean;
  @ApiProperty({ nullable: true, type: String }) disabledReason: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ type: [SubscriptionSecretSchema] }) secrets: SubscriptionSecretSchema[];
}

export class SubscriptionWithSecretSchema extends SubscriptionSchema implements SubscriptionWithSecretView {
  @ApiProperty({ description: 'the new whsec_ signing secret; shown once' }) secret: string;
}

export class DeliveryAttemptSchema implements DeliveryAttemptView {
  @ApiProperty() attemptId: string;
  @ApiProperty() deliveryId: string;
  @ApiProperty({ format: 'uuid' }) subscriptionId: string;
  @ApiProperty() eventId: string;
  @ApiProperty() eventType: string;
  @ApiProperty() attempt: number;
  @ApiProperty({ enum: ['delivered', 'failed'] }) status: DeliveryAttemptStatus;
  @ApiProperty({ nullable: true, type: Number }) httpStatus: number | null;
  @ApiProperty() latencyMs: number;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty({ nullable: true, type: String }) responseExcerpt: string | null;
  @ApiProperty() redrive: boolean;
  @ApiProperty() instance: string;
  @ApiProperty({ format: 'date-time' }) attemptedAt: string;
}

export class DeadLetterSchema implements DeadLetterView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) subscriptionId: string;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty() url: string;
  @ApiProperty() eventId: string;
  @ApiProperty() eventType: string;
  @ApiProperty() orderingKey: string;
  @ApiProperty() attempts: number;
  @ApiProperty({ format: 'date-time' }) queuedAt: string;
  @ApiProperty({ format: 'date-time' }) lastAttemptAt: string;
  @ApiProperty({ format: 'date-time' }) deadAt: string;
  @ApiProperty({ nullable: true, type: Number }) lastStatus: number | null;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ nullable: true, type: String }) lastResponseExcerpt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) publishedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) redrivenAt: string | null;
}

export class RedriveResultSchema implements RedriveResult {
  @ApiProperty({ type: [String] }) redriven: string[];
  @ApiProperty({ description: '[{ id, reason }]: not found, already redriven' }) skipped: { id: string; reason: string }[];
}

export class StartEventReplayDto {
  @ApiProperty({ example: '2026-12-01T00:00:00Z', description: 'replay the events published from this time on' })
  @IsISO8601({ strict: true })
  from: string;

  @ApiPropertyOptional({ example: '2026-12-02T00:00:00Z', description: 'and up to this time (default: up to now)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ default: false, description: 'count the events that would be queued; queue nothing' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}

export class EventReplayCountSchema implements EventReplayCount {
  @ApiProperty({ description: 'records in the event topics from `from` to their ends now' }) planned: number;
  @ApiProperty() read: number;
  @ApiProperty({ description: "the subscription's events (its tenant and event types) in the range" }) matched: number;
}

export class EventReplaySchema implements EventReplayView {
  @ApiProperty() id: string;
  @ApiProperty() subscriptionId: string;
  @ApiProperty() tenantId: string;
  @ApiProperty({ description: 'deliveries are replay_<key>_<event id>: the same range replayed again queues nothing twice' }) replayKey: string;
  @ApiProperty() from: string;
  @ApiProperty({ nullable: true, type: String }) to: string | null;
  @ApiProperty({
    enum: ['running', 'done', 'failed', 'interrupted'],
    description: 'interrupted: its ingress stopped; start it again (nothing is queued twice)',
  })
  state: EventReplayState;
  @ApiProperty() planned: number;
  @ApiProperty() read: number;
  @ApiProperty() matched: number;
  @ApiProperty() queued: number;
  @ApiProperty({ description: 'matched events already queued by an earlier run of the same replay' }) alreadyQueued: number;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty() startedAt: string;
  @ApiProperty() updatedAt: string;
  @ApiProperty({ nullable: true, type: String }) finishedAt: string | null;
}
