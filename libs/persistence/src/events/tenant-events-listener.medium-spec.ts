import { useDatabase } from '../../../../test/support/medium/database';
import { TENANT_EVENTS_CHANNEL } from './tenant-events';
import { TenantEventsListener, TenantEventsSignal } from './tenant-events-listener';

const db = useDatabase();

/** Resolves with the next value pushed, or rejects after 5 s. */
function nextOf<T>(): { push: (v: T) => void; next: () => Promise<T> } {
  const queue: T[] = [];
  let wake: (() => void) | undefined;
  return {
    push: (v) => {
      queue.push(v);
      wake?.();
    },
    next: async () => {
      const deadline = Date.now() + 5000;
      while (!queue.length) {
        if (Date.now() > deadline) throw new Error('nothing arrived within 5 s');
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 100);
        });
      }
      return queue.shift()!;
    },
  };
}

describe('TenantEventsListener (Postgres)', () => {
  it('hands over the tenants the relay names, or all of them, until closed', async () => {
    const signals = nextOf<TenantEventsSignal>();
    const lost = nextOf<Error>();
    const listener = new TenantEventsListener(process.env.DATABASE_URL!, signals.push, lost.push);
    await listener.listen();
    try {
      await db().query(`SELECT pg_notify($1, $2)`, [TENANT_EVENTS_CHANNEL, 't1,t2']);
      expect(await signals.next()).toEqual(['t1', 't2']);
      await db().query(`SELECT pg_notify($1, $2)`, ['another_channel', 't3']);
      await db().query(`SELECT pg_notify($1, '*')`, [TENANT_EVENTS_CHANNEL]);
      expect(await signals.next()).toBe('all');
    } finally {
      await listener.close();
    }
  });

  it('says when its connection is lost', async () => {
    const lost = nextOf<Error>();
    const listener = new TenantEventsListener(process.env.DATABASE_URL!, () => undefined, lost.push);
    await listener.listen();
    await db().query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'scimflow-events-listen' AND datname = current_database()`,
    );
    expect(await lost.next()).toBeInstanceOf(Error);
    await listener.close().catch(() => undefined); // already broken: ending it may fail
  });

  it('rejects when it cannot connect', async () => {
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = '/scimflow_medium_no_such_database';
    const listener = new TenantEventsListener(
      url.toString(),
      () => undefined,
      () => undefined,
    );
    await expect(listener.listen()).rejects.toThrow(/does not exist/);
    await listener.close().catch(() => undefined);
  });
});
