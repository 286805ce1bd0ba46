import fc from 'fast-check';
import { KeyIsolation } from './key-isolation';

interface Item {
  key: string;
  n: number;
}

class Transient extends Error {
  code = 'ECONNRESET';
}

/** A consumer's handlers over an in-memory log of what happened, with scripted failures per item. */
function harness(
  failures: Map<number, ('transient' | 'deterministic')[]>,
  parkFails = false,
  unparked = new Set<string>(),
  heavy = new Set<number>(),
  held = new Set<number>(),
) {
  const log: string[] = [];
  const isolation = new KeyIsolation<Item>(
    {
      key: (i) => i.key,
      apply: async (i) => {
        const next = failures.get(i.n)?.shift();
        if (next === 'transient') throw new Transient(`transient ${i.n}`);
        if (next === 'deterministic') throw new TypeError(`bug ${i.n}`);
        log.push(`applied ${i.key}:${i.n}`);
      },
      reject: async (i, e) => void log.push(`rejected ${i.key}:${i.n} ${(e as Error).message}`),
      park: async (i, reason) => {
        if (parkFails) throw new Transient('store down');
        if (!reason && unparked.delete(i.key)) return false;
        log.push(reason?.kind === 'failed' ? `parked ${i.key}:${i.n} after ${reason.attempts}` : reason ? `deferred ${i.key}:${i.n}` : `waits ${i.key}:${i.n}`);
      },
      defer: (i) => heavy.has(i.n),
      hold: async (i) => {
        if (!held.has(i.n)) return false;
        log.push(`held ${i.key}:${i.n}`);
        return true;
      },
    },
    { transientAttempts: 3, retryBaseMs: 1, retryMaxMs: 2, keyConcurrency: 4 },
  );
  return { log, isolation };
}

const items = (spec: string) => spec.split(' ').map((s, n) => ({ key: s, n }));

describe('KeyIsolation', () => {
  it('applies every item in key order when nothing fails', async () => {
    const { log, isolation } = harness(new Map());
    await isolation.run(items('a b a c b'), new Set());
    expect(log.filter((l) => l.includes('a:'))).toEqual(['applied a:0', 'applied a:2']);
    expect(log).toHaveLength(5);
  });

  it('rejects a deterministic failure at once and goes on with its key', async () => {
    const { log, isolation } = harness(new Map([[0, ['deterministic']]]));
    await isolation.run(items('a a b'), new Set());
    expect(log).toEqual(expect.arrayContaining(['rejected a:0 bug 0', 'applied a:1', 'applied b:2']));
    expect(log.indexOf('rejected a:0 bug 0')).toBeLessThan(log.indexOf('applied a:1'));
  });

  it('retries a transient failure in place and applies it when it clears', async () => {
    const { log, isolation } = harness(new Map([[0, ['transient', 'transient']]]));
    await isolation.run(items('a a'), new Set());
    expect(log).toEqual(['applied a:0', 'applied a:1']);
  });

  it('parks an item still failing after the attempts, holds back its key only, and reports the key parked', async () => {
    const { log, isolation } = harness(new Map([[1, ['transient', 'transient', 'transient']]]));
    const parked = new Set<string>();
    await isolation.run(items('a a b a b'), parked);
    expect(log.filter((l) => l.includes('a:'))).toEqual(['applied a:0', 'parked a:1 after 3', 'waits a:3']);
    expect(log.filter((l) => l.includes('b:'))).toEqual(['applied b:2', 'applied b:4']);
    expect([...parked]).toEqual(['a']);
  });

  it('parks behind every item of a key that is parked already', async () => {
    const { log, isolation } = harness(new Map());
    await isolation.run(items('a b a'), new Set(['a']));
    expect(log).toEqual(expect.arrayContaining(['waits a:0', 'waits a:2', 'applied b:1']));
    expect(log).toHaveLength(3);
  });

  it('applies an item instead when its key was unparked meanwhile, and parks again after a new failure', async () => {
    const { log, isolation } = harness(new Map([[2, ['transient', 'transient', 'transient']]]), false, new Set(['a']));
    const parked = new Set(['a']);
    await isolation.run(items('a a a a'), parked);
    expect(log).toEqual(['applied a:0', 'applied a:1', 'parked a:2 after 3', 'waits a:3']);
    expect([...parked]).toEqual(['a']);
  });

  it("holds the items it is told to at their turn, parking their key's later items behind them, even behind a parked key", async () => {
    const { log, isolation } = harness(new Map(), false, new Set(), new Set(), new Set([1, 4]));
    await isolation.run(items('a a b a c'), new Set(['c']));
    expect(log.filter((l) => l.includes('a:'))).toEqual(['applied a:0', 'held a:1', 'waits a:3']);
    expect(log).toEqual(expect.arrayContaining(['applied b:2', 'held c:4']));
    expect(log).not.toContain('waits c:4');
  });

  it("defers the items it is told to, with their key's later items behind them; other keys go on", async () => {
    const { log, isolation } = harness(new Map(), false, new Set(), new Set([1]));
    const parked = new Set<string>();
    await isolation.run(items('a a b a'), parked);
    expect(log.filter((l) => l.includes('a:'))).toEqual(['applied a:0', 'deferred a:1', 'waits a:3']);
    expect(log).toContain('applied b:2');
    expect([...parked]).toEqual(['a']);
  });

  it('fails the call when parking fails (an outage), after every key settled', async () => {
    const { log, isolation } = harness(new Map([[0, ['transient', 'transient', 'transient']]]), true);
    await expect(isolation.run(items('a b'), new Set())).rejects.toThrow('store down');
    expect(log).toEqual(['applied b:1']);
  });

  it('property: each key sees its items in order; nothing is lost; nothing runs after a parked item of its key', async () => {
    const outcome = fc.constantFrom<'transient' | 'deterministic'>('transient', 'deterministic');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 1, maxLength: 30 }),
        fc.dictionary(fc.nat(29).map(String), fc.array(outcome, { maxLength: 4 })),
        async (keys, script) => {
          const failures = new Map(Object.entries(script).map(([n, f]) => [Number(n), [...f]]));
          const { log, isolation } = harness(failures);
          await isolation.run(
            keys.map((key, n) => ({ key, n })),
            new Set(),
          );
          expect(log).toHaveLength(keys.length);
          for (const key of new Set(keys)) {
            const mine = log.filter((l) => l.split(' ')[1].startsWith(`${key}:`));
            const ns = mine.map((l) => Number(l.split(' ')[1].split(':')[1]));
            expect(ns).toEqual([...ns].sort((x, y) => x - y));
            const parkedAt = mine.findIndex((l) => l.startsWith('parked'));
            if (parkedAt >= 0) expect(mine.slice(parkedAt + 1).every((l) => l.startsWith('waits'))).toBe(true);
          }
        },
      ),
      { seed: 15, numRuns: 200 },
    );
  });
});
