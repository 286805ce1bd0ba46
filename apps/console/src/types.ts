/**
 * The shapes of the admin API, session and setup API as the console uses them, hand-written from the OpenAPI
 * document (/admin/docs-json) and the console contract. One file, so a change of the API has one place to land.
 */

export interface ScimErrorBody {
  schemas?: string[];
  status?: string;
  scimType?: string;
  detail?: string;
}

export interface Session {
  csrfToken: string;
  expiresAt: string;
}

export const PROFILES = ['segura', 'appsec', 'workforce', 'surecloud', 'custom'] as const;
export type Profile = (typeof PROFILES)[number];

export interface RateLimit {
  perSecond: number;
  burst: number;
}

export interface Tenant {
  tenantId: string;
  name: string;
  profile: string;
  status: 'active' | 'disabled';
  createdAt: string;
  scimBaseUrl: string;
  tokenUrl: string;
  allowedSourceIps: string[];
  rateLimit: RateLimit | null;
  settings: Record<string, unknown>;
  /** paused since: Entra's requests answered 503 + Retry-After */
  intakePausedAt: string | null;
  /** paused since: change events held in order, nothing published or delivered */
  deliveryPausedAt: string | null;
}

export interface CreateTenantBody {
  name: string;
  profile?: string;
  webhooks?: string[];
  allowedSourceIps?: string[];
  rateLimit?: RateLimit;
}

export interface CreatedTenant {
  tenantId: string;
  name: string;
  profile: string;
  scimBaseUrl: string;
  token: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
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
  failureRatio24h: number;
  users: number;
  groups: number;
  parkedCommands: number;
  webhookBacklog: number;
}

export interface Overview {
  failureQuarantineRatio: number;
  tenants: TenantHealth[];
}

export interface SecretToken {
  id: string;
  description: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedSecretToken {
  id: string;
  token: string;
  description: string | null;
  createdAt: string;
}

export interface OAuthClient {
  clientId: string;
  hasSecret: boolean;
  secretCreatedAt: string | null;
  lastUsedAt: string | null;
  tokenUrl: string;
}

export interface ClientSecret {
  clientId: string;
  clientSecret: string;
  tokenUrl: string;
}

export interface SetupLinkCreated {
  id: string;
  url: string;
  expiresAt: string;
}

export interface SetupLink {
  id: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  productName: string | null;
}

export interface ActivityBucket {
  start: string;
  total: number;
  ok: number;
  clientErrors: number;
  serverErrors: number;
}

export interface RequestLogEntry {
  id: string;
  tenantId: string;
  at: string;
  requestId: string | null;
  sourceIp: string | null;
  method: string;
  path: string;
  status: number;
  latencyMs: number;
  requestBody: string | null;
  requestTruncated: boolean;
  responseBody: string | null;
  responseTruncated: boolean;
  notes: string[];
}

export interface AuditEntry {
  id: string;
  at: string;
  outcome: 'success' | 'failure';
  commandId: string;
  requestId?: string | null;
  resourceType: string;
  resourceId: string;
  action: string;
  status: number;
  error?: ScimErrorBody | null;
  diff?: Record<string, unknown>;
}

export interface AdminUser {
  id: string;
  userName: string;
  workEmail: string | null;
  externalId: string | null;
  active: boolean;
  loginMethod: string;
  origin: 'scim' | 'import';
  linked: boolean;
  deletedAt: string | null;
  unmatchedRoles: string[];
  version: number;
  created: string;
  lastModified: string;
}

export interface TimelineCommand {
  commandId: string;
  at: string;
  operation: string;
  outcome: 'success' | 'failure' | 'parked';
  status: number | null;
  detail: string | null;
}

export interface TimelineDelivery {
  subscriptionId: string;
  url: string;
  status: 'pending' | 'delivered' | 'dead';
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

export interface UserTimeline {
  /** the admin view of the user; null when it no longer exists */
  user: AdminUser | null;
  commands: TimelineCommand[];
  events: TimelineEvent[];
}

export interface Subscription {
  id: string;
  tenantId: string;
  url: string;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  createdAt: string;
  updatedAt: string;
  secrets: { createdAt: string; expiresAt: string | null }[];
}

export interface DeliveryAttempt {
  attemptId: string;
  deliveryId: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  attempt: number;
  status: 'delivered' | 'failed';
  httpStatus: number | null;
  latencyMs: number;
  error: string | null;
  responseExcerpt: string | null;
  redrive: boolean;
  attemptedAt: string;
}

export interface DeadLetter {
  id: string;
  subscriptionId: string;
  tenantId: string;
  url: string;
  eventId: string;
  eventType: string;
  orderingKey: string;
  attempts: number;
  queuedAt: string;
  lastAttemptAt: string;
  deadAt: string;
  lastStatus: number | null;
  lastError: string | null;
  lastResponseExcerpt: string | null;
  redrivenAt: string | null;
}

export interface RedriveResult {
  redriven: string[];
  skipped: { id: string; reason: string }[];
}

export interface Pipeline {
  outbox: { depth: number; oldestAgeSeconds: number | null };
  parkedCommands: number;
  parkedRecords: number;
  webhookBacklog: number;
  deadLetters: number;
  consumerLag: { group: string; topic: string; partition: number; lag: number }[];
}

export interface ParkedCommand {
  id: string;
  recordKey: string;
  tenantId: string;
  commandId: string;
  resourceType: string;
  resourceId: string;
  action: string;
  source: string;
  state: 'failing' | 'waiting';
  error: string | null;
  attempts: number;
  parkedAt: string;
  lastAttemptAt: string | null;
  nextAttemptAt: string;
}

export interface ParkedRecord {
  id: string;
  stage: 'relay' | 'intake';
  topic: string;
  key: string;
  outboxId: string | null;
  source: string | null;
  bytes: number;
  error: string;
  parkedAt: string;
}

// The setup API (the customer's IT admin, authenticated by the setup link's token).

export interface SetupMapping {
  target: string;
  source: string;
  note: string;
}

export interface SetupInfo {
  tenant: { name: string; profile: string; profileTitle: string };
  productName: string | null;
  logoUrl: string | null;
  expiresAt: string;
  scimBaseUrl: string;
  tokenUrl: string;
  authMethods: string[];
  allowedSourceIps: string[];
  mappings: SetupMapping[];
}

export type SetupCredential = { token: string } | { tokenUrl: string; clientId: string; clientSecret: string };

export interface TestConnection {
  lastRequest: null | {
    at: string;
    sourceIp: string | null;
    method: string;
    path: string;
    status: number;
    passedAuth: boolean;
    passedAllowList: boolean;
    ok: boolean;
    detail: string | null;
  };
}

export interface SetupStatus {
  users: number;
  groups: number;
  lastRequestAt: string | null;
  lastCycleAt: string | null;
  recentFailures: { at: string; method: string; path: string; status: number; detail: string | null; hint: string | null }[];
}

/** GET /admin/signing-keys: the keys that sign and verify access tokens issued by the token endpoints. */
export interface SigningKey {
  kid: string;
  algorithm: string;
  state: 'signing' | 'verifying' | 'expired' | 'retired';
  createdAt: string;
  verifyUntil: string | null;
  retiredAt: string | null;
}

/** GET /admin/tenants/{id}/federated-credentials: an issuer whose JWT assertions the tenant's token endpoint trusts. */
export interface FederatedCredential {
  id: string;
  issuer: string;
  jwksUrl: string;
  subject: string;
  audience: string;
  description: string | null;
  createdAt: string;
  lastUsedAt: string | null;
}

/** GET /admin/tenants/{id}/product-credentials: credentials of the events API (never their secrets). */
export interface ProductCredential {
  id: string;
  tenantId: string;
  description: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** POST /admin/tenants/{id}/product-credentials: the secret, shown this once. */
export interface CreatedProductCredential {
  id: string;
  credential: string;
  description: string | null;
  createdAt: string;
}

/** GET /admin/tenants/{id}/event-consumers: a product credential's position in the tenant's events and its lag. */
export interface EventConsumer {
  id: string;
  description: string | null;
  createdAt: string;
  revokedAt: string | null;
  position: string | null;
  lastReadAt: string | null;
  lagEvents: number;
  lagSeconds: number;
}

/** GET /admin/tenants/{id}/groups */
export interface AdminGroup {
  id: string;
  displayName: string;
  externalId: string | null;
  memberCount: number;
  version: number;
  created: string;
  lastModified: string;
}

/** GET /admin/tenants/{id}/groups/{groupId}: the first members (capped) and the full count. */
export interface AdminGroupDetail extends AdminGroup {
  members: { id: string; userName: string }[];
}

/** POST /admin/subscriptions/{id}/replays with dryRun: true */
export interface EventReplayCount {
  planned: number;
  read: number;
  matched: number;
}

/** A replay of a subscription's past events (POST without dryRun, GET /admin/replays/{id}). */
export interface EventReplay extends EventReplayCount {
  id: string;
  subscriptionId: string;
  tenantId: string;
  replayKey: string;
  from: string;
  to: string | null;
  state: 'running' | 'done' | 'failed' | 'interrupted';
  queued: number;
  alreadyQueued: number;
  error: string | null;
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
}
