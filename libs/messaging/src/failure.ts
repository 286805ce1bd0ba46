import { MAX_RECORD_BYTES } from '@scimflow/contracts';

/**
 * A record larger than the topics accept (MAX_RECORD_BYTES, less room for Kafka's framing). Deterministic: sending
 * it again fails again, so it is never sent.
 */
export class RecordTooLargeError extends Error {
  readonly retriable = false;
  constructor(
    readonly topic: string,
    readonly key: string,
    readonly bytes: number,
    readonly limit: number = MAX_RECORD_BYTES,
  ) {
    super(`record of ${bytes} bytes for ${topic} key=${key} is larger than the ${limit}-byte limit of a record`);
    this.name = 'RecordTooLargeError';
  }
}

/**
 * The broker refused a record for what it is (MESSAGE_TOO_LARGE, INVALID_RECORD, …), not for a passing condition.
 * Raised for the records that were refused; when kafkajs does not tell which, for each record sent alone.
 */
export class RecordRejectedError extends Error {
  readonly retriable = false;
  constructor(
    readonly topic: string,
    readonly key: string,
    readonly reason: string,
  ) {
    super(`broker refused the record for ${topic} key=${key}: ${reason}`);
    this.name = 'RecordRejectedError';
  }
}

/**
 * Not sent because an earlier record with the same key failed in the same flush: sending it would publish a key's
 * events out of order. Transient: it goes out once the record before it is published, parked or discarded.
 */
export class RecordHeldBackError extends Error {
  readonly retriable = true;
  constructor(
    readonly topic: string,
    readonly key: string,
  ) {
    super(`record for ${topic} key=${key} held back behind an earlier record of its key that failed`);
    this.name = 'RecordHeldBackError';
  }
}

const TRANSIENT_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSBrokerNotFound',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSLockTimeout',
  'KafkaJSTimeout',
]);
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Postgres SQLSTATE classes that pass: connection (08), transaction rollback (40), resources (53), operator intervention (57), system (58). */
const TRANSIENT_SQLSTATE = /^(08|40|53|57|58)/;

/**
 * Whether retrying the same work can succeed ('transient': broker or database unavailable, timeouts, kafkajs errors
 * marked retriable) or cannot ('deterministic': a record too large or refused, a constraint the data breaks).
 * kafkajs wraps the last error of its retries in KafkaJSNumberOfRetriesExceeded (itself non-retriable): the cause
 * decides. Unknown errors are deterministic, so that a record nobody can publish is parked rather than retried forever.
 */
export function classifyFailure(error: unknown): 'transient' | 'deterministic' {
  for (let e: unknown = error, depth = 0; e && depth < 8; depth++) {
    const err = e as { name?: string; code?: unknown; retriable?: boolean; cause?: unknown; originalError?: unknown; message?: string };
    if (err.name === 'KafkaJSNumberOfRetriesExceeded' || err.name === 'KafkaJSNonRetriableError') {
      const inner = err.cause ?? err.originalError;
      if (inner && inner !== e) {
        e = inner;
        continue;
      }
    }
    if (err.retriable === true) return 'transient';
    if (err.retriable === false) return 'deterministic';
    if (err.name && TRANSIENT_NAMES.has(err.name)) return 'transient';
    if (typeof err.code === 'string' && (TRANSIENT_CODES.has(err.code) || TRANSIENT_SQLSTATE.test(err.code))) return 'transient';
    if (/connect|timeout|terminat|ECONNREFUSED/i.test(err.message ?? '') && !err.code) return 'transient';
    const next = err.cause ?? err.originalError ?? (err as { driverError?: unknown }).driverError;
    if (!next || next === e) break;
    e = next;
  }
  return 'deterministic';
}
