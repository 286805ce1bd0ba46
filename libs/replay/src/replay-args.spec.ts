import { nextPartition, parseFrom, parseTo, partitionRanges, progressLine, rangeSize, ReplayArgumentError, ReplayTally } from './replay-args';

describe('parseFrom', () => {
  it.each<[string, object]>([
    ['2026-11-22T10:00:00Z', { kind: 'time', at: new Date('2026-11-22T10:00:00Z') }],
    ['2026-11-22', { kind: 'time', at: new Date('2026-11-22T00:00:00Z') }],
    ['beginning', { kind: 'time', at: new Date(0) }],
    ['0:15', { kind: 'offsets', offsets: new Map([[0, '15']]) }],
    [
      '0:15,3:0,11:9007199254740993',
      {
        kind: 'offsets',
        offsets: new Map([
          [0, '15'],
          [3, '0'],
          [11, '9007199254740993'],
        ]),
      },
    ],
  ])('%s', (value, expected) => expect(parseFrom(value)).toEqual(expected));

  it.each([undefined, '', 'yesterday', '0:', ':5', '0:1,0:2', '1h', '0:-1', '22/11/2026'])('rejects %p', (value) =>
    expect(() => parseFrom(value)).toThrow(ReplayArgumentError),
  );
});

describe('parseTo', () => {
  const from = parseFrom('2026-11-22T10:00:00Z');
  it('accepts a later timestamp and nothing', () => {
    expect(parseTo('2026-11-22T11:00:00Z', from)).toEqual(new Date('2026-11-22T11:00:00Z'));
    expect(parseTo(undefined, from)).toBeUndefined();
  });
  it.each(['2026-11-22T09:00:00Z', 'later'])('rejects %p', (v) => expect(() => parseTo(v, from)).toThrow(ReplayArgumentError));
  it('does not compare against offsets', () => expect(parseTo('2000-01-01T00:00:00Z', parseFrom('0:1'))).toEqual(new Date('2000-01-01T00:00:00Z')));
});

describe('partitionRanges', () => {
  const wm = [
    { partition: 1, low: '10', high: '20' },
    { partition: 0, low: '0', high: '5' },
  ];
  it('by time: the broker offsets, clamped, sorted by partition', () => {
    const r = partitionRanges(
      wm,
      parseFrom('beginning'),
      new Map([
        [0, '3'],
        [1, '2'],
      ]),
    );
    expect(r).toEqual([
      { partition: 0, start: '3', end: '5' },
      { partition: 1, start: '10', end: '20' },
    ]);
    expect(rangeSize(r)).toBe(12);
  });
  it('by offsets: partitions not named read nothing; starts past the end are clamped', () => {
    const r = partitionRanges(wm, parseFrom('1:25'));
    expect(r).toEqual([
      { partition: 0, start: '5', end: '5' },
      { partition: 1, start: '20', end: '20' },
    ]);
    expect(rangeSize(r)).toBe(0);
  });
});

describe('ReplayTally and progress', () => {
  it('counts per tenant and action', () => {
    const t = new ReplayTally();
    t.total = 3;
    t.count('t1', 'create', true);
    t.count('t1', 'create', false, 2);
    t.count('t2', 'patch', false, 1);
    expect(t.toJSON()).toMatchObject({
      total: 3,
      alreadyApplied: 1,
      applied: 2,
      events: 3,
      perTenant: { t1: { create: { alreadyApplied: 1, applied: 1 } }, t2: { patch: { alreadyApplied: 0, applied: 1 } } },
    });
  });
  it('renders counts and rate', () => {
    expect(progressLine('replay', 50, 200, 2000, 'x')).toBe('replay: 50/200 records (25%), 25/s, x');
    expect(progressLine('replay', 0, 0, 0)).toBe('replay: 0/0 records (100%), 0/s');
  });
});

describe('nextPartition (ordered merge)', () => {
  const t = (...ts: number[]) => ts.map((timestamp) => ({ timestamp }));
  it.each<[string, [number, number[]][], number[], number | 'wait' | 'done']>([
    [
      'lowest head timestamp wins',
      [
        [0, [30]],
        [1, [10, 40]],
        [2, [20]],
      ],
      [],
      1,
    ],
    [
      'ties go to the lower partition',
      [
        [2, [10]],
        [0, [10]],
      ],
      [],
      0,
    ],
    [
      'waits while an unfinished partition has nothing buffered',
      [
        [0, [10]],
        [1, []],
      ],
      [],
      'wait',
    ],
    [
      'a drained, fully fetched partition no longer counts',
      [
        [0, [10]],
        [1, []],
      ],
      [1],
      0,
    ],
    [
      'done when all are drained and fetched',
      [
        [0, []],
        [1, []],
      ],
      [0, 1],
      'done',
    ],
    [
      'the order within a partition is kept (only heads compete)',
      [
        [0, [50, 1]],
        [1, [40]],
      ],
      [],
      1,
    ],
  ])('%s', (_, queues, fetched, expected) => expect(nextPartition(new Map(queues.map(([p, q]) => [p, t(...q)])), new Set(fetched))).toBe(expected));
});
