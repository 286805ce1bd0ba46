import {
  buildDirectory,
  changePatch,
  countByWhat,
  Directory,
  DirectoryUser,
  ENTERPRISE,
  intendedUser,
  matchedUserPatch,
  membersPatch,
  observedUser,
  planIncremental,
  userDifferences,
  userResource,
  workEmailFilter,
} from './entra-directory';

const shape = { users: 400, groups: 12, membershipsPerUser: 4, importedShare: 0.1, seed: 7 };
const userOf = (d: Directory, key: number) => d.users.get(key)!;

describe('the simulated Entra directory', () => {
  it('is the same for the same seed and differs for another', () => {
    expect(JSON.stringify([...buildDirectory(shape).users.values()])).toBe(JSON.stringify([...buildDirectory(shape).users.values()]));
    expect(JSON.stringify([...buildDirectory({ ...shape, seed: 8 }).users.values()])).not.toBe(JSON.stringify([...buildDirectory(shape).users.values()]));
  });

  it('has the shape asked for: every user in exactly membershipsPerUser groups, managers earlier users, some imported', () => {
    const d = buildDirectory(shape);
    expect(d.users.size).toBe(400);
    expect(d.groups).toHaveLength(12);
    for (const u of d.users.values()) {
      expect(d.groups.filter((g) => g.members.has(u.key))).toHaveLength(4);
      if (u.managerKey !== undefined) expect(u.managerKey).toBeLessThan(u.key);
    }
    const imported = [...d.users.values()].filter((u) => u.importedAs);
    expect(imported.length).toBeGreaterThan(20);
    expect(imported.length).toBeLessThan(60);
    const sameUserName = imported.filter((u) => u.importedAs === u.userName).length;
    expect(sameUserName).toBeGreaterThan(5);
    expect(imported.length - sameUserName).toBeGreaterThan(5);
    expect([...d.users.values()].some((u) => !u.mobile) && [...d.users.values()].some((u) => u.mobile)).toBe(true);
    expect(new Set(d.groups.map((g) => g.displayName)).size).toBe(12);
  });

  it('caps memberships per user at the number of groups', () => {
    const d = buildDirectory({ ...shape, users: 10, groups: 3, membershipsPerUser: 10 });
    for (const g of d.groups) expect(g.members.size).toBe(10);
  });
});

describe('an incremental cycle', () => {
  const before = buildDirectory(shape);
  const { plan, after } = planIncremental(before, shape.seed);

  it('changes each user in one way at most, and leaves the initial directory as it was', () => {
    const keys = plan.users.map((c) => c.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(JSON.stringify([...buildDirectory(shape).users.values()])).toBe(JSON.stringify([...before.users.values()]));
  });

  it('carries every kind of change', () => {
    expect(new Set(plan.users.map((c) => c.kind))).toEqual(
      new Set([
        'title and department',
        'mobile added',
        'mobile changed',
        'work address added',
        'work email changed',
        'manager changed',
        'manager removed',
        'disabled',
        'roles changed',
        'deleted',
        'created',
      ]),
    );
    expect(plan.memberships.some((m) => m.added.length) && plan.memberships.some((m) => m.removed.length)).toBe(true);
  });

  it('adds a mobile or a work address only to users that had none, and the directory after has them', () => {
    for (const c of plan.users) {
      if (c.kind === 'mobile added') {
        expect(userOf(before, c.key).mobile).toBeUndefined();
        expect(userOf(after, c.key).mobile).toBe(c.mobile);
      }
      if (c.kind === 'work address added') {
        expect(userOf(before, c.key).workAddress).toBeUndefined();
        expect(userOf(after, c.key).workAddress).toEqual({ streetAddress: c.streetAddress });
      }
      if (c.kind === 'disabled') expect([userOf(before, c.key).active, userOf(after, c.key).active]).toEqual([true, false]);
      if (c.kind === 'roles changed') expect(userOf(after, c.key).roles).toEqual(c.roles);
      if (c.kind === 'manager removed') expect(userOf(after, c.key).managerKey).toBeUndefined();
    }
  });

  it('deletes only users that manage nobody, drops their memberships, and points no change at them', () => {
    const deleted = new Set(plan.users.filter((c) => c.kind === 'deleted').map((c) => c.key));
    expect(deleted.size).toBeGreaterThan(0);
    for (const k of deleted) expect(after.users.has(k)).toBe(false);
    for (const u of after.users.values()) expect(u.managerKey === undefined || !deleted.has(u.managerKey)).toBe(true);
    for (const g of after.groups) for (const k of deleted) expect(g.members.has(k)).toBe(false);
    for (const m of plan.memberships) for (const k of [...m.added, ...m.removed]) expect(deleted.has(k)).toBe(false);
  });

  it('removes memberships that existed and adds ones that did not; new users join groups', () => {
    for (const m of plan.memberships) {
      for (const k of m.removed) expect([before.groups[m.group].members.has(k), after.groups[m.group].members.has(k)]).toEqual([true, false]);
      for (const k of m.added) expect([before.groups[m.group].members.has(k), after.groups[m.group].members.has(k)]).toEqual([false, true]);
    }
    const created = plan.users.filter((c) => c.kind === 'created').map((c) => c.key);
    for (const k of created) expect(after.groups.some((g) => g.members.has(k))).toBe(true);
  });
});

describe('the requests as Entra sends them without aadOptscim062020', () => {
  const d = buildDirectory(shape);
  const u: DirectoryUser = {
    ...userOf(d, 5),
    mobile: '+44 7700 000001',
    workAddress: { streetAddress: '1 High Street', locality: 'London' },
    roles: ['Admin'],
  };

  it('disables with the string "False" and capitalised ops', () => {
    expect(changePatch({ kind: 'disabled', key: 5 }, () => undefined)).toEqual([{ op: 'Replace', path: 'active', value: 'False' }]);
    expect(changePatch({ kind: 'mobile added', key: 5, mobile: 'm' }, () => undefined)).toEqual([
      { op: 'Replace', path: 'phoneNumbers[type eq "mobile"].value', value: 'm' },
    ]);
    expect(changePatch({ kind: 'manager removed', key: 5 }, () => undefined)).toEqual([{ op: 'Remove', path: `${ENTERPRISE}:manager` }]);
  });

  it('removes members with a value array, not a filtered path', () => {
    expect(membersPatch('Remove', ['a', 'b'])).toEqual([{ op: 'Remove', path: 'members', value: [{ value: 'a' }, { value: 'b' }] }]);
  });

  it('matches by work email with a value-path filter, and updates the match through filtered paths', () => {
    expect(workEmailFilter(u)).toBe(`emails[type eq "work"].value eq "${u.workEmail}"`);
    const paths = matchedUserPatch(u, 'mgr-id').map((o) => o.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'userName',
        'phoneNumbers[type eq "mobile"].value',
        'addresses[type eq "work"].streetAddress',
        'addresses[type eq "work"].locality',
        `${ENTERPRISE}:manager`,
        'roles',
      ]),
    );
    expect(matchedUserPatch(u).find((o) => o.path === 'active')?.value).toBe('True');
  });

  it('creates without phoneNumbers or addresses when the user has none', () => {
    const bare = { ...u, mobile: undefined, workAddress: undefined };
    expect(userResource(bare)).not.toHaveProperty('phoneNumbers');
    expect(userResource(bare)).not.toHaveProperty('addresses');
  });
});

describe('the consistency check', () => {
  const d = buildDirectory(shape);
  const u: DirectoryUser = {
    ...userOf(d, 9),
    mobile: '+44 7700 000002',
    workAddress: { streetAddress: '2 Mill Street' },
    managerKey: 3,
    roles: ['Auditor', 'Admin'],
  };
  const managerId = (k: number) => `id-${k}`;

  it('finds no difference in a user read back as it was created', () => {
    expect(userDifferences('u', intendedUser(u, managerId), observedUser({ id: 'x', ...userResource(u, 'id-3') }))).toEqual([]);
  });

  it('names each attribute that differs', () => {
    const read = userResource(u, 'id-4') as Record<string, any>;
    delete read.phoneNumbers;
    read.roles = [{ value: 'Admin' }];
    const diffs = userDifferences('u', intendedUser(u, managerId), observedUser(read));
    expect(diffs.map((x) => x.what).sort()).toEqual(['managerId', 'mobile', 'roles']);
    expect(diffs.find((x) => x.what === 'mobile')?.detail).toBe('expected "+44 7700 000002", got none');
    expect(countByWhat([...diffs, diffs[0]])[0]).toEqual([diffs[0].what, 2]);
  });
});
