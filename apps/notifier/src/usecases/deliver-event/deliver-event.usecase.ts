import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UserChangedEvent } from '@scimflow/contracts';
import { TenantDirectory, WebhookDelivery, WebhookEndpoint } from '@scimflow/persistence';
import { WebhookSender } from './webhook-sender';

export class DeliveryFailedError extends Error {}

const ENDPOINT_CACHE_MS = 5000;

/**
 * Delivers one change event to each enabled webhook endpoint of its tenant, once per endpoint.
 * A failure throws so the consumer retries this event (with backoff) before any later event of the same
 * user: per-user order is kept. Endpoints that already got the event are skipped on the retry.
 */
@Injectable()
export class DeliverEvent {
  private readonly logger = new Logger(DeliverEvent.name);
  private readonly endpoints = new Map<string, { list: WebhookEndpoint[]; until: number }>();

  constructor(
    private readonly ds: DataSource,
    private readonly tenants: TenantDirectory,
    private readonly sender: WebhookSender,
  ) {}

  async execute(event: UserChangedEvent): Promise<void> {
    for (const endpoint of await this.endpointsOf(event.tenantid)) {
      const deliveries = this.ds.getRepository(WebhookDelivery);
      if (await deliveries.exist({ where: { endpointId: endpoint.id, eventId: event.id } })) continue;
      const started = Date.now();
      let status: number;
      try {
        ({ status } = await this.sender.post(endpoint.url, JSON.stringify(event), {
          'webhook-id': event.id,
          'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        }));
      } catch (e) {
        throw new DeliveryFailedError(`POST ${endpoint.url} failed: ${(e as Error).message}`);
      }
      if (status < 200 || status >= 300) throw new DeliveryFailedError(`POST ${endpoint.url} answered ${status}`);
      await deliveries.insert({ endpointId: endpoint.id, eventId: event.id, tenantId: event.tenantid, attempts: 1, lastStatus: status, deliveredAt: new Date() });
      this.logger.debug(`delivered ${event.type} ${event.id} to ${endpoint.url} in ${Date.now() - started} ms`);
    }
  }

  private async endpointsOf(tenantId: string): Promise<WebhookEndpoint[]> {
    const cached = this.endpoints.get(tenantId);
    if (cached && cached.until > Date.now()) return cached.list;
    const list = await this.tenants.enabledWebhooks(tenantId);
    this.endpoints.set(tenantId, { list, until: Date.now() + ENDPOINT_CACHE_MS });
    return list;
  }
}
