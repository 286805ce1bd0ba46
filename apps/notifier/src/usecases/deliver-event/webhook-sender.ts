import { Injectable } from '@nestjs/common';
import { AppConfig } from '@scimflow/config';

export interface WebhookResponse {
  status: number;
  retryAfterMs?: number;
}

/** The HTTP side effect of delivery, behind an injectable so the use case can be tested without a network. */
@Injectable()
export class WebhookSender {
  constructor(private readonly config: AppConfig) {}

  async post(url: string, body: string, headers: Record<string, string>): Promise<WebhookResponse> {
    const res = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/cloudevents+json', 'user-agent': 'scimflow-notifier/1', ...headers },
      signal: AbortSignal.timeout(this.config.WEBHOOK_TIMEOUT_MS),
      redirect: 'manual',
    });
    await res.arrayBuffer(); // drain, so the connection is reused
    const retryAfter = Number(res.headers.get('retry-after'));
    return { status: res.status, retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined };
  }
}
