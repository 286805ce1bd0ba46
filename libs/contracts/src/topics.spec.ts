import { MAX_RECORD_BYTES } from './limits';
import { TopicName, topicSpecs } from './topics';

describe('topicSpecs', () => {
  it('gives every topic max.message.bytes = MAX_RECORD_BYTES, keeping its other settings', () => {
    const specs = topicSpecs('p.');
    expect(specs.map((s) => s.name).sort()).toEqual(
      Object.values(TopicName)
        .map((n) => `p.${n}`)
        .sort(),
    );
    for (const s of specs) expect(s.config).toMatchObject({ 'max.message.bytes': String(MAX_RECORD_BYTES), 'retention.ms': expect.any(String) });
  });
});
