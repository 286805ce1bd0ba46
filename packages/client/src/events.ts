// What the events API, the state pull and webhooks carry. scimflow's own code (libs/contracts) uses these same
// types, so a change to the wire shows in the client that product services install.

/** CloudEvents 1.0 JSON envelope (structured mode). */
export interface CloudEvent<T> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  /** version of `data`'s schema; consumers switch on it */
  dataschema: string;
  /** extension attributes (CloudEvents allows lowercase alphanumerics) */
  tenantid: string;
  /** per user (user and membership events) or per group (group events): 1, 2, 3 … without gaps */
  sequence: number;
  data: T;
}

/** A change event, exactly as on the Kafka topics and in webhooks (CloudEvents 1.0, structured JSON). */
export type ChangeEvent = CloudEvent<Record<string, unknown> & { userId?: string; groupId?: string }>;

/** A user as the state pull gives it: the same `user` document its events carry. */
export interface StateUser {
  id: string;
  /** the sequence of the user's last event */
  version: number;
  loginMethod: 'sso' | 'builtIn';
  origin: 'scim' | 'import';
  linked: boolean;
  user: Record<string, unknown>;
}

/** A group with its members' user ids. */
export interface StateGroup {
  id: string;
  /** the sequence of the group's last event */
  version: number;
  group: Record<string, unknown>;
  members: string[];
}
