import http from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: http.IncomingHttpHeaders;
  body: any;
  at: number;
}

/** A real HTTP server standing in for a product's webhook endpoint. `failNext` makes it answer 500s. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  failNext = 0;
  /** where it listens once started: a tenant's webhook URL */
  url = '';
  private server?: http.Server;

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (this.failNext > 0) {
          this.failNext--;
          res.writeHead(500).end();
          return;
        }
        this.received.push({ headers: req.headers, body: JSON.parse(body), at: Date.now() });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/events`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.server?.close(() => r()));
  }

  eventsFor(userId: string) {
    return this.received.map((r) => r.body).filter((e) => e.data?.userId === userId);
  }

  async waitFor(predicate: (all: ReceivedWebhook[]) => boolean, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.received)) {
      if (Date.now() > deadline) throw new Error(`webhook receiver: condition not met within ${timeoutMs} ms (${this.received.length} received)`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** A receiver for the tests of the enclosing describe block: started in a beforeAll registered here, stopped in an afterAll. */
export function useReceiver(): WebhookReceiver {
  const receiver = new WebhookReceiver();
  beforeAll(() => receiver.start());
  afterAll(() => receiver.stop());
  return receiver;
}
