import { Body, Delete, Get, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { Response } from 'express';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { EventReplayView, SubscriptionView } from '@scimflow/contracts';
import { DeadLetters, DeliveryLog, EventReplays, WebhookSubscriptions } from '@scimflow/persistence';
import { ScimError } from '@scimflow/scim';
import { secretRotation, subscriptionSettings } from '@scimflow/webhooks';
import { EventReplayRunner } from './event-replay-runner';
import {
  CreateSubscriptionDto,
  DeadLetterQueryDto,
  DeadLetterSchema,
  DeliveryAttemptSchema,
  DeliveryLogQueryDto,
  DisableSubscriptionDto,
  EventReplayCountSchema,
  EventReplaySchema,
  RedriveResultSchema,
  RotateSecretDto,
  StartEventReplayDto,
  SubscriptionSchema,
  SubscriptionWithSecretSchema,
} from './admin-webhooks.dto';
import { AdminController } from './admin-controller';
import { ListLimitDto } from './admin.dto';

/** Webhook subscriptions, their delivery log and dead letters: the same services as `scimctl subscription|deliveries|dlq`. */
@AdminController('admin', 'webhooks', { errors: '401 bad admin credential, 503 admin API disabled, 400, 404' })
export class AdminWebhooksController {
  constructor(
    private readonly subscriptions: WebhookSubscriptions,
    private readonly deliveryLog: DeliveryLog,
    private readonly deadLetters: DeadLetters,
    private readonly replayRunner: EventReplayRunner,
    private readonly replays: EventReplays,
  ) {}

  @Post('subscriptions/:id/replays')
  @ApiOperation({
    summary: "Replay the subscription's past events from a time (as replays, in order per user); dryRun: true answers the count only",
  })
  @ApiOkResponse({ type: EventReplayCountSchema, description: 'dryRun: what a replay would queue' })
  @ApiCreatedResponse({ type: EventReplaySchema, description: 'the replay, started in the background: follow it with GET /admin/replays/{id}' })
  async replay(@Param('id') id: string, @Body() body: StartEventReplayDto, @Res({ passthrough: true }) res: Response) {
    if (body.dryRun) {
      res.status(HttpStatus.OK);
      return this.replayRunner.count(id, body);
    }
    return this.replayRunner.start(id, body);
  }

  @Get('subscriptions/:id/replays')
  @ApiOperation({ summary: "The subscription's replays, newest first" })
  @ApiOkResponse({ type: [EventReplaySchema] })
  async replaysOf(@Param('id') id: string, @Query() query: ListLimitDto): Promise<EventReplayView[]> {
    await this.subscriptions.get(id);
    return this.replays.list(id, query.limit);
  }

  @Get('replays/:id')
  @ApiOperation({ summary: 'An event replay and its progress' })
  @ApiOkResponse({ type: EventReplaySchema })
  async replayProgress(@Param('id') id: string): Promise<EventReplayView> {
    const replay = await this.replays.get(id);
    if (!replay) throw ScimError.notFound(`replay ${id} not found`);
    return replay;
  }

  @Post('tenants/:tenantId/subscriptions')
  @ApiOperation({ summary: "Subscribe a webhook to the tenant's events (the signing secret is shown once)" })
  @ApiCreatedResponse({ type: SubscriptionWithSecretSchema })
  async create(@Param('tenantId') tenantId: string, @Body() body: CreateSubscriptionDto) {
    const created = await this.subscriptions.create(tenantId, subscriptionSettings(body));
    return { ...created.subscription, secret: created.secret };
  }

  @Get('tenants/:tenantId/subscriptions')
  @ApiOperation({ summary: "List the tenant's webhook subscriptions" })
  @ApiOkResponse({ type: [SubscriptionSchema] })
  list(@Param('tenantId') tenantId: string): Promise<SubscriptionView[]> {
    return this.subscriptions.list({ tenantId });
  }

  @Get('subscriptions/:id')
  @ApiOperation({ summary: 'Get a webhook subscription' })
  @ApiOkResponse({ type: SubscriptionSchema })
  get(@Param('id') id: string): Promise<SubscriptionView> {
    return this.subscriptions.get(id);
  }

  @Post('subscriptions/:id/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume delivery; events held while it was disabled go out first, in order' })
  @ApiOkResponse({ type: SubscriptionSchema })
  enable(@Param('id') id: string): Promise<SubscriptionView> {
    return this.subscriptions.enable(id);
  }

  @Post('subscriptions/:id/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop delivery; new events are not queued for it meanwhile' })
  @ApiOkResponse({ type: SubscriptionSchema })
  disable(@Param('id') id: string, @Body() body: DisableSubscriptionDto): Promise<SubscriptionView> {
    return this.subscriptions.disable(id, body.reason);
  }

  @Post('subscriptions/:id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'Issue a new signing secret; the previous one keeps signing for overlapSeconds (both sign meanwhile)' })
  @ApiOkResponse({ type: SubscriptionWithSecretSchema })
  async rotateSecret(@Param('id') id: string, @Body() body: RotateSecretDto) {
    const rotated = await this.subscriptions.rotateSecret(
      id,
      secretRotation({ overlapMs: body.overlapSeconds === undefined ? undefined : body.overlapSeconds * 1000, secret: body.secret }),
    );
    return { ...rotated.subscription, secret: rotated.secret };
  }

  @Delete('subscriptions/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a subscription with its queue, delivery log and dead letters' })
  @ApiNoContentResponse()
  remove(@Param('id') id: string): Promise<void> {
    return this.subscriptions.delete(id);
  }

  @Get('subscriptions/:id/deliveries')
  @ApiOperation({ summary: 'The delivery log: attempts, newest first' })
  @ApiOkResponse({ type: [DeliveryAttemptSchema] })
  async deliveries(@Param('id') id: string, @Query() query: DeliveryLogQueryDto) {
    await this.subscriptions.get(id);
    return this.deliveryLog.list({
      subscriptionId: id,
      status: query.status,
      since: query.since ? new Date(query.since) : undefined,
      eventId: query.eventId,
      limit: query.limit,
    });
  }

  @Get('subscriptions/:id/dead-letters')
  @ApiOperation({ summary: "The subscription's dead letters, newest first" })
  @ApiOkResponse({ type: [DeadLetterSchema] })
  async deadLettersOf(@Param('id') id: string, @Query() query: DeadLetterQueryDto) {
    await this.subscriptions.get(id);
    return this.deadLetters.list({
      subscriptionId: id,
      since: query.since ? new Date(query.since) : undefined,
      includeRedriven: query.all,
      limit: query.limit,
    });
  }

  @Post('subscriptions/:id/dead-letters/redrive')
  @HttpCode(200)
  @ApiOperation({ summary: 'Redrive every dead letter of the subscription not yet redriven' })
  @ApiOkResponse({ type: RedriveResultSchema })
  async redriveAll(@Param('id') id: string) {
    await this.subscriptions.get(id);
    return this.deadLetters.redriveSubscription(id);
  }

  @Get('dead-letters/:id')
  @ApiOperation({ summary: 'One dead letter with its last response and the event' })
  @ApiOkResponse({ type: DeadLetterSchema })
  showDeadLetter(@Param('id') id: string) {
    return this.deadLetters.show(id);
  }

  @Post('dead-letters/:id/redrive')
  @HttpCode(200)
  @ApiOperation({ summary: "Put the event back into its subscription's queue (once; a repeat is reported as skipped)" })
  @ApiOkResponse({ type: RedriveResultSchema })
  redrive(@Param('id') id: string) {
    return this.deadLetters.redrive([id]);
  }
}
