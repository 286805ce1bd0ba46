import { classifyFailure } from './failure';
import { RecordHeldBackError } from './record-errors';

/** What became of records sent together, in their order. */
export interface PublishOutcomes<T> {
  /** acknowledged by the broker */
  published: T[];
  /** failed deterministically: sending them again fails again, so they are parked with their error */
  parked: { record: T; error: Error }[];
  /** not sent because an earlier record of their key failed: they go out after it */
  heldBack: T[];
  /** the first transient failure (broker down, timeout): the caller backs off; its records are sent again */
  transient?: Error;
}

/** Sorts the settled sends of `records` (same order) into published, parked, held back and transient. */
export function sortPublishOutcomes<T>(records: T[], results: PromiseSettledResult<unknown>[]): PublishOutcomes<T> {
  const outcomes: PublishOutcomes<T> = { published: [], parked: [], heldBack: [] };
  records.forEach((record, i) => {
    const result = results[i];
    if (result.status === 'fulfilled') outcomes.published.push(record);
    else if (result.reason instanceof RecordHeldBackError) outcomes.heldBack.push(record);
    else if (classifyFailure(result.reason) === 'deterministic') outcomes.parked.push({ record, error: result.reason as Error });
    else outcomes.transient ??= result.reason as Error;
  });
  return outcomes;
}
