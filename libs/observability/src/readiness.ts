import { Injectable } from '@nestjs/common';

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
