import { ICustomPartitioner, Partitioners } from 'kafkajs';

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/**
 * Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2) in 32-bit integer arithmetic, over the key's UTF-8
 * bytes. The same hash as kafkajs's and the Java client's, without their per-call allocations: kafkajs computes it
 * with a 64-bit Long object per step (~7 KB allocated per record, see BENCHMARKS.md).
 */
export function murmur2(key: string | Buffer): number {
  // kafkajs hashes any other key by its String() form; so does this
  const given: string | Buffer = typeof key === 'string' || Buffer.isBuffer(key) ? key : String(key);
  const data = typeof given === 'string' ? (isAscii(given) ? given : Buffer.from(given)) : given;
  const byte = typeof data === 'string' ? (i: number) => data.charCodeAt(i) : (i: number) => data[i];
  const length = data.length;
  let h = SEED ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = byte(i) | (byte(i + 1) << 8) | (byte(i + 2) << 16) | (byte(i + 3) << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  // the last one to three bytes (Java's switch falls through from case 3 to case 1)
  const rest = length & 3;
  if (rest === 3) h ^= byte(whole + 2) << 16;
  if (rest >= 2) h ^= byte(whole + 1) << 8;
  if (rest >= 1) {
    h ^= byte(whole);
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** The partition Kafka's default partitioner (Java's, kafkajs's, KeyPartitioner) gives a key: positive murmur2 modulo the count. */
export function partitionOfKey(key: string | Buffer, partitionCount: number): number {
  return (murmur2(key) & 0x7fffffff) % partitionCount;
}

/**
 * kafkajs's DefaultPartitioner for keyed records (partition = positive murmur2 of the key modulo the topic's
 * partition count, as the Java client assigns them), with the hash above and without the list of available
 * partitions it builds for every record. Records without a key go to kafkajs's own (round-robin).
 */
export const KeyPartitioner: ICustomPartitioner = () => {
  const unkeyed = Partitioners.DefaultPartitioner();
  return (args) => {
    const { message, partitionMetadata } = args;
    if (message.partition !== null && message.partition !== undefined) return message.partition;
    if (message.key !== null && message.key !== undefined) return partitionOfKey(message.key, partitionMetadata.length);
    return unkeyed(args);
  };
};
