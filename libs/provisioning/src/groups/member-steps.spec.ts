import { GROUP_SCHEMA } from '@scimflow/scim';
import { MemberStep, splitGroupPatch } from './member-steps';
import { errorOf, GROUP, ops, U1, U2, U3 } from './test-helpers';

describe('splitGroupPatch: the member operations Entra sends', () => {
  const cases: [string, object[], MemberStep[], number][] = [
    ['Add path members, several', [{ op: 'Add', path: 'members', value: [{ value: U1 }, { value: U2 }] }], [{ op: 'add', userIds: [U1, U2] }], 0],
    ['Add with $ref null (Entra tutorial)', [{ op: 'Add', path: 'members', value: [{ $ref: null, value: U1 }] }], [{ op: 'add', userIds: [U1] }], 0],
    ['Add of a single object', [{ op: 'add', path: 'members', value: { value: U1 } }], [{ op: 'add', userIds: [U1] }], 0],
    ['Add with type User', [{ op: 'add', path: 'members', value: [{ value: U1, type: 'user' }] }], [{ op: 'add', userIds: [U1] }], 0],
    ['Add with an empty list', [{ op: 'add', path: 'members', value: [] }], [{ op: 'add', userIds: [] }], 0],
    ['Remove by value filter', [{ op: 'Remove', path: `members[value eq "${U1}"]` }], [{ op: 'remove', userIds: [U1] }], 0],
    ['Remove by upper-case id', [{ op: 'Remove', path: `members[value eq "${U1.toUpperCase()}"]` }], [{ op: 'remove', userIds: [U1] }], 0],
    ['Remove by or-ed value filters', [{ op: 'remove', path: `members[value eq "${U1}" or value eq "${U2}"]` }], [{ op: 'remove', userIds: [U1, U2] }], 0],
    ['Remove by value filter, attribute case', [{ op: 'remove', path: `Members[Value eq "${U1}"]` }], [{ op: 'remove', userIds: [U1] }], 0],
    ['Remove with a value array', [{ op: 'Remove', path: 'members', value: [{ value: U1 }] }], [{ op: 'remove', userIds: [U1] }], 0],
    ['Remove with value array and $ref null', [{ op: 'Remove', path: 'members', value: [{ $ref: null, value: U2 }] }], [{ op: 'remove', userIds: [U2] }], 0],
    ['Remove without value', [{ op: 'Remove', path: 'members' }], [{ op: 'removeAll' }], 0],
    ['Remove with value null', [{ op: 'Remove', path: 'members', value: null }], [{ op: 'removeAll' }], 0],
    ['Replace path members', [{ op: 'Replace', path: 'members', value: [{ value: U3 }] }], [{ op: 'replace', userIds: [U3] }], 0],
    ['Replace path members with []', [{ op: 'Replace', path: 'members', value: [] }], [{ op: 'replace', userIds: [] }], 0],
    ['URN-qualified path', [{ op: 'add', path: `${GROUP_SCHEMA}:members`, value: [{ value: U1 }] }], [{ op: 'add', userIds: [U1] }], 0],
    ['no-path Add with members', [{ op: 'Add', value: { members: [{ value: U1 }] } }], [{ op: 'add', userIds: [U1] }], 0],
    [
      'no-path Replace with members and displayName',
      [{ op: 'Replace', value: { members: [{ value: U1 }], displayName: 'x' } }],
      [{ op: 'replace', userIds: [U1] }],
      1,
    ],
    ['no-path Replace with only the id', [{ op: 'Replace', value: { id: GROUP } }], [], 0],
    ['no-path Replace with the id in upper case', [{ op: 'Replace', value: { id: GROUP.toUpperCase(), displayName: 'x' } }], [], 1],
    ['displayName only', [{ op: 'Replace', path: 'displayName', value: 'x' }], [], 1],
    ['externalId remove', [{ op: 'remove', path: 'externalId' }], [], 1],
    [
      'several in order',
      [
        { op: 'Add', path: 'members', value: [{ value: U1 }] },
        { op: 'Remove', path: `members[value eq "${U2}"]` },
        { op: 'Replace', path: 'displayName', value: 'x' },
      ],
      [
        { op: 'add', userIds: [U1] },
        { op: 'remove', userIds: [U2] },
      ],
      1,
    ],
    [
      'duplicate ids collapse',
      [{ op: 'add', path: 'members', value: [{ value: U1 }, { value: U1.toUpperCase() }, { value: ` ${U1} ` }] }],
      [{ op: 'add', userIds: [U1] }],
      0,
    ],
    [
      'non-UUID ids are kept as given (the reconciler reports them unknown)',
      [{ op: 'add', path: 'members', value: [{ value: 'Abc' }] }],
      [{ op: 'add', userIds: ['Abc'] }],
      0,
    ],
  ];
  it.each(cases)('%s', (_name, operations, steps, attributeOps) => {
    const split = splitGroupPatch(ops(...operations), GROUP);
    expect(split.memberSteps).toEqual(steps);
    expect(split.attributeOps).toHaveLength(attributeOps);
  });

  it('leaves the no-path value without members and id for the PATCH engine', () => {
    const split = splitGroupPatch(ops({ op: 'Replace', value: { id: GROUP, members: [], displayName: 'x', externalId: 'y' } }), GROUP);
    expect(split.attributeOps[0].value).toEqual({ displayName: 'x', externalId: 'y' });
  });

  const invalid: [string, object, string][] = [
    ['a member type Group', { op: 'add', path: 'members', value: [{ value: U1, type: 'Group' }] }, 'invalidValue'],
    ['a member without value', { op: 'add', path: 'members', value: [{ display: 'x' }] }, 'invalidValue'],
    ['a blank member value', { op: 'add', path: 'members', value: [{ value: ' ' }] }, 'invalidValue'],
    ['a member that is a string', { op: 'add', path: 'members', value: [U1] }, 'invalidValue'],
    ['a member value that is a number', { op: 'add', path: 'members', value: [{ value: 1 }] }, 'invalidValue'],
    ['members.value path', { op: 'replace', path: 'members.value', value: U1 }, 'invalidPath'],
    ['members[…].display path', { op: 'replace', path: `members[value eq "${U1}"].display`, value: 'x' }, 'invalidPath'],
    ['add with a filter', { op: 'add', path: `members[value eq "${U1}"]`, value: { value: U1 } }, 'invalidPath'],
    ['a filter with and', { op: 'remove', path: `members[value eq "${U1}" and type eq "User"]` }, 'invalidPath'],
    ['a filter with co', { op: 'remove', path: 'members[value co "0"]' }, 'invalidPath'],
    ['a filter with a non-string value', { op: 'remove', path: 'members[value eq 1]' }, 'invalidPath'],
    ['a filter with not', { op: 'remove', path: `members[not (value eq "${U1}")]` }, 'invalidPath'],
    ['a no-path id of another resource', { op: 'replace', value: { id: 'other' } }, 'mutability'],
    ['a no-path id that is not a string', { op: 'replace', value: { id: 5 } }, 'mutability'],
  ];
  it.each(invalid)('rejects %s', (_name, op, scimType) => {
    const e = errorOf(() => splitGroupPatch(ops(op), GROUP));
    expect([e.status, e.scimType]).toEqual([400, scimType]);
  });
});
