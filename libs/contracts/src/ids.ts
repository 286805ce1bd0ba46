const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `s` is a UUID (any version), the form of every id scimflow assigns and of tenant ids. */
export const isUuid = (s: unknown): s is string => typeof s === 'string' && UUID.test(s);
