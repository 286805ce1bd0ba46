import { DataSource, EntityManager } from 'typeorm';

const DAY_MS = 86_400_000;

/** The UTC day `at` falls in, as 00:00 of that day. */
export function utcDay(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

/** A partition to create: its name and the range of `at` it holds, [from, to). */
export interface DayPartition {
  name: string;
  from: Date;
  to: Date;
}

/**
 * A table range-partitioned by a timestamp, one partition per UTC day named `<parent>_pYYYYMMDD`: created ahead,
 * dropped once their whole day is past retention. Maintenance runs in a transaction holding the table's advisory lock,
 * so the processes that maintain the same table take turns.
 */
export class DailyPartitions {
  private readonly pattern: RegExp;

  /** `lockId`: any constant, distinct per table. */
  constructor(
    readonly parent: string,
    private readonly lockId: number,
  ) {
    if (!/^[a-z_]+$/.test(parent)) throw new RangeError(`not a table name: ${parent}`);
    this.pattern = new RegExp(`^${parent}_p(\\d{4})(\\d{2})(\\d{2})$`);
  }

  /** The partition holding `day`. */
  nameOf(day: Date): string {
    return `${this.parent}_p${utcDay(day).toISOString().slice(0, 10).replace(/-/g, '')}`;
  }

  /** The day a partition holds, from its name; undefined for a name not made here. */
  dayOf(name: string): Date | undefined {
    const m = this.pattern.exec(name);
    return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  }

  /** The partitions of the day before `now` through `daysAhead` days after it that are not in `existing`. */
  missing(existing: readonly string[], now: Date, daysAhead: number): DayPartition[] {
    const have = new Set(existing);
    const out: DayPartition[] = [];
    for (let d = -1; d <= daysAhead; d++) {
      const from = new Date(utcDay(now).getTime() + d * DAY_MS);
      const name = this.nameOf(from);
      if (!have.has(name)) out.push({ name, from, to: new Date(from.getTime() + DAY_MS) });
    }
    return out;
  }

  /** Those of `names` whose whole day ended `retentionDays` or more before `now`. */
  expired(names: readonly string[], now: Date, retentionDays: number): string[] {
    const cutoff = now.getTime() - retentionDays * DAY_MS;
    return names.filter((name) => {
      const day = this.dayOf(name);
      return day !== undefined && day.getTime() + DAY_MS <= cutoff;
    });
  }

  /** Creates the missing partitions of the day before `now` through `daysAhead` days after it. Returns those created. */
  ensure(ds: DataSource, now: Date, daysAhead: number): Promise<string[]> {
    return this.maintain(ds, async (em) => {
      const created: string[] = [];
      for (const p of this.missing(await this.names(em), now, daysAhead)) {
        await em.query(`CREATE TABLE ${p.name} PARTITION OF ${this.parent} FOR VALUES FROM ('${p.from.toISOString()}') TO ('${p.to.toISOString()}')`);
        created.push(p.name);
      }
      return created;
    });
  }

  /**
   * Drops the expired partitions (see `expired`). `retentionDays` is read under the lock, in the same transaction;
   * `beforeDrop` runs there before each partition goes. Returns those dropped.
   */
  dropExpired(
    ds: DataSource,
    now: Date,
    retentionDays: (em: EntityManager) => Promise<number>,
    beforeDrop?: (em: EntityManager, partition: string) => Promise<void>,
  ): Promise<string[]> {
    return this.maintain(ds, async (em) => {
      const dropped: string[] = [];
      for (const name of this.expired(await this.names(em), now, await retentionDays(em))) {
        if (beforeDrop) await beforeDrop(em, name);
        await em.query(`DROP TABLE ${name}`);
        dropped.push(name);
      }
      return dropped;
    });
  }

  /** Names of the existing partitions, oldest first. */
  async names(em: EntityManager): Promise<string[]> {
    const rows: { name: string }[] = await em.query(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '${this.parent}'::regclass ORDER BY c.relname`,
    );
    return rows.map((r) => r.name).filter((n) => this.pattern.test(n));
  }

  private maintain<T>(ds: DataSource, work: (em: EntityManager) => Promise<T>): Promise<T> {
    return ds.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(${this.lockId})`);
      return work(em);
    });
  }
}
