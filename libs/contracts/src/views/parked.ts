/**
 * Why a command is parked: it failed after its retries, it is slow to apply (applied in the background), it is a
 * deprovisioning held beyond the tenant's threshold (applied only once an operator approves its hold), or it is
 * behind one of those.
 */
export type ParkReason = 'failed' | 'heavy' | 'held' | 'behind';

/** The state of a key's first parked command, as its followers are answered: see ParkedCommandState. */
export type HeadState = 'failing' | 'pending' | 'held';

/**
 * `failing`: the key's first parked command, failed at least once and retried with backoff; `pending`: the key's first,
 * not tried yet (slow to apply, or the one before it just left); `held`: the key's first, a deprovisioning waiting for an
 * operator's decision on its hold; `waiting`: behind it, in order.
 */
export type ParkedCommandState = HeadState | 'waiting';

/** A parked command: its identity (from the command), where it came from, and how its retries go. */
export interface ParkedCommandView {
  id: string;
  recordKey: string;
  tenantId: string;
  commandId: string;
  resourceType: string;
  resourceId: string;
  action: string;
  /** `topic[partition]@offset` */
  source: string;
  reason: ParkReason;
  state: ParkedCommandState;
  /** the deprovisioning hold the command belongs to (reason `held`) */
  holdId: string | null;
  error: string | null;
  attempts: number;
  parkedAt: string;
  lastAttemptAt: string | null;
  /** date-time, or 'infinity' for a held command whose hold is open */
  nextAttemptAt: string;
}

export type ParkingStage = 'relay' | 'intake';

/** A record parked with the error that stopped it (the record's bytes are not part of the listing). */
export interface ParkedRecordView {
  id: string;
  stage: ParkingStage;
  topic: string;
  key: string;
  /** the outbox event (stage relay) */
  outboxId: string | null;
  /** where it was consumed, `topic[partition]@offset` (stage intake) */
  source: string | null;
  bytes: number;
  error: string;
  parkedAt: string;
}
