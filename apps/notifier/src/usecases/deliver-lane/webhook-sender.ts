import { Injectable } from '@nestjs/common';
import { AppConfig } from '@scimflow/config';
import { AttemptResult, parseRetryAfter } from '@scimflow/webhooks';

/** How much of a response body is kept for the delivery log and dead letters. */
export const RESPONSE_EXCERPT_BYTES = 1024;

export type SendResult = AttemptResult & { responseExcerpt?: string };

/** The HTTP side of delivery: one POST, no redirects followed, bounded by WEBHOOK_TIMEOUT_MS. */
@Injectable()
export class WebhookSender {
  constructor(private readonly config: AppConfig) {}

  async post(url: string, body: string, headers: Record<string, string>): Promise<SendResult> {
    const timeoutMs = this.config.WEBHOOK_TIMEOUT_MS;
    try {
      const res = await fetch(url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/cloudevents+json', 'user-agent': 'scimflow-notifier/1', ...headers },
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'manual',
      });
      const responseExcerpt = await excerpt(res);
      return { kind: 'response', status: res.status, retryAfterMs: parseRetryAfter(res.headers.get('retry-after')), responseExcerpt };
    } catch (e) {
      return { kind: 'error', message: describe(e as Error, timeoutMs) };
    }
  }
}

/** The start of the body, as text; the rest is not read (a receiver's error page can be large). */
async function excerpt(res: Response): Promise<string | undefined> {
  if (!res.body) return undefined;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < RESPONSE_EXCERPT_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
  }
  if (size >= RESPONSE_EXCERPT_BYTES) await reader.cancel();
  const text = Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8');
  return text.length ? text : undefined;
}

function describe(e: Error, timeoutMs: number): string {
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause ? `${e.message}: ${cause.code ?? cause.message}` : e.message;
}
