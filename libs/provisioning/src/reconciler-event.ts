import { CloudEvent, ProvisioningCommand } from '@scimflow/contracts';

/** The CloudEvents `source` of every event the reconciler writes (user, group and membership events). */
export const EVENT_SOURCE = '/scimflow/reconciler';

/** An event the reconciler writes for a command: the envelope all its events share around the event's own fields. */
export function reconcilerEvent<T>(
  command: ProvisioningCommand,
  now: Date,
  event: Pick<CloudEvent<T>, 'id' | 'type' | 'subject' | 'dataschema' | 'sequence' | 'data'>,
): CloudEvent<T> {
  return {
    specversion: '1.0',
    id: event.id,
    source: EVENT_SOURCE,
    type: event.type,
    subject: event.subject,
    time: now.toISOString(),
    datacontenttype: 'application/json',
    dataschema: event.dataschema,
    tenantid: command.tenantId,
    sequence: event.sequence,
    data: event.data,
  };
}
