import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { Kafka, logLevel } from 'kafkajs';
import { topicName } from '../../libs/contracts/src';
import { startTracing } from '../../libs/observability/src';
import { ScimClient } from '../support/scim-client';
import { RunningSystem, startSystem } from '../support/system';

/** The caller's trace continues through the ingress, Kafka and the reconciler, and travels on the change event. */
describe('distributed tracing', () => {
  const exporter = new InMemorySpanExporter();
  let system: RunningSystem;

  beforeAll(async () => {
    startTracing('scimflow-e2e', exporter);
    system = await startSystem();
  });
  afterAll(async () => system?.stop());

  it("records ingress and reconciler spans in the caller's trace and puts traceparent on the event record", async () => {
    const tenant = await system.createTenant('tracing');
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const scim = new ScimClient(tenant.scimBaseUrl, tenant.token);
    const res = await scim.request(
      'POST',
      '/Users',
      { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'traced@contoso.example' },
      { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    );
    expect(res.status).toBe(201);

    const names = exporter
      .getFinishedSpans()
      .filter((s) => s.spanContext().traceId === traceId)
      .map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['POST /scim/v2/:tenantId/Users', 'apply command']));

    // the published user-changed record carries the same trace
    const kafka = new Kafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'e2e-tracing', logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `${process.env.KAFKA_TOPIC_PREFIX}tracing-probe` });
    await consumer.connect();
    await consumer.subscribe({ topic: topicName('userChanged', process.env.KAFKA_TOPIC_PREFIX), fromBeginning: true });
    const traceparent = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('event record not seen')), 30_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          if (message.key?.toString() === `${tenant.tenantId}:${res.body.id}`) {
            clearTimeout(timer);
            resolve(message.headers?.traceparent?.toString() ?? '');
          }
        },
      });
    });
    await consumer.disconnect();
    expect(traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
  });
});
