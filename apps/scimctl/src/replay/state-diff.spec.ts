import { parseRebuildArgs } from '../verbs/rebuild.verbs';
import { diffState, rebuildSchemaName, StateRow } from './state-diff';

const user = (id: string, fields: Record<string, unknown>): StateRow => ({ kind: 'user', id, fields });

describe('diffState', () => {
  it.each<[string, StateRow[], StateRow[], object[]]>([
    ['equal', [user('a', { active: true, document: { x: 1, y: 2 } })], [user('a', { active: true, document: { y: 2, x: 1 } })], []],
    ['only live', [user('a', {})], [], [{ kind: 'user', id: 'a', difference: 'only-live' }]],
    ['only rebuilt', [], [{ kind: 'membership', id: 'g/u', fields: {} }], [{ kind: 'membership', id: 'g/u', difference: 'only-rebuilt' }]],
    [
      'a field differs',
      [user('a', { active: true, version: 2 })],
      [user('a', { active: false, version: 2 })],
      [{ kind: 'user', id: 'a', difference: 'differs', fields: { active: { live: true, rebuilt: false } } }],
    ],
    [
      'a field missing on one side',
      [user('a', { x: 1 })],
      [user('a', {})],
      [{ kind: 'user', id: 'a', difference: 'differs', fields: { x: { live: 1, rebuilt: undefined } } }],
    ],
    [
      'array order matters',
      [user('a', { emails: [1, 2] })],
      [user('a', { emails: [2, 1] })],
      [{ kind: 'user', id: 'a', difference: 'differs', fields: { emails: { live: [1, 2], rebuilt: [2, 1] } } }],
    ],
  ])('%s', (_, live, rebuilt, expected) => expect(diffState(live, rebuilt)).toEqual(expected));

  it('orders by kind then id', () =>
    expect(diffState([user('b', {}), { kind: 'group', id: 'z', fields: {} }, user('a', {})], []).map((d) => `${d.kind}:${d.id}`)).toEqual([
      'group:z',
      'user:a',
      'user:b',
    ]));
});

describe('rebuildSchemaName', () => {
  it('is short, lower-case and safe', () => expect(rebuildSchemaName('4F0E0000-0000-4000-8000-000000000001', 'a1b2c3')).toBe('rebuild_4f0e0000_a1b2c3'));
  it('refuses an unsafe suffix', () => expect(() => rebuildSchemaName('t', 'x"; DROP')).toThrow());
});

describe('parseRebuildArgs', () => {
  it('reads --tenant and --keep', () => expect(parseRebuildArgs(['--tenant', 't', '--keep'])).toEqual({ tenantId: 't', keep: true }));
  it.each([[[]], [['--keep']], [['--tenant', 't', 'x']], [['--tenant', 't', '--from', 'x']]])('rejects %p', (args) =>
    expect(() => parseRebuildArgs(args)).toThrow(),
  );
});
