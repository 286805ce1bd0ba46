import { chunkMembershipDiff, isEmptyDiff, MembershipDiff, MembershipDiffBuilder } from './membership-diff';
import { U1, U2, U3 } from './test-helpers';

describe('MembershipDiffBuilder: the net effect of a command’s steps', () => {
  const cases: [string, (b: MembershipDiffBuilder) => void, MembershipDiff][] = [
    ['nothing', () => undefined, { added: [], removed: [] }],
    ['added', (b) => b.recordAdded([U2, U1]), { added: [U1, U2], removed: [] }],
    ['removed', (b) => b.recordRemoved([U3]), { added: [], removed: [U3] }],
    ['added then removed: no change', (b) => b.recordAdded([U1]).recordRemoved([U1]), { added: [], removed: [] }],
    ['removed then added back: no change', (b) => b.recordRemoved([U1]).recordAdded([U1]), { added: [], removed: [] }],
    ['replace: remove others, add new', (b) => b.recordRemoved([U1, U2]).recordAdded([U3]), { added: [U3], removed: [U1, U2] }],
    ['remove all then re-add one', (b) => b.recordRemoved([U1, U2, U3]).recordAdded([U2]), { added: [], removed: [U1, U3] }],
    ['added, removed, added again', (b) => b.recordAdded([U1]).recordRemoved([U1]).recordAdded([U1]), { added: [U1], removed: [] }],
    ['repeated reports are idempotent', (b) => b.recordAdded([U1]).recordAdded([U1]), { added: [U1], removed: [] }],
  ];
  it.each(cases)('%s', (_name, steps, diff) => {
    const b = new MembershipDiffBuilder();
    steps(b);
    expect(b.result()).toEqual(diff);
    expect(isEmptyDiff(b.result())).toBe(diff.added.length + diff.removed.length === 0);
  });
});

describe('chunkMembershipDiff', () => {
  const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(5, '0')}`);
  const cases: [string, MembershipDiff, number, number[][]][] = [
    ['empty: one empty part', { added: [], removed: [] }, 3, [[0, 0]]],
    ['fits', { added: ids('a', 2), removed: ids('r', 1) }, 3, [[2, 1]]],
    [
      'added spill into a second part',
      { added: ids('a', 4), removed: [] },
      3,
      [
        [3, 0],
        [1, 0],
      ],
    ],
    [
      'added first, then removed',
      { added: ids('a', 2), removed: ids('r', 3) },
      3,
      [
        [2, 1],
        [0, 2],
      ],
    ],
    [
      'exact multiple',
      { added: ids('a', 6), removed: [] },
      3,
      [
        [3, 0],
        [3, 0],
      ],
    ],
    ['50,000 removed at 1,000 per part', { added: [], removed: ids('r', 50_000) }, 1000, Array.from({ length: 50 }, () => [0, 1000])],
  ];
  it.each(cases)('%s', (_name, diff, max, shape) => {
    const parts = chunkMembershipDiff(diff, max);
    expect(parts.map((p) => [p.added.length, p.removed.length])).toEqual(shape);
    expect(parts.flatMap((p) => p.added)).toEqual(diff.added);
    expect(parts.flatMap((p) => p.removed)).toEqual(diff.removed);
  });
  it('rejects a non-positive size', () => {
    expect(() => chunkMembershipDiff({ added: [], removed: [] }, 0)).toThrow(RangeError);
  });
});
