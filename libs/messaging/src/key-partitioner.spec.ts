import fc from 'fast-check';
import { Partitioners } from 'kafkajs';
import { KeyPartitioner, murmur2, partitionOfKey } from './key-partitioner';

// kafkajs's own hash, the reference: the partitioner must place every key where kafkajs (and Java) would
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkajsMurmur2: (key: string | Buffer) => number = require('kafkajs/src/producer/partitioners/default/murmur2');

const metadata = (n: number) => Array.from({ length: n }, (_, partitionId) => ({ partitionId, partitionErrorCode: 0, leader: 1, replicas: [1], isr: [1] }));

describe('murmur2', () => {
  it("gives the Java client's values for known keys", () => {
    // printed by org.apache.kafka.common.utils.Utils.murmur2 of kafka-clients 3.9.1 (the broker's jars) over UTF-8 bytes
    expect(murmur2('0')).toBe(971027396);
    expect(murmur2('1')).toBe(-1993445489);
    expect(murmur2('128')).toBe(-326012175);
    expect(murmur2('2187')).toBe(-1508407203);
    expect(murmur2('16384')).toBe(-325739742);
    expect(murmur2('78125')).toBe(-1654490814);
    expect(murmur2('279936')).toBe(1462227128);
    expect(murmur2('823543')).toBe(-2014198330);
    expect(murmur2('2097152')).toBe(607668903);
    expect(murmur2('4782969')).toBe(-1182699775);
    expect(murmur2('10000000')).toBe(-1830336757);
    expect(murmur2('b6a5f7a2-1c3d-4e5f-8a9b-0c1d2e3f4a5b:9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a')).toBe(-1156861709);
    expect(murmur2('Zoë Ålander ü ☃ 😀')).toBe(-1941912876);
  });

  it('equals kafkajs for any string, ASCII or not, and any bytes', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => murmur2(s) === kafkajsMurmur2(s)),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => murmur2(s) === kafkajsMurmur2(s)),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (a) => murmur2(Buffer.from(a)) === kafkajsMurmur2(Buffer.from(a))),
      { numRuns: 1000 },
    );
    fc.assert(fc.property(fc.uuid(), fc.uuid(), (t, u) => murmur2(`${t}:${u}`) === kafkajsMurmur2(`${t}:${u}`)));
    // a key that is neither (kafkajs's types allow only these two, JavaScript callers may pass a number)
    fc.assert(fc.property(fc.integer(), (n) => murmur2(n as unknown as string) === kafkajsMurmur2(n as unknown as string)));
  });
});

describe('KeyPartitioner', () => {
  it("places keyed records on kafkajs's default partitions", () => {
    const ours = KeyPartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 64 }), (key, n) => {
        const args = { topic: 't', partitionMetadata: metadata(n), message: { key, value: 'v' } };
        return ours(args) === theirs(args);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps an explicit partition, and spreads records without a key', () => {
    const p = KeyPartitioner();
    expect(p({ topic: 't', partitionMetadata: metadata(12), message: { key: 'k', value: 'v', partition: 7 } })).toBe(7);
    const spread = new Set(Array.from({ length: 24 }, () => p({ topic: 't', partitionMetadata: metadata(12), message: { value: 'v' } })));
    expect(spread.size).toBe(12);
  });
});

describe('partitionOfKey', () => {
  it("is the partition kafkajs's default partitioner gives the key", () => {
    const theirs = Partitioners.DefaultPartitioner();
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 64 }), (key, n) => {
        return partitionOfKey(key, n) === theirs({ topic: 't', partitionMetadata: metadata(n), message: { key, value: 'v' } });
      }),
      { numRuns: 2000 },
    );
  });
});
