import { IHeaders, KafkaMessage } from 'kafkajs';

/** A consumed Kafka record with decoded headers. */
export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  timestamp: string;
}

export function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    const first = Array.isArray(v) ? v[0] : v;
    out[k] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  return out;
}

export function toRecord(topic: string, partition: number, m: KafkaMessage): ConsumedRecord {
  return {
    topic,
    partition,
    offset: m.offset,
    key: m.key ? m.key.toString('utf8') : null,
    value: m.value,
    headers: decodeHeaders(m.headers),
    timestamp: m.timestamp,
  };
}

/** Splits records into per-key runs, keeping offset order inside each run and first-seen order across runs. */
export function groupByKey(records: ConsumedRecord[]): ConsumedRecord[][] {
  const groups = new Map<string, ConsumedRecord[]>();
  for (const r of records) {
    const k = r.key ?? `\u0000offset:${r.offset}`; // keyless records have no ordering promise
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(r);
  }
  return [...groups.values()];
}

/** Runs `work` over items with at most `limit` in flight; rejects with the first error after all settle. */
export async function forEachConcurrently<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let firstError: unknown;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      try {
        await work(item);
      } catch (e) {
        firstError ??= e;
      }
    }
  });
  await Promise.all(lanes);
  if (firstError !== undefined) throw firstError;
}
