import type { UserAdminView } from '@scimflow/contracts/views';
import { filterUsers, scimView } from './user-filter';

const user = (userName: string, over: Partial<UserAdminView> = {}): UserAdminView => ({
  id: `id-${userName}`,
  userName,
  workEmail: `${userName}@contoso.example`,
  externalId: null,
  active: true,
  loginMethod: 'sso',
  origin: 'scim',
  linked: true,
  deletedAt: null,
  unmatchedRoles: [],
  version: 1,
  created: '2026-12-01T10:00:00.000Z',
  lastModified: '2026-12-02T10:00:00.000Z',
  ...over,
});

describe('the Users tab SCIM filter', () => {
  const users = [user('ada', { externalId: 'E1' }), user('grace', { active: false, workEmail: null }), user('Alan')];

  it('keeps every user without a filter', () => expect(filterUsers(users, '  ')).toHaveLength(3));

  it.each([
    ['userName sw "A"', ['ada', 'Alan']],
    ['active eq false', ['grace']],
    ['emails[type eq "work"].value co "contoso"', ['ada', 'Alan']],
    ['externalId eq "E1"', ['ada']],
    ['externalId eq "e1"', []],
    ['not (userName eq "ada") and emails pr', ['Alan']],
    ['meta.lastModified gt "2026-12-01T00:00:00Z"', ['ada', 'grace', 'Alan']],
  ])('%s', (filter, names) => expect(filterUsers(users, filter).map((u) => u.userName)).toEqual(names));

  it("refuses an invalid filter with the SCIM API's words", () => expect(() => filterUsers(users, 'userName eq')).toThrow(/filter/i));

  it('shows a user without a work email with no emails', () => expect(scimView(users[1]).emails).toEqual([]));
});
