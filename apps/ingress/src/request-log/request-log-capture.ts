import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';
import { Counter } from 'prom-client';
import { formatIp } from '@scimflow/access';
import { IngressConfig } from '@scimflow/config';
import { BatchWriter, loggedBody, Metrics, redactPath } from '@scimflow/observability';
import { isUuid } from '@scimflow/contracts';
import { RequestLog, RequestLogEntry } from '@scimflow/persistence';
import { dialectNotes } from '@scimflow/scim';
import { TenantAccess } from '../auth/tenant-access';

/** The SCIM API and the token endpoint of a tenant: what the request log records. */
const LOGGED_PATH = /^\/(?:scim\/v2|oauth)\/([^/?#]+)(?:\/|\?|$)/;
const TOKEN_PATH = /^\/oauth\/[^/?#]+\/token\/?(?:\?|$)/;
const SHUTDOWN_FLUSH_MS = 5000;

/** Queued entries beyond these are dropped: ~50 batches, and a bound on memory whatever the bodies' sizes. */
const MAX_QUEUED = 10_000;
const MAX_QUEUED_BYTES = 32 * 1024 * 1024;

/**
 * Records every SCIM and token request of a tenant in the request log, off the request's path: once the answer is sent,
 * the request becomes a redacted, capped entry (bodies kept as sent would hold up to MAX_BODY_BYTES each while queued),
 * and a writer writes the queued entries in batches (every 500 ms or 200 entries). A full queue drops entries (scimflow_request_log_dropped_total); a failed write is logged and
 * counted (scimflow_request_log_write_failures_total). Neither ever delays or fails a request. Entries of tenants that
 * do not exist are not written (see RequestLog.append), so guessing ids fills no log.
 */
@Injectable()
export class RequestLogCapture implements OnApplicationShutdown {
  private readonly logger = new Logger(RequestLogCapture.name);
  private readonly writer: BatchWriter<RequestLogEntry>;
  private readonly failures: Counter;

  constructor(
    private readonly log: RequestLog,
    private readonly access: TenantAccess,
    private readonly config: IngressConfig,
    metrics: Metrics,
  ) {
    const dropped = metrics.counter('scimflow_request_log_dropped_total', 'request log entries dropped because the write queue was full');
    this.failures = metrics.counter('scimflow_request_log_write_failures_total', 'request log entries lost to failed writes (or failed captures)');
    const written = metrics.counter('scimflow_request_log_entries_total', 'request log entries handed to Postgres');
    this.writer = new BatchWriter<RequestLogEntry>({
      intervalMs: 500,
      maxBatch: 200,
      maxQueued: MAX_QUEUED,
      weigh: (e) => 512 + (e.requestBody?.length ?? 0) + (e.responseBody?.length ?? 0),
      maxQueuedWeight: MAX_QUEUED_BYTES,
      write: async (batch) => {
        await this.log.append(batch);
        written.inc(batch.length);
      },
      onDropped: (n) => dropped.inc(n),
      onError: (e, lost) => {
        this.failures.inc(lost);
        this.logger.warn(`request log: ${lost} entries not written: ${(e as Error).message}`);
      },
    });
  }

  /** Express middleware, mounted before the body parsers so that their refusals (413, 415, 400) are recorded too. */
  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    const tenantId = LOGGED_PATH.exec(req.originalUrl ?? req.url)?.[1];
    if (!this.config.REQUEST_LOG_ENABLED || !tenantId || !isUuid(tenantId)) return next();
    const at = new Date();
    const start = process.hrtime.bigint();
    let responseBody: unknown;
    const send = res.send;
    res.send = function (this: Response, body?: unknown) {
      // res.json and res.send(object) call send again with the serialised text: the first call holds the answer
      responseBody ??= body;
      return send.call(this, body);
    } as Response['send'];
    res.once('finish', () => {
      // after the answer: a failure here must not reach the process (an exception in a listener would end it)
      try {
        this.record(req, res, tenantId, at, start, responseBody);
      } catch (e) {
        this.failures.inc();
        this.logger.error(`request log: entry of ${req.method} ${redactPath(req.originalUrl ?? req.url)} not recorded: ${(e as Error).message}`);
      }
    });
    next();
  };

  private record(req: Request, res: Response, tenantId: string, at: Date, start: bigint, responseBody: unknown): void {
    const address = this.access.clientAddress(req);
    const requestId = res.getHeader('X-Request-Id');
    const url = req.originalUrl ?? req.url;
    const max = this.config.REQUEST_LOG_MAX_BODY_BYTES;
    const request = loggedBody(req.body, max);
    const response = loggedBody(responseBody, max);
    this.writer.add({
      tenantId: tenantId.toLowerCase(),
      at,
      requestId: typeof requestId === 'string' ? requestId : null,
      sourceIp: address ? formatIp(address) : null,
      method: req.method,
      path: redactPath(url),
      status: res.statusCode,
      latencyMs: Math.round(Number(process.hrtime.bigint() - start) / 1e3) / 1e3,
      requestBody: request.text,
      requestTruncated: request.truncated,
      responseBody: response.text,
      responseTruncated: response.truncated,
      notes: TOKEN_PATH.test(url) ? [] : dialectNotes(req.method, url, req.body),
    });
  }

  /** Writes what is queued (tests, shutdown). */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  /**
   * After the HTTP server has closed (every request finished) and before the database pool closes: Nest runs shutdown
   * hooks from the root module down, and this module sits above TypeORM's.
   */
  async onApplicationShutdown(): Promise<void> {
    // bounded: an unreachable database must not hold the process past its shutdown grace period
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), SHUTDOWN_FLUSH_MS).unref()));
    const outcome = await Promise.race([this.writer.flush(), gaveUp]);
    clearTimeout(timer);
    if (outcome === 'timeout')
      this.logger.warn(`request log: ${this.writer.pending} entries not written at shutdown (no answer from Postgres within ${SHUTDOWN_FLUSH_MS} ms)`);
  }
}
