import { EntityManager } from 'typeorm';
import { DomainError } from '@scimflow/provisioning';

/**
 * Runs `work` inside the caller's transaction under a savepoint: if it fails, its writes are rolled back and the
 * transaction goes on without them (the failure is thrown on), so one command of a batch can fail alone.
 */
export async function withinSavepoint<T>(em: EntityManager, work: () => Promise<T>): Promise<T> {
  await em.query('SAVEPOINT unit_of_work');
  let result: T;
  try {
    result = await work();
  } catch (e) {
    await em.query('ROLLBACK TO SAVEPOINT unit_of_work');
    throw e;
  }
  await em.query('RELEASE SAVEPOINT unit_of_work');
  return result;
}

/** What a violated constraint means: the domain error to raise, given the database's detail (it names the key). */
export type Violations = Record<string, (detail: string) => DomainError>;

/** SQLSTATE class 23: integrity constraint violations (unique, foreign key, check). */
const INTEGRITY_CONSTRAINT_VIOLATION = /^23/;

/**
 * Runs a statement and raises the domain error of a constraint it violated (by the constraint's name); any other
 * failure goes on as it is. Constraint names and driver codes stay in the store that owns the table.
 */
export async function raisingDomainErrors<T>(violations: Violations, statement: () => Promise<T>): Promise<T> {
  try {
    return await statement();
  } catch (e) {
    const { code, constraint, detail } = e as { code?: unknown; constraint?: unknown; detail?: unknown };
    const meaning =
      typeof code === 'string' && INTEGRITY_CONSTRAINT_VIOLATION.test(code) && typeof constraint === 'string' && Object.hasOwn(violations, constraint)
        ? violations[constraint]
        : undefined;
    if (meaning) throw meaning(typeof detail === 'string' ? detail : '');
    throw e;
  }
}

/** Of the rows a statement wrote, the one a violation's detail names (Postgres quotes the key's values), else the first. */
export function rowNamed<R>(rows: R[], detail: string, value: (row: R) => string): R {
  return rows.find((r) => detail.includes(value(r))) ?? rows[0];
}
