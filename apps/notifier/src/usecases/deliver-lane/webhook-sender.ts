import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import http from 'node:http';
import https from 'node:https';
import { NotifierConfig } from '@scimflow/config';
import { AttemptResult, parseRetryAfter } from '@scimflow/webhooks';

/** How much of a response body is kept for the delivery log and dead letters. */
export const RESPONSE_EXCERPT_BYTES = 1024;
/** A response body up to this size is read to its end, so the connection can be reused; a larger one costs the connection. */
const DRAIN_LIMIT_BYTES = 64 * 1024;

export type SendResult = AttemptResult & { responseExcerpt?: string };

/**
 * The HTTP side of delivery: one POST, no redirects followed, bounded by WEBHOOK_TIMEOUT_MS. Connections are kept
 * alive and reused per receiver (a TLS handshake per event would cost more than the event): at most one per lane
 * in flight (WEBHOOK_CONCURRENCY) to any one origin, handed out most recently used first, so a quiet receiver's
 * surplus connections go idle and are closed by its keep-alive timeout instead of being kept warm in turn.
 */
@Injectable()
export class WebhookSender implements OnApplicationShutdown {
  private readonly timeoutMs: number;
  private readonly agents: { http: http.Agent; https: https.Agent };

  constructor(config: NotifierConfig) {
    this.timeoutMs = config.WEBHOOK_TIMEOUT_MS;
    const pool = { keepAlive: true, maxSockets: config.WEBHOOK_CONCURRENCY, maxFreeSockets: config.WEBHOOK_CONCURRENCY, scheduling: 'lifo' as const };
    this.agents = { http: new http.Agent(pool), https: new https.Agent(pool) };
  }

  onApplicationShutdown(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  post(url: string, body: string, headers: Record<string, string>): Promise<SendResult> {
    return new Promise<SendResult>((resolve) => {
      let settled = false;
      let req: http.ClientRequest | undefined;
      const timer = setTimeout(() => {
        done({ kind: 'error', message: `no answer within ${this.timeoutMs} ms` });
        req?.destroy();
      }, this.timeoutMs);
      const done = (result: SendResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      try {
        const target = new URL(url);
        const secure = target.protocol === 'https:';
        const payload = Buffer.from(body, 'utf8');
        req = (secure ? https : http).request(target, {
          method: 'POST',
          agent: secure ? this.agents.https : this.agents.http,
          headers: {
            'content-type': 'application/cloudevents+json',
            'content-length': payload.length,
            'user-agent': 'scimflow-notifier/1',
            ...headers,
          },
        });
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            if (size < RESPONSE_EXCERPT_BYTES) chunks.push(chunk);
            size += chunk.length;
            // A receiver's error page can be large: what is beyond the excerpt is not worth reading far.
            if (size > DRAIN_LIMIT_BYTES) {
              finish();
              res.destroy();
            }
          });
          const finish = () => {
            const text = Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8');
            done({
              kind: 'response',
              status: res.statusCode ?? 0,
              retryAfterMs: parseRetryAfter(header(res.headers['retry-after'])),
              responseExcerpt: text.length ? text : undefined,
            });
          };
          res.on('end', finish);
          res.on('error', finish);
        });
        req.on('error', (e: Error & { code?: string }) => done({ kind: 'error', message: settled ? e.message : describe(e) }));
        req.end(payload);
      } catch (e) {
        done({ kind: 'error', message: (e as Error).message });
      }
    });
  }
}

function header(v: string | string[] | undefined): string | null {
  return v === undefined ? null : Array.isArray(v) ? (v[0] ?? null) : v;
}

function describe(e: Error & { code?: string }): string {
  return e.code && !e.message.includes(e.code) ? `${e.message} (${e.code})` : e.message;
}
