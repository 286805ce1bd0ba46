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
