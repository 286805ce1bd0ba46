import http from 'node:http';

/** One HTTP request a scenario sends. */
export interface BenchRequest {
  method: string;
  path: string;
  body?: unknown;
  /** of the body; default application/scim+json */
  contentType?: string;
  /** optional check of the answer: a failed expectation counts as an error */
  expect?: number[];
}

export interface LoadResult {
  sent: number;
  errors: number;
  statuses: Record<string, number>;
  durationMs: number;
  throughput: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number; mean: number };
}

/** Keep-alive HTTP client: connection reuse is what a real SCIM client (Entra) does. */
export class HttpTarget {
  private readonly agent: http.Agent;
  constructor(
    private readonly origin: URL,
    private readonly headers: Record<string, string>,
    maxSockets = 128,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  send(req: BenchRequest): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
    return new Promise((resolve, reject) => {
      const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
      const r = http.request(
        {
          host: this.origin.hostname,
          port: this.origin.port,
          method: req.method,
          path: this.origin.pathname.replace(/\/$/, '') + req.path,
          agent: this.agent,
          headers: {
            ...this.headers,
            ...(payload ? { 'content-type': req.contentType ?? 'application/scim+json', 'content-length': Buffer.byteLength(payload) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
        },
      );
      r.on('error', reject);
      if (payload) r.write(payload);
      r.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export function percentiles(samples: number[]): LoadResult['latencyMs'] {
  if (samples.length === 0) return { p50: 0, p95: 0, p99: 0, max: 0, mean: 0 };
  const s = Float64Array.from(samples).sort();
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    max: round(s[s.length - 1]),
    mean: round(samples.reduce((a, b) => a + b, 0) / samples.length),
  };
}

function summarize(latencies: number[], statuses: Record<string, number>, errors: number, durationMs: number): LoadResult {
  const sent = latencies.length;
  return { sent, errors, statuses, durationMs: Math.round(durationMs), throughput: Math.round((sent / durationMs) * 1000), latencyMs: percentiles(latencies) };
}

async function timed(
  target: HttpTarget,
  req: BenchRequest,
  startedAt: number,
  latencies: number[],
  statuses: Record<string, number>,
  onSample?: OnSample,
): Promise<boolean> {
  let ok = false;
  try {
    const res = await target.send(req);
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    ok = req.expect ? req.expect.includes(res.status) : res.status < 400;
  } catch {
    statuses.network = (statuses.network ?? 0) + 1;
  }
  const latency = performance.now() - startedAt;
  latencies.push(latency);
  onSample?.(startedAt, latency, ok);
  return ok;
}

/** Called with each request's start (scheduled, in an open loop; performance.now() clock), its latency in ms and whether it succeeded. */
export type OnSample = (startedAt: number, latencyMs: number, ok: boolean) => void;

/** Closed loop: `concurrency` workers each send the next request as soon as the previous one is answered. */
export async function closedLoop(target: HttpTarget, next: () => BenchRequest | undefined, concurrency: number): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let req = next(); req; req = next()) if (!(await timed(target, req, performance.now(), latencies, statuses))) errors++;
    }),
  );
  return summarize(latencies, statuses, errors, performance.now() - start);
}

/**
 * Open loop at a fixed arrival rate: requests are scheduled on a clock, not on answers, and latency is
 * measured from the scheduled time, so a slow server cannot hide its queueing (no coordinated omission).
 */
export async function openLoop(
  target: HttpTarget,
  next: (i: number) => BenchRequest,
  ratePerSecond: number,
  durationMs: number,
  onSample?: OnSample,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  const total = Math.round((ratePerSecond * durationMs) / 1000);
  const interval = 1000 / ratePerSecond;
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const scheduled = start + i * interval;
    const wait = scheduled - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inflight.push(
      timed(target, next(i), scheduled, latencies, statuses, onSample).then((ok) => {
        if (!ok) errors++;
      }),
    );
  }
  await Promise.all(inflight);
  return summarize(latencies, statuses, errors, performance.now() - start);
}
