/** A credential of the events API (never its secret). */
export interface ProductCredentialView {
  id: string;
  tenantId: string;
  description: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A new credential of the events API, shown this once. */
export interface CreatedProductCredential {
  id: string;
  /** shown once; only its hash is stored */
  credential: string;
  description: string | null;
  createdAt: string;
}

/** A product credential as a consumer of the tenant's events: its position and lag. */
export interface EventConsumerView {
  id: string;
  tenantId: string;
  description: string | null;
  createdAt: string;
  revokedAt: string | null;
  /** the position the consumer last read after (what it has consumed); null before its first read */
  position: string | null;
  lastReadAt: string | null;
  /** the tenant's retained events after `position`, counted up to MAX_COUNTED_LAG (10,000) */
  lagEvents: number;
  /** age of the oldest of those events, 0 when none */
  lagSeconds: number;
}

/** GET and PUT /admin/tenants/{id}/events-retention: how many days the tenant's events stay readable. */
export interface EventsRetentionView {
  days: number;
}
