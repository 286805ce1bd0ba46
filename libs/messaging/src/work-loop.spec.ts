import { WorkLoop, WorkLoopHost, WorkLoopOptions } from './work-loop';

const POLL = 1000;

/** A loop whose rounds answer from `answers` (true: found work; an Error: fails), then find nothing. */
function loop(answers: (boolean | Error)[] = [], options: Partial<WorkLoopOptions> = {}) {
  const warnings: string[] = [];
  let rounds = 0;
  const l = new WorkLoop({
    name: 'testing',
    pollMs: POLL,
    logger: { warn: (m) => void warnings.push(m) },
    round: async () => {
      const answer = answers[rounds++] ?? false;
      if (answer instanceof Error) throw answer;
      return answer;
    },
    ...options,
  });
  return { l, warnings, rounds: () => rounds };
}

/** A loop whose every round waits for the test: `finish(again)` ends the round under way. */
function held() {
  let finishRound: (again: boolean) => void = () => undefined;
  let rounds = 0;
  const l = new WorkLoop({
    name: 'testing',
    pollMs: POLL,
    logger: { warn: () => undefined },
    round: () => {
      rounds++;
      return new Promise<boolean>((r) => (finishRound = r));
    },
  });
  return { l, rounds: () => rounds, finish: (again: boolean) => finishRound(again) };
}

/** Runs what is due now, timers and promises, without moving the clock. */
const settle = () => jest.advanceTimersByTimeAsync(0);

describe('WorkLoop', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('goes round again at once while rounds find work, then rests the poll interval', async () => {
    const { l, rounds } = loop([true, true, false]);
    l.start();
    await settle();
    expect(rounds()).toBe(3);
    await jest.advanceTimersByTimeAsync(POLL - 1);
    expect(rounds()).toBe(3);
    await jest.advanceTimersByTimeAsync(1);
    expect(rounds()).toBe(4);
    await l.stop();
  });

  it('a kick during a rest starts a round at once', async () => {
    const { l, rounds } = loop();
    l.start();
    await settle();
    expect(rounds()).toBe(1);
    await jest.advanceTimersByTimeAsync(10);
    l.kick();
    await settle();
    expect(rounds()).toBe(2);
    await l.stop();
  });

  it('a kick during a round is kept: the rest after it ends at once, and only that one', async () => {
    const { l, rounds, finish } = held();
    l.start();
    await settle();
    l.kick();
    finish(false);
    await settle();
    expect(rounds()).toBe(2);
    finish(false);
    await jest.advanceTimersByTimeAsync(POLL - 1);
    expect(rounds()).toBe(2);
    await jest.advanceTimersByTimeAsync(1);
    expect(rounds()).toBe(3);
    finish(false);
    await l.stop();
  });

  it('a kick before a round started is spent by that round', async () => {
    const { l, rounds } = loop();
    l.kick();
    l.start();
    await settle();
    expect(rounds()).toBe(1);
    await jest.advanceTimersByTimeAsync(POLL - 1);
    expect(rounds()).toBe(1);
    await l.stop();
  });

  it('logs a failing round and goes on after the poll interval or a kick when no retry delay is set', async () => {
    const { l, rounds, warnings } = loop([new Error('database down'), new Error('still down')]);
    l.start();
    await settle();
    expect(warnings).toEqual([`testing failed (database down); next round in ${POLL} ms or when kicked`]);
    await jest.advanceTimersByTimeAsync(POLL);
    expect(rounds()).toBe(2);
    l.kick();
    await settle();
    expect(rounds()).toBe(3);
    expect(warnings).toHaveLength(2);
    await l.stop();
  });

  it('after a failing round, rests the retry delay of the failures in a row, not cut short by a kick', async () => {
    const delays: number[] = [];
    const retryDelayMs = (failures: number) => (delays.push(failures), 100 * failures);
    const { l, rounds, warnings } = loop([new Error('a'), new Error('b'), true, new Error('c')], { retryDelayMs });
    l.start();
    await settle();
    expect(rounds()).toBe(1);
    l.kick();
    await jest.advanceTimersByTimeAsync(99);
    expect(rounds()).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(rounds()).toBe(2);
    await jest.advanceTimersByTimeAsync(200);
    // the third round found work, so the fourth ran at once, failed, and counts as the first failure again
    expect(rounds()).toBe(4);
    expect(delays).toEqual([1, 2, 1]);
    expect(warnings[0]).toBe('testing failed (a); next round in 100 ms');
    await l.stop();
  });

  it('stop waits for the round under way and starts no other', async () => {
    const { l, rounds, finish } = held();
    l.start();
    await settle();
    let stopped = false;
    const stopping = l.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    finish(true);
    await stopping;
    expect(rounds()).toBe(1);
  });

  it('stop ends a rest at once, an idle one or one after a failure', async () => {
    const idle = loop();
    idle.l.start();
    await settle();
    await idle.l.stop(); // resolves without the clock moving
    const failing = loop([new Error('down')], { retryDelayMs: () => 60_000 });
    failing.l.start();
    await settle();
    await failing.l.stop();
    await jest.advanceTimersByTimeAsync(120_000);
    expect(idle.rounds()).toBe(1);
    expect(failing.rounds()).toBe(1);
  });

  it('start twice runs one loop; stop before start resolves', async () => {
    const { l, rounds } = loop();
    await l.stop();
    l.start();
    l.start();
    await settle();
    expect(rounds()).toBe(1);
    await l.stop();
  });
});

describe('WorkLoopHost', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  class Host extends WorkLoopHost {
    constructor(protected readonly work: WorkLoop) {
      super();
    }
  }

  it('runs its loop from application bootstrap to shutdown; a kick starts a round without waiting for the poll', async () => {
    const { l, rounds } = loop();
    const host = new Host(l);
    await settle();
    expect(rounds()).toBe(0);
    host.onApplicationBootstrap();
    await settle();
    expect(rounds()).toBe(1);
    host.kick();
    await settle();
    expect(rounds()).toBe(2);
    await host.onApplicationShutdown();
    host.kick();
    await jest.advanceTimersByTimeAsync(POLL * 2);
    expect(rounds()).toBe(2);
  });
});
