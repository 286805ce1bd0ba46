import { Metrics } from './metrics';

describe('Metrics', () => {
  it('reports how long a partition with lag has not advanced, 0 once it is caught up', async () => {
    jest.useFakeTimers({ now: 1_000_000, doNotFake: ['setImmediate', 'nextTick'] });
    try {
      const m = new Metrics('test');
      const observe = m.consumerLag('g');
      const idle = async () =>
        Number((await m.registry.metrics()).match(/^scimflow_consumer_partition_idle_seconds\{group="g",topic="t",partition="3",app="test"\} (\S+)$/m)?.[1]);
      observe({ topic: 't', partition: 3, records: 0, lag: 5 }); // a batch arrived and is stuck in its handler
      jest.setSystemTime(1_030_000);
      expect(await idle()).toBe(30);
      observe({ topic: 't', partition: 3, records: 0, lag: 6 }); // redelivered: still not advanced
      jest.setSystemTime(1_040_000);
      expect(await idle()).toBe(40);
      observe({ topic: 't', partition: 3, records: 5, lag: 1 }); // handled
      jest.setSystemTime(1_042_000);
      expect(await idle()).toBe(2);
      observe({ topic: 't', partition: 3, records: 1, lag: 0 });
      jest.setSystemTime(1_100_000);
      expect(await idle()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('memoises metrics by name and exposes them in Prometheus text format', async () => {
    const m = new Metrics('test');
    m.counter('scimflow_things_total', 'things', ['kind']).inc({ kind: 'a' });
    m.counter('scimflow_things_total', 'things', ['kind']).inc({ kind: 'a' }, 2);
    m.histogram('scimflow_wait_seconds', 'wait').observe(0.003);
    const text = await m.registry.metrics();
    expect(text).toMatch(/scimflow_things_total\{kind="a",app="test"\} 3/);
    expect(text).toMatch(/scimflow_wait_seconds_bucket\{le="0.005",app="test"\} 1/);
    expect(text).toMatch(/scimflow_process_resident_memory_bytes/);
  });

  it('sets a collected gauge at each scrape, and keeps its last value when collecting fails', async () => {
    const m = new Metrics('test');
    let depth = 3;
    m.gauge('scimflow_depth', 'depth', [], async (g) => {
      if (depth < 0) throw new Error('source unreachable');
      g.set(depth);
    });
    expect(await m.registry.metrics()).toMatch(/^scimflow_depth\{app="test"\} 3$/m);
    depth = 5;
    expect(await m.registry.metrics()).toMatch(/^scimflow_depth\{app="test"\} 5$/m);
    depth = -1;
    expect(await m.registry.metrics()).toMatch(/^scimflow_depth\{app="test"\} 5$/m);

    // registered again (the app created anew in this process): the new source is read
    m.gauge('scimflow_depth', 'depth', [], async (g) => g.set(7));
    expect(await m.registry.metrics()).toMatch(/^scimflow_depth\{app="test"\} 7$/m);
  });
});
