import { GROUP_SCHEMA } from '@scimflow/scim';
import { memberProjection, pick, renderGroup, renderMember, renderUserGroup, userGroupsProjection } from './group-render';

const ALL = ['value', '$ref', 'display', 'type'];

describe('memberProjection: which member sub-attributes a read returns (undefined: skip the membership table)', () => {
  const cases: [string, { attributes?: string[]; excludedAttributes?: string[] }, string[] | undefined][] = [
    ['default', {}, ALL],
    ['excludedAttributes=members (Entra)', { excludedAttributes: ['members'] }, undefined],
    ['excludedAttributes=Members (case)', { excludedAttributes: ['Members'] }, undefined],
    ['excludedAttributes=URN:members', { excludedAttributes: [`${GROUP_SCHEMA}:members`] }, undefined],
    ['excludedAttributes=displayName', { excludedAttributes: ['displayName'] }, ALL],
    ['excludedAttributes=members.display', { excludedAttributes: ['members.display'] }, ['value', '$ref', 'type']],
    ['attributes=displayName', { attributes: ['displayName'] }, undefined],
    ['attributes=members', { attributes: ['members'] }, ALL],
    ['attributes=members.value', { attributes: ['members.value'] }, ['value']],
    ['attributes=displayName,members.value,members.display', { attributes: ['displayName', 'members.value', 'members.display'] }, ['value', 'display']],
    ['attributes=id only', { attributes: ['id'] }, undefined],
  ];
  it.each(cases)('%s', (_name, opts, subs) => {
    expect(memberProjection(opts)).toEqual(subs);
  });
});

describe('userGroupsProjection', () => {
  const cases: [string, { attributes?: string[]; excludedAttributes?: string[] }, string[] | undefined][] = [
    ['default', {}, ALL],
    ['excludedAttributes=groups', { excludedAttributes: ['groups'] }, undefined],
    ['attributes=userName', { attributes: ['userName'] }, undefined],
    ['attributes=groups.display', { attributes: ['groups.display'] }, ['display']],
  ];
  it.each(cases)('%s', (_name, opts, subs) => {
    expect(userGroupsProjection(opts)).toEqual(subs);
  });
});

describe('rendering', () => {
  const base = 'https://scim.example/scim/v2/t1';
  it('renders a group with meta, never with members from the document', () => {
    expect(
      renderGroup(
        { id: 'g1', document: { schemas: [GROUP_SCHEMA], displayName: 'Ops', members: [{ value: 'stale' }] }, version: 4, created: 'c', lastModified: 'm' },
        base,
      ),
    ).toEqual({
      schemas: [GROUP_SCHEMA],
      id: 'g1',
      displayName: 'Ops',
      meta: { resourceType: 'Group', created: 'c', lastModified: 'm', location: `${base}/Groups/g1`, version: 'W/"4"' },
    });
  });
  it('renders members with the user’s displayName, else userName', () => {
    expect(renderMember({ userId: 'u1', displayName: 'Ada', userName: 'ada@x' }, base)).toEqual({
      value: 'u1',
      $ref: `${base}/Users/u1`,
      display: 'Ada',
      type: 'User',
    });
    expect(renderMember({ userId: 'u1', displayName: null, userName: 'ada@x' }, base).display).toBe('ada@x');
  });
  it('renders a user’s groups as direct memberships', () => {
    expect(renderUserGroup({ groupId: 'g1', displayName: 'Ops' }, base)).toEqual({ value: 'g1', $ref: `${base}/Groups/g1`, display: 'Ops', type: 'direct' });
  });
  it('pick keeps the named keys in that order', () => {
    expect(pick({ a: 1, b: 2, c: undefined }, ['c', 'b'])).toEqual({ b: 2 });
  });
});
