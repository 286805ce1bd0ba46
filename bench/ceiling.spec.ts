import { cpuCeiling, throughputLine } from './ceiling';

describe('cpuCeiling', () => {
  it('divides the cores by the CPU time per unit summed over the processes', () => {
    // 2 cores, 0.25 + 0.15 + 0.1 = 0.5 ms per unit: 4,000 units/s at most
    expect(cpuCeiling({ reconciler: 0.25, postgres: 0.15, kafka: 0.1 }, 2)).toEqual({ perSecond: 4000, cpuMs: 0.5, cores: 2 });
  });

  it('rounds the rate down: a ceiling is never more than the cores allow', () => {
    expect(cpuCeiling({ a: 0.3 }, 2)?.perSecond).toBe(6666);
    expect(cpuCeiling({ a: 4.05 }, 2)?.perSecond).toBe(493);
  });

  it('grows with the cores', () => {
    expect(cpuCeiling({ a: 1 }, 8)?.perSecond).toBe(8000);
  });

  it('is undefined when no CPU time was measured, rather than infinite', () => {
    expect(cpuCeiling({ a: 0, b: 0 }, 2)).toBeUndefined();
    expect(cpuCeiling({}, 2)).toBeUndefined();
    expect(cpuCeiling({ a: 1 }, 0)).toBeUndefined();
  });
});

describe('throughputLine', () => {
  it('says when the target is above the ceiling', () => {
    expect(throughputLine('replay commands/s', 3604, 15000, 'command', { perSecond: 4597, cpuMs: 0.435, cores: 2 })).toBe(
      'FAIL  replay commands/s: 3604 (target 15000; CPU ceiling 4597/s = 2 cores ÷ 0.435 ms per command; the target is above what these cores allow at this cost)',
    );
  });

  it('says nothing more when the ceiling leaves room for the target', () => {
    expect(throughputLine('notifier deliveries/s', 2700, 2000, 'delivery', { perSecond: 3600, cpuMs: 0.555, cores: 2 })).toBe(
      'PASS  notifier deliveries/s: 2700 (target 2000; CPU ceiling 3600/s = 2 cores ÷ 0.555 ms per delivery)',
    );
  });

  it('is the plain verdict without a ceiling', () => {
    expect(throughputLine('writes/s', 10, 20, 'write')).toBe('FAIL  writes/s: 10 (target 20)');
  });
});
