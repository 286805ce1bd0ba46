import { Metrics } from './metrics';

describe('Metrics', () => {
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
});
