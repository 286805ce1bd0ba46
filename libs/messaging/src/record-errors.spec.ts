import { classifyFailure } from './failure';
import { RecordHeldBackError, RecordRejectedError, RecordTooLargeError } from './record-errors';

describe('record errors', () => {
  it.each([
    [
      new RecordTooLargeError('t', 'k', 3, 2),
      'RecordTooLargeError',
      'record of 3 bytes for t key=k is larger than the 2-byte limit of a record',
      'deterministic',
    ],
    [new RecordRejectedError('t', 'k', 'INVALID_RECORD'), 'RecordRejectedError', 'broker refused the record for t key=k: INVALID_RECORD', 'deterministic'],
    [new RecordHeldBackError('t', 'k'), 'RecordHeldBackError', 'record for t key=k held back behind an earlier record of its key that failed', 'transient'],
  ])('%s names its class, its record and whether sending it again can work', (error, name, message, failure) => {
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.message).toBe(message);
    expect([error.topic, error.key]).toEqual(['t', 'k']);
    expect(classifyFailure(error)).toBe(failure);
  });
});
