import { Controller, Get, Header, Injectable } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';

export type ReadinessProbe = () => boolean | Promise<boolean>;

/**
 * What must hold before this process takes traffic or work: components register their own probes
 * (database reachable, producer connected, consumer assigned, reply consumer joined).
 */
@Injectable()
export class Readiness {
  private readonly probes = new Map<string, ReadinessProbe>();

  register(name: string, probe: ReadinessProbe): void {
    this.probes.set(name, probe);
  }

  entries(): [string, ReadinessProbe][] {
    return [...this.probes];
  }
}

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
          const ok = await Promise.race([
            Promise.resolve(probe()),
            new Promise<boolean>((resolve) => setTimeout(() => resolve(false), PROBE_TIMEOUT_MS)),
          ]);
          return ok ? check.up() : check.down();
        } catch (e) {
          // a failing probe is the answer "not ready", with its reason
          return check.down({ message: (e as Error).message });
        }
      }),
    );
  }
}
