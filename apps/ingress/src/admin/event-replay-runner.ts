import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { IngressConfig } from '@scimflow/config';
import { KAFKA } from '@scimflow/messaging';
import type { EventReplayCount, EventReplayView } from '@scimflow/contracts';
import { DeliveryIntake, EventReplays, WebhookSubscriptions } from '@scimflow/persistence';
import { EventReplayCounts, replayEvents } from '@scimflow/replay';
import { ScimError } from '@scimflow/scim';
import { replayKeyOf } from '@scimflow/webhooks';

const PROGRESS_WRITE_MS = 1000;

/**
 * Event replays asked for through the admin API: a dry run answers its count at once; a replay runs in the
 * background of this ingress and writes its progress to `event_replays`, which every instance reads.
 */
@Injectable()
export class EventReplayRunner implements OnApplicationShutdown {
  private readonly logger = new Logger(EventReplayRunner.name);
  private readonly running = new Map<string, () => EventReplayCounts>();

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly config: IngressConfig,
    private readonly subscriptions: WebhookSubscriptions,
    private readonly queue: DeliveryIntake,
    private readonly replays: EventReplays,
  ) {}

  /** What a replay of this range would queue for the subscription, without queueing anything. */
  async count(subscriptionId: string, range: { from: string; to?: string }): Promise<EventReplayCount> {
    const subscription = await this.subscriptions.get(subscriptionId);
    const { from, to } = this.range(range);
    const { planned, read, matched } = await replayEvents(this.deps(), {
      from: { kind: 'time', at: from },
      to,
      target: { kind: 'subscription', subscription, replayKey: 'dry-run' },
      dryRun: true,
    });
    return { planned, read, matched };
  }

  /** Starts the replay in the background and answers its record; the same range again queues nothing twice. */
  async start(subscriptionId: string, range: { from: string; to?: string }): Promise<EventReplayView> {
    const subscription = await this.subscriptions.get(subscriptionId);
    const { from, to } = this.range(range);
    const replayKey = replayKeyOf([subscription.id, from.toISOString(), to?.toISOString(), subscription.tenantId]);
    const record = await this.replays.start({ id: randomUUID(), subscriptionId: subscription.id, tenantId: subscription.tenantId, replayKey, from, to });
    let latest: EventReplayCounts = { planned: 0, read: 0, matched: 0, queued: 0, alreadyQueued: 0, republished: 0 };
    let writtenAt = Date.now();
    this.running.set(record.id, () => latest);
    void replayEvents(this.deps(), { from: { kind: 'time', at: from }, to, target: { kind: 'subscription', subscription, replayKey } }, async (progress) => {
      latest = progress;
      if (Date.now() - writtenAt < PROGRESS_WRITE_MS) return;
      writtenAt = Date.now();
      await this.replays.progress(record.id, progress);
    })
      .then(
        (counts) => this.replays.finish(record.id, counts),
        (e: Error) => {
          this.logger.error(`event replay ${record.id} for subscription ${subscription.id} failed: ${e.message}`);
          return this.replays.finish(record.id, latest, e.message);
        },
      )
      .catch((e: Error) => this.logger.error(`event replay ${record.id}: could not record its end: ${e.message}`))
      .finally(() => this.running.delete(record.id));
    return record;
  }

  /** A replay still running when the ingress stops is recorded as failed, to be started again. */
  async onApplicationShutdown(): Promise<void> {
    for (const [id, counts] of this.running)
      await this.replays
        .finish(id, counts(), 'the ingress running it stopped; start the replay again (nothing is queued twice)')
        .catch((e: Error) => this.logger.warn(`event replay ${id}: could not record its end: ${e.message}`));
  }

  private deps() {
    return { kafka: this.kafka, queue: this.queue, topicPrefix: this.config.KAFKA_TOPIC_PREFIX };
  }

  private range(range: { from: string; to?: string }): { from: Date; to?: Date } {
    const from = new Date(range.from);
    const to = range.to === undefined ? undefined : new Date(range.to);
    if (to && to < from) throw ScimError.badRequest('invalidValue', '`to` is before `from`');
    if (from.getTime() > Date.now()) throw ScimError.badRequest('invalidValue', '`from` is in the future: there is nothing to replay yet');
    return { from, to };
  }
}
