import { context, trace, TraceFlags } from '@opentelemetry/api';
import { ChangeEvent, GroupEventType, MembershipEventType, UserEventType } from '@scimflow/contracts';
import { startTracing } from '@scimflow/observability';
import { changeEventRecord, changeEventTrace } from './change-event-record';

const TENANT = '11111111-1111-4111-8111-111111111111';
const event = (type: string, data: Record<string, unknown> = {}) => ({ id: `id-${type}`, type, tenantid: TENANT, data }) as unknown as ChangeEvent;

describe('changeEventRecord', () => {
  beforeAll(() => startTracing('unit'));

  it.each([
    [UserEventType.updated, 'p.scim.user-changed'],
    [UserEventType.deleted, 'p.scim.user-changed'],
    [GroupEventType.created, 'p.scim.group-changed'],
    [MembershipEventType.added, 'p.scim.membership-changed'],
    [MembershipEventType.removed, 'p.scim.membership-changed'],
  ])('puts a %s event on %s, keyed by the resource that orders it', (type, topic) => {
    const r = changeEventRecord(event(type), TENANT, 'resource-1', 'p.');
    expect(r.topic).toBe(topic);
    expect(r.key).toBe(`${TENANT}:resource-1`);
    expect(r.payload).toEqual(event(type));
  });

  it('carries the CloudEvents type and id and the content type, and no trace context outside a span', () => {
    expect(changeEventRecord(event(UserEventType.created), TENANT, 'u', '').headers).toEqual({
      ce_type: UserEventType.created,
      ce_id: `id-${UserEventType.created}`,
      'content-type': 'application/cloudevents+json',
    });
  });

  it("carries the active span's trace context, which changeEventTrace reads back from the consumed record", () => {
    const span = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED };
    const record = context.with(trace.setSpanContext(context.active(), span), () => changeEventRecord(event(UserEventType.created), TENANT, 'u', ''));
    expect(record.headers?.traceparent).toBe(`00-${span.traceId}-${span.spanId}-01`);
    expect(changeEventTrace(record.headers!)).toEqual({ traceparent: record.headers!.traceparent, tracestate: undefined });
  });
});
