import { Client } from 'pg';
import { DatabaseError } from 'pg-protocol';
import { QueryFailedError } from 'typeorm';
import { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError, KafkaJSRequestTimeoutError } from 'kafkajs';
import { ScimError } from '@scimflow/scim';
import { classifyFailure, isInvalidDataFailure } from './failure';

/** A Postgres error as node-postgres raises it, wrapped the way TypeORM's query runner wraps it. */
function pgError(code: string, message: string): QueryFailedError {
  const e = new DatabaseError(message, 0, 'error');
  e.code = code;
  e.severity = 'ERROR';
  return new QueryFailedError('SELECT 1', [], e);
}

// kafkajs's protocol errors are built from its own table of broker error codes
const protocolError = (type: string, retriable: boolean) => new KafkaJSProtocolError({ type, code: 0, retriable, message: type } as never);

describe('classifyFailure', () => {
  it.each([
    ['40001', 'could not serialize access due to concurrent update'],
    ['40P01', 'deadlock detected'],
    ['55P03', 'canceling statement due to lock timeout'],
    ['57014', 'canceling statement due to statement timeout'],
    ['57P01', 'terminating connection due to administrator command'],
    ['57P03', 'the database system is starting up'],
    ['53300', 'sorry, too many clients already'],
    ['08006', 'connection failure'],
  ])('Postgres %s (%s) is transient', (code, message) => {
    expect(classifyFailure(pgError(code, message))).toBe('transient');
    expect(classifyFailure((pgError(code, message) as unknown as { driverError: Error }).driverError)).toBe('transient');
  });

  it.each([
    ['22P05', 'unsupported Unicode escape sequence'],
    ['22021', 'invalid byte sequence for encoding "UTF8": 0x00'],
    ['22P02', 'invalid input syntax for type json'],
    ['23505', 'duplicate key value violates unique constraint'],
    ['42703', 'column "x" does not exist'],
    ['XX000', 'internal error'],
  ])('Postgres %s (%s) is deterministic', (code, message) => {
    expect(classifyFailure(pgError(code, message))).toBe('deterministic');
  });

  it('a refused connection from the real driver is transient', async () => {
    const client = new Client({ host: '127.0.0.1', port: 1, connectionTimeoutMillis: 2000 });
    const error = await client.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as { code?: string }).code).toBe('ECONNREFUSED');
    expect(classifyFailure(error)).toBe('transient');
  });

  it.each([['Connection terminated unexpectedly'], ['timeout exceeded when trying to connect'], ['Connection terminated due to connection timeout']])(
    'the driver message "%s" is transient',
    (message) => {
      expect(classifyFailure(new Error(message))).toBe('transient');
    },
  );

  it('kafkajs: connection and timeout errors are transient, also after retries ran out', () => {
    const connection = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:19092');
    expect(classifyFailure(connection)).toBe('transient');
    expect(classifyFailure(new KafkaJSRequestTimeoutError('Request Produce(key: 0, version: 7) timed out'))).toBe('transient');
    expect(classifyFailure(new KafkaJSNumberOfRetriesExceeded(connection, { retryCount: 5, retryTime: 1000 }))).toBe('transient');
  });

  it('kafkajs: a connection error it wrapped as non-retriable (a producer whose broker went away) is still transient', () => {
    const connection = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:19092');
    // as kafkajs's retrier wraps what it will not retry itself
    // (its constructor takes the cause as a second argument, which kafkajs's typings leave out)
    const NonRetriable = KafkaJSNonRetriableError as unknown as new (e: Error, options: { cause: unknown }) => Error;
    const wrap = (e: Error & { cause?: unknown }) => new NonRetriable(e, { cause: e.cause || e });
    expect(classifyFailure(wrap(connection))).toBe('transient');
    expect(classifyFailure(wrap(protocolError('MESSAGE_TOO_LARGE', false)))).toBe('deterministic');
    expect(classifyFailure(new KafkaJSNonRetriableError('Invalid groupIds array'))).toBe('deterministic');
  });

  it('kafkajs: a record the broker refuses for good is deterministic', () => {
    expect(classifyFailure(protocolError('MESSAGE_TOO_LARGE', false))).toBe('deterministic');
    expect(classifyFailure(protocolError('CORRUPT_MESSAGE', false))).toBe('deterministic');
    expect(classifyFailure(protocolError('NOT_LEADER_FOR_PARTITION', true))).toBe('transient');
  });

  it('bugs and refusals of our own code are deterministic', () => {
    expect(classifyFailure(new SyntaxError('"undefined" is not valid JSON'))).toBe('deterministic');
    expect(classifyFailure(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe('deterministic');
    expect(classifyFailure(new RangeError('Maximum call stack size exceeded'))).toBe('deterministic');
    expect(classifyFailure(new ScimError(500, 'stored settings do not validate'))).toBe('deterministic');
    expect(classifyFailure('a string')).toBe('deterministic');
    expect(classifyFailure(undefined)).toBe('deterministic');
  });

  it('looks through Error.cause', () => {
    const cause = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(classifyFailure(new Error('query failed', { cause }))).toBe('transient');
  });
});

describe('isInvalidDataFailure', () => {
  it('is true for data exceptions only', () => {
    expect(isInvalidDataFailure(pgError('22P05', 'unsupported Unicode escape sequence'))).toBe(true);
    expect(isInvalidDataFailure(pgError('22021', 'invalid byte sequence'))).toBe(true);
    expect(isInvalidDataFailure(pgError('23505', 'duplicate key'))).toBe(false);
    expect(isInvalidDataFailure(new TypeError('x'))).toBe(false);
  });
});
