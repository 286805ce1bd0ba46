import { NotifierConfig } from '@scimflow/config';
import { DeliveryLeases, DeliveryPurge, FinishResult, HeadDelivery, LeasedLane } from '@scimflow/persistence';
import { DeliverLane } from '../usecases/deliver-lane/deliver-lane.usecase';
import { DeadLetterPublisher } from './dead-letter-publisher';
import { DeliveryWorker } from './delivery-worker';

/**
 * The claim loop's scheduling, on an in-memory queue of due lanes (the SQL is tested end to end): every due lane
 * is delivered, never more at once than WEBHOOK_CONCURRENCY, and a finished lane costs another claim only when
 * due lanes may be waiting for its slot.
 */
class LaneQueue {
  due: string[] = [];
  claims: number[] = [];
  claim = async (_owner: string, limit: number): Promise<LeasedLane[]> => {
    this.claims.push(limit);
    return this.due.splice(0, Math.max(0, limit)).map((orderingKey) => ({ subscriptionId: 's', orderingKey, leaseToken: orderingKey }));
  };
  ready = async () => new Map<string, HeadDelivery[]>();
  purge = async () => ({ deliveries: 0, attempts: 0 });
}

const tick = () => new Promise((r) => setTimeout(r, 5));

async function until(check: () => boolean, ms = 2000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await tick();
  }
}

function worker(queue: LaneQueue, concurrency: number, pollMs = 60_000, deadLetterOn: string[] = []) {
  const config = Object.assign(new NotifierConfig(), { WEBHOOK_CONCURRENCY: concurrency, WEBHOOK_POLL_MS: pollMs, INSTANCE_ID: 'test' });
  const delivered: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const release: (() => void)[] = [];
  const deliverLane = {
    execute: async (lane: LeasedLane): Promise<FinishResult> => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise<void>((r) => release.push(r));
      inFlight--;
      delivered.push(lane.orderingKey);
      return { leaseLost: false, nextDue: false, deadLetterId: deadLetterOn.includes(lane.orderingKey) ? `dl-${lane.orderingKey}` : undefined };
    },
    drain: async () => undefined,
  } as unknown as DeliverLane;
  let deadLetterKicks = 0;
  const deadLetters = { kick: () => void deadLetterKicks++ } as unknown as DeadLetterPublisher;
  const w = new DeliveryWorker(config, queue as unknown as DeliveryLeases, queue as unknown as DeliveryPurge, deliverLane, deadLetters);
  return { w, delivered, release, maxInFlight: () => maxInFlight, deadLetterKicks: () => deadLetterKicks };
}

describe('DeliveryWorker claim loop', () => {
  it('kicks the dead-letter publisher after a lane turn that made a dead letter, and only then', async () => {
    const queue = new LaneQueue();
    queue.due = ['a', 'b'];
    const { w, delivered, release, deadLetterKicks } = worker(queue, 2, 60_000, ['b']);
    w.onApplicationBootstrap();
    try {
      await until(() => release.length === 2);
      release.shift()!();
      await until(() => delivered.length === 1);
      expect(deadLetterKicks()).toBe(0);
      release.shift()!();
      await until(() => delivered.length === 2);
      await tick();
      expect(deadLetterKicks()).toBe(1);
    } finally {
      await stop(w, release);
    }
  });

  it('delivers every due lane, at most WEBHOOK_CONCURRENCY at once, claiming again as slots free up', async () => {
    const queue = new LaneQueue();
    queue.due = ['a', 'b', 'c', 'd', 'e'];
    const { w, delivered, release, maxInFlight } = worker(queue, 2);
    w.onApplicationBootstrap();
    try {
      while (delivered.length < 5) {
        await until(() => release.length > 0);
        release.shift()!();
        await tick();
      }
      expect(delivered.sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(maxInFlight()).toBe(2);
    } finally {
      await stop(w, release);
    }
  });

  it('does not claim again when a lane finishes and nothing was waiting for its slot', async () => {
    const queue = new LaneQueue();
    queue.due = ['a'];
    const { w, delivered, release } = worker(queue, 4);
    w.onApplicationBootstrap();
    try {
      await until(() => release.length === 1);
      const claimsBefore = queue.claims.length;
      release.shift()!();
      await until(() => delivered.length === 1);
      await new Promise((r) => setTimeout(r, 50));
      expect(queue.claims.length).toBe(claimsBefore);

      // work queued by this instance nudges the loop at once
      queue.due = ['b'];
      w.nudge();
      await until(() => release.length === 1);
      expect(queue.claims.length).toBe(claimsBefore + 1);
    } finally {
      await stop(w, release);
    }
  });

  it('claims when a slot frees up if work was queued while every slot was busy', async () => {
    const queue = new LaneQueue();
    queue.due = ['a'];
    const { w, delivered, release } = worker(queue, 1);
    w.onApplicationBootstrap();
    try {
      await until(() => release.length === 1);
      queue.due = ['b'];
      w.nudge(); // no slot free: remembered
      await tick();
      release.shift()!();
      await until(() => delivered.length === 1 && release.length === 1);
      release.shift()!();
      await until(() => delivered.length === 2);
      expect(delivered).toEqual(['a', 'b']);
    } finally {
      await stop(w, release);
    }
  });
});

async function stop(w: DeliveryWorker, release: (() => void)[]) {
  const stopping = w.onApplicationShutdown();
  while (release.length) release.shift()!();
  await Promise.race([stopping, new Promise((r) => setTimeout(r, 1000))]);
}
