import { ChangeEvent, GroupEventType, isMembershipEvent, resourceKey, TopicKey, topicName } from '@scimflow/contracts';
import { injectTraceHeaders } from '@scimflow/observability';
import { OutboxRecord } from './outbox';

/** The W3C trace context a change-event record carries: the trace of the command (and SCIM request) that caused it. */
export interface ChangeEventTrace {
  traceparent?: string;
  tracestate?: string;
}

const GROUP_EVENT_TYPES: ReadonlySet<string> = new Set(Object.values(GroupEventType));

/**
 * A change event as the outbox record the relay publishes as it is. Topic: by the event's kind (user, group,
 * membership). Key: the resource whose events must stay in order, `orderedBy` (the user for user and membership
 * events, the group for group events). Headers: the CloudEvents type and id (binary-mode attributes, so consumers
 * route without parsing the body), the content type, and the trace context active now (the command's span): the
 * notifier's delivery span and the webhook request continue that trace.
 */
export function changeEventRecord(event: ChangeEvent, tenantId: string, orderedBy: string, topicPrefix: string): OutboxRecord {
  return {
    topic: topicName(changeEventTopic(event), topicPrefix),
    key: resourceKey(tenantId, orderedBy),
    payload: event,
    headers: injectTraceHeaders({ ce_type: event.type, ce_id: event.id, 'content-type': 'application/cloudevents+json' }),
  };
}

/** The trace context of a consumed change-event record (see changeEventRecord). */
export function changeEventTrace(headers: Record<string, string | undefined>): ChangeEventTrace {
  return { traceparent: headers.traceparent, tracestate: headers.tracestate };
}

function changeEventTopic(event: ChangeEvent): TopicKey {
  if (isMembershipEvent(event)) return 'membershipChanged';
  return GROUP_EVENT_TYPES.has(event.type) ? 'groupChanged' : 'userChanged';
}
