import { Injectable, NestMiddleware } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';
import { Metrics } from '@scimflow/observability';

/** Request rate, latency and status by route template (not raw URL: bounded cardinality) and tenant. */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: Metrics) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const start = process.hrtime.bigint();
    res.once('finish', () => {
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched';
      if (route === '/metrics') return;
      const labels = {
        method: req.method,
        route,
        status: String(res.statusCode),
        tenant: String((req as Request & { user?: { tenantId?: string } }).user?.tenantId ?? req.params?.tenantId ?? ''),
      };
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      this.metrics.counter('scimflow_http_requests_total', 'HTTP requests', Object.keys(labels)).inc(labels);
      this.metrics.histogram('scimflow_http_request_duration_seconds', 'HTTP request latency', Object.keys(labels)).observe(labels, seconds);
    });
    next();
  }
}
