import { Controller, Get, Header } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Readiness } from '@scimflow/observability';

const PROBE_TIMEOUT_MS = 2000;

@Controller()
export class ReadinessController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly readiness: Readiness,
  ) {}

  /** 200 when every probe holds, else 503 with which one failed (@nestjs/terminus format). */
  @Get('readyz')
  @Header('Cache-Control', 'no-store')
  @HealthCheck()
  readyz() {
    return this.health.check(
      this.readiness.entries().map(([name, probe]) => async () => {
        const check = this.indicator.check(name);
        try {
          const ok = await Promise.race([Promise.resolve(probe()), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), PROBE_TIMEOUT_MS))]);
          return ok ? check.up() : check.down();
        } catch (e) {
          // a failing probe is the answer "not ready", with its reason
          return check.down({ message: (e as Error).message });
        }
      }),
    );
  }
}
