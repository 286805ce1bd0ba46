import { Controller, Get, Header } from '@nestjs/common';

/** Liveness: the process is up and its event loop answers. */
@Controller()
export class HealthController {
  @Get('healthz')
  @Header('Cache-Control', 'no-store')
  healthz() {
    return { status: 'ok' };
  }
}
