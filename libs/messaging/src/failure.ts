/**
 * Whether a failure is worth retrying. A consumer retries what is *transient* (the database or the broker is
 * unreachable or busy: it will likely succeed later) and must not retry what is *deterministic* (a bug, or a value
 * the store or the code cannot take: it fails the same way every time), because an ordered consumer that retries a
 * deterministic failure stops every key behind it.
 */
export type FailureClass = 'transient' | 'deterministic';

/** Postgres SQLSTATE classes and codes that say "try again later" (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
const TRANSIENT_SQLSTATE_CLASSES = new Set([
  '08', // connection exception
  '53', // insufficient resources (too many connections, out of memory, disk full)
  '57', // operator intervention: query canceled by timeout, admin/crash shutdown, cannot connect now
  '58', // system error (I/O)
]);
const TRANSIENT_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available (lock_timeout)
  '55006', // object_in_use
  '25P04', // transaction_timeout
]);

/** Node system error codes of a network or a peer that went away. */
const TRANSIENT_SYSTEM_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
]);

/** Messages of node-postgres and its pool that carry no code. */
const TRANSIENT_DRIVER_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /Client was closed and is not queryable/i,
  /Cannot use a pool after calling end/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /Query read timeout/i,
];

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** The one place that decides whether a failure is transient (retry with backoff) or deterministic (answer, record, move on). */
export function classifyFailure(error: unknown): FailureClass {
  for (const e of causes(error)) {
    const verdict = classifyOne(e);
    if (verdict) return verdict;
  }
  return 'deterministic';
}

/** A Postgres data exception (SQLSTATE class 22, e.g. a NUL character or an invalid byte sequence): the input is at fault, not the system. */
export function isInvalidDataFailure(error: unknown): boolean {
  return causes(error).some((e) => {
    const code = sqlState(e);
    return code !== undefined && code.startsWith('22');
  });
}

function classifyOne(e: Record<string, unknown>): FailureClass | undefined {
  const sql = sqlState(e);
  if (sql) return TRANSIENT_SQLSTATES.has(sql) || TRANSIENT_SQLSTATE_CLASSES.has(sql.slice(0, 2)) ? 'transient' : 'deterministic';
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code && TRANSIENT_SYSTEM_CODES.has(code)) return 'transient';
  const name = typeof e.name === 'string' ? e.name : '';
  // Retries exhausted: what was retried decides (a connection error is still transient).
  // kafkajs also wraps what it gave up on as KafkaJSNonRetriableError: its cause decides then too.
  if (name === 'KafkaJSNumberOfRetriesExceeded' || (name === 'KafkaJSNonRetriableError' && (e.cause ?? e.originalError))) return undefined;
  // kafkajs's errors and our record errors (RecordTooLargeError, RecordHeldBackError…) say so themselves
  if (typeof e.retriable === 'boolean') return e.retriable ? 'transient' : 'deterministic';
  if (name.startsWith('KafkaJS')) return 'deterministic';
  const message = typeof e.message === 'string' ? e.message : '';
  if (TRANSIENT_DRIVER_MESSAGES.some((m) => m.test(message))) return 'transient';
  return undefined;
}

/** A five-character SQLSTATE, when the error (or TypeORM's wrapper of it) carries one; Node's own codes (EPIPE) have no digit. */
function sqlState(e: Record<string, unknown>): string | undefined {
  const code = e.code;
  return typeof code === 'string' && SQLSTATE.test(code) && /[0-9]/.test(code) ? code : undefined;
}

/** The error and what it wraps (TypeORM's driverError, kafkajs's originalError, Error.cause), outermost first. */
function causes(error: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let current: unknown = error;
  while (current && typeof current === 'object' && out.length < 8 && !out.includes(current as Record<string, unknown>)) {
    const e = current as Record<string, unknown>;
    out.push(e);
    current = e.driverError ?? e.originalError ?? e.cause;
  }
  return out;
}
