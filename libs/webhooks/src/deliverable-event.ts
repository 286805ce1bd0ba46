/** The CloudEvents attributes delivery needs; any event scimflow publishes has them. */
export interface DeliverableEvent {
  id: string;
  type: string;
  tenantid: string;
  subject?: string;
  sequence?: number;
}

/**
 * Reads the attributes delivery relies on from a record's JSON value, or says why it cannot be delivered.
 * The body itself is sent as it was on the topic, byte for byte.
 */
export function readDeliverableEvent(value: string): { event: DeliverableEvent } | { problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (e) {
    return { problem: `not JSON: ${(e as Error).message}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { problem: 'not a JSON object' };
  const e = parsed as Record<string, unknown>;
  for (const attribute of ['id', 'type', 'tenantid'] as const)
    if (typeof e[attribute] !== 'string' || e[attribute] === '') return { problem: `attribute "${attribute}" missing or not a string` };
  // The id is webhook-id, and Standard Webhooks signs "{id}.{timestamp}.{body}": a "." would make it ambiguous.
  if ((e.id as string).includes('.')) return { problem: `event id contains ".": ${e.id}` };
  return {
    event: {
      id: e.id as string,
      type: e.type as string,
      tenantid: e.tenantid as string,
      subject: typeof e.subject === 'string' ? e.subject : undefined,
      sequence: typeof e.sequence === 'number' && Number.isSafeInteger(e.sequence) ? e.sequence : undefined,
    },
  };
}

/** The order of delivery: the Kafka record key (`tenantId:userId`); without one, the subject, else the event alone. */
export function orderingKeyOf(recordKey: string | null, event: DeliverableEvent): string {
  return recordKey ?? (event.subject ? `${event.tenantid}:${event.subject}` : `${event.tenantid}:event:${event.id}`);
}
