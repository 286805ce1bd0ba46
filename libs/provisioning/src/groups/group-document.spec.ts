import { GROUP_SCHEMA, groupMembers } from '@scimflow/scim';
import { memberIds, normalizeGroup } from './group-document';
import { U1, U2 } from './test-helpers';

describe('memberIds', () => {
  it.each([
    [undefined, []],
    [null, []],
    [[], []],
    [[null], []],
    [{ value: U1 }, [U1]],
    [
      [{ Value: U1 }, { VALUE: U2 }],
      [U1, U2],
    ],
    [
      [{ value: 'ext-1' }, { value: 'EXT-1' }],
      ['ext-1', 'EXT-1'],
    ], // only UUIDs are case-folded
  ])('%j → %j', (value, ids) => {
    expect(memberIds(value, 'members')).toEqual(ids);
  });

  it('reads back the members value groupMembers writes', () => {
    expect(groupMembers([U1, U2])).toEqual([{ value: U1 }, { value: U2 }]);
    expect(memberIds(groupMembers([U1, U2]), 'members')).toEqual([U1, U2]);
  });
});

describe('normalizeGroup', () => {
  it('returns the document without members and the member ids', () => {
    expect(normalizeGroup({ schemas: [GROUP_SCHEMA], displayName: 'Ops', members: [{ value: U2 }, { value: U1 }] }, 'create')).toEqual({
      document: { schemas: [GROUP_SCHEMA], displayName: 'Ops' },
      userIds: [U2, U1],
    });
  });
});
