import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { startTracing } from '../../libs/observability/src';
import { ScimClient } from '../support/scim-client';
import { RunningSystem, startSystem } from '../support/system';
import { WebhookReceiver } from '../support/webhook-receiver';

/** The caller's trace reaches the product: the webhook request carries it, from a notifier span in that trace. */
describe('tracing through to the webhook', () => {
  const exporter = new InMemorySpanExporter();
  const receiver = new WebhookReceiver();
  let system: RunningSystem;

  beforeAll(async () => {
    startTracing('scimflow-e2e', exporter);
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.stop();
    await receiver.stop();
  });

  it("sends traceparent with the caller's trace id on the webhook request, from a 'deliver webhook' span child of the event's", async () => {
    const url = await receiver.start();
    const tenant = await system.createTenant('webhook-tracing', [url]);
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const scim = new ScimClient(tenant.scimBaseUrl, tenant.token);
    const res = await scim.request(
      'POST',
      '/Users',
      { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'traced-webhook@contoso.example' },
      { traceparent: `00-${traceId}-b7ad6b7169203331-01` },
    );
    expect(res.status).toBe(201);

    await receiver.waitFor((all) => all.some((r) => r.body.data?.userId === res.body.id));
    const request = receiver.received.find((r) => r.body.data?.userId === res.body.id)!;
    const traceparent = String(request.headers.traceparent ?? '');
    expect(traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));

    // the span the receiver continues is the notifier's delivery span, in the caller's trace, below the reconciler's
    const sentSpanId = traceparent.split('-')[2];
    const inTrace = () => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    // the span ends when the answer is read, just after the receiver saw the request
    for (const deadline = Date.now() + 10_000; !inTrace().some((s) => s.spanContext().spanId === sentSpanId) && Date.now() < deadline;)
      await new Promise((r) => setTimeout(r, 20));
    const spans = inTrace();
    const delivery = spans.find((s) => s.spanContext().spanId === sentSpanId);
    expect(delivery?.name).toBe('deliver webhook');
    expect(delivery?.attributes['http.response.status_code']).toBe(204);
    const parent = spans.find((s) => s.spanContext().spanId === delivery?.parentSpanContext?.spanId);
    expect(parent?.name).toBe('apply command');
  });
});
