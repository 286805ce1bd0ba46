import { Controller, Get, Header, Res } from '@nestjs/common';
import { Response } from 'express';
import { Metrics } from '@scimflow/observability';

@Controller()
export class EndpointsController {
  constructor(private readonly metrics: Metrics) {}

  /** Liveness: the process is up and its event loop answers. */
  @Get('healthz')
  @Header('Cache-Control', 'no-store')
  healthz() {
    return { status: 'ok' };
  }

  /** Prometheus scrape endpoint. */
  @Get('metrics')
  async scrape(@Res() res: Response) {
    res.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
