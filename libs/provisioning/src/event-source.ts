/** The CloudEvents `source` of every event the reconciler writes (user, group and membership events). */
export const EVENT_SOURCE = '/scimflow/reconciler';
