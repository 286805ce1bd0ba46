import { MAX_RECORD_BYTES } from '@scimflow/contracts';

/** A record that failed for what it is or for where it stands in its flush; `retriable` says whether sending it again can work (classifyFailure). */
export abstract class RecordError extends Error {
  abstract readonly retriable: boolean;

  constructor(
    readonly topic: string,
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * A record larger than the topics accept (MAX_RECORD_BYTES, less room for Kafka's framing). Deterministic: sending
 * it again fails again, so it is never sent.
 */
export class RecordTooLargeError extends RecordError {
  readonly retriable = false;
  constructor(
    topic: string,
    key: string,
    readonly bytes: number,
    readonly limit: number = MAX_RECORD_BYTES,
  ) {
    super(topic, key, `record of ${bytes} bytes for ${topic} key=${key} is larger than the ${limit}-byte limit of a record`);
  }
}

/**
 * The broker refused a record for what it is (MESSAGE_TOO_LARGE, INVALID_RECORD, …), not for a passing condition.
 * Raised for the records that were refused; when kafkajs does not tell which, for each record sent alone.
 */
export class RecordRejectedError extends RecordError {
  readonly retriable = false;
  constructor(
    topic: string,
    key: string,
    readonly reason: string,
  ) {
    super(topic, key, `broker refused the record for ${topic} key=${key}: ${reason}`);
  }
}

/**
 * Not sent because an earlier record with the same key failed in the same flush: sending it would publish a key's
 * events out of order. Transient: it goes out once the record before it is published, parked or discarded.
 */
export class RecordHeldBackError extends RecordError {
  readonly retriable = true;
  constructor(topic: string, key: string) {
    super(topic, key, `record for ${topic} key=${key} held back behind an earlier record of its key that failed`);
  }
}
