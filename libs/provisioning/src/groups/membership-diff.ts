import { MembershipDiff } from '@scimflow/contracts';

export type { MembershipDiff } from '@scimflow/contracts';

/** At most this many member ids go into one group-changed event; a larger diff is split over several events. */
export const MAX_MEMBER_IDS_PER_EVENT = 1000;

/**
 * Accumulates what each SQL step reported into the command's net diff: a user added and then removed by the
 * same command (or removed and re-added) did not change membership.
 */
export class MembershipDiffBuilder {
  private readonly added = new Set<string>();
  private readonly removed = new Set<string>();

  recordAdded(userIds: Iterable<string>): this {
    for (const id of userIds) {
      if (this.removed.has(id)) this.removed.delete(id);
      else this.added.add(id);
    }
    return this;
  }

  recordRemoved(userIds: Iterable<string>): this {
    for (const id of userIds) {
      if (this.added.has(id)) this.added.delete(id);
      else this.removed.add(id);
    }
    return this;
  }

  /** ids sorted, so events and their order are deterministic */
  result(): MembershipDiff {
    return { added: [...this.added].sort(), removed: [...this.removed].sort() };
  }
}

export function isEmptyDiff(diff: MembershipDiff): boolean {
  return diff.added.length === 0 && diff.removed.length === 0;
}

/** Splits a diff into parts of at most `max` ids in all (added first); always at least one (maybe empty) part. */
export function chunkMembershipDiff(diff: MembershipDiff, max = MAX_MEMBER_IDS_PER_EVENT): MembershipDiff[] {
  if (!Number.isInteger(max) || max < 1) throw new RangeError('max must be a positive integer');
  const all = [...diff.added.map((id) => ({ id, added: true })), ...diff.removed.map((id) => ({ id, added: false }))];
  const parts: MembershipDiff[] = [];
  for (let i = 0; i < all.length; i += max) {
    const slice = all.slice(i, i + max);
    parts.push({ added: slice.filter((x) => x.added).map((x) => x.id), removed: slice.filter((x) => !x.added).map((x) => x.id) });
  }
  return parts.length ? parts : [{ added: [], removed: [] }];
}
