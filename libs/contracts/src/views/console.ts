import type { UserAdminView } from './users';

/** The operator's console session (the cookie holds its id). */
export interface ConsoleSessionView {
  /** sent as X-CSRF-Token on every admin request but GET and HEAD */
  csrfToken: string;
  expiresAt: string;
}

export interface TenantHealth {
  id: string;
  name: string;
  profile: string;
  enabled: boolean;
  createdAt: string;
  lastRequestAt: string | null;
  lastRequestIp: string | null;
  requests24h: number;
  failures24h: number;
  /** failures24h / requests24h, 0 without requests */
  failureRatio24h: number;
  users: number;
  groups: number;
  parkedCommands: number;
  /** webhook deliveries not yet delivered */
  webhookBacklog: number;
}

/** GET /admin/overview */
export interface ConsoleOverview {
  /** Entra quarantines a job above this failure ratio */
  failureQuarantineRatio: number;
  tenants: TenantHealth[];
}

export interface ActivityBucket {
  start: string;
  total: number;
  ok: number;
  clientErrors: number;
  serverErrors: number;
}

/** GET /admin/tenants/{id}/activity: the tenant's SCIM requests per hour. */
export interface ActivityView {
  buckets: ActivityBucket[];
}

export type TimelineCommandOutcome = 'success' | 'failure' | 'parked';

export interface TimelineCommand {
  commandId: string;
  at: string;
  operation: string;
  outcome: TimelineCommandOutcome;
  status: number | null;
  detail: string | null;
}

/** A change event's delivery to one subscription: waiting or retried, delivered, or dead-lettered. */
export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'dead';

export interface TimelineDelivery {
  subscriptionId: string;
  url: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastAttemptAt: string | null;
  lastError: string | null;
}

export interface TimelineEvent {
  eventId: string;
  type: string;
  sequence: number | null;
  at: string | null;
  deliveries: TimelineDelivery[];
}

/** GET /admin/tenants/{id}/users/{userId}/timeline */
export interface UserTimelineView {
  /** null when the user no longer exists */
  user: UserAdminView | null;
  commands: TimelineCommand[];
  events: TimelineEvent[];
}

export interface PipelineDepths {
  outbox: { depth: number; oldestAgeSeconds: number | null };
  parkedCommands: number;
  parkedRecords: number;
  webhookBacklog: number;
  /** dead letters not redriven */
  deadLetters: number;
}

export interface PartitionLag {
  group: string;
  topic: string;
  partition: number;
  /** records after the group's committed offset (all of the partition's when it has committed none) */
  lag: number;
}

/** GET /admin/pipeline */
export interface PipelineView extends PipelineDepths {
  consumerLag: PartitionLag[];
}

/** A setup link as the operator lists it (never its token). */
export interface SetupLinkView {
  id: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  productName: string | null;
}

/** GET /admin/tenants/{id}/setup-links */
export interface SetupLinkListView {
  links: SetupLinkView[];
}

/** POST /admin/tenants/{id}/setup-links: the link, shown this once. */
export interface IssuedSetupLink {
  id: string;
  /** shown once: the token is in its fragment */
  url: string;
  expiresAt: string;
}
