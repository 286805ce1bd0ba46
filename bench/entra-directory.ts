/**
 * The source side of a simulated Entra provisioning job (bench/entra-cycle.ts): the directory Entra provisions from
 * (users, groups, memberships), the changes an incremental cycle carries, the request bodies Entra sends for them
 * (without the `aadOptscim062020` flag: capitalised ops, "True"/"False" strings), and the comparison of what the
 * SCIM API reads back with the directory. Pure and deterministic for a seed, so a run can be replayed.
 */
import { groupMembers } from '@scimflow/scim';

export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
/** App roles of the simulated application: the product roles the tenant's role mapping knows. */
export const APP_ROLES = ['Admin', 'Auditor', 'Operator', 'Viewer'];

export interface WorkAddress {
  streetAddress: string;
  locality?: string;
  postalCode?: string;
  country?: string;
}

export interface DirectoryUser {
  key: number;
  userName: string;
  externalId: string;
  displayName: string;
  givenName: string;
  familyName: string;
  title: string;
  department: string;
  employeeNumber: string;
  workEmail: string;
  mobile?: string;
  workAddress?: WorkAddress;
  managerKey?: number;
  /** app role values assigned to the user */
  roles: string[];
  active: boolean;
  /**
   * the userName the product had the user under before Entra connected: the same (Entra's userName query finds it)
   * or another one with the same work email (its work email query does)
   */
  importedAs?: string;
}

export interface DirectoryGroup {
  key: number;
  displayName: string;
  externalId: string;
  members: Set<number>;
}

export interface Directory {
  users: Map<number, DirectoryUser>;
  groups: DirectoryGroup[];
}

export interface DirectoryShape {
  users: number;
  groups: number;
  membershipsPerUser: number;
  /** share of users imported into the product beforehand: half under their userName, half under another one with the same work email */
  importedShare: number;
  seed: number;
}

/** mulberry32: a small seeded PRNG, so a run's directory and changes are the same every time for its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GIVEN = [
  'Adele',
  'Alex',
  'Diego',
  'Grady',
  'Henrietta',
  'Isaiah',
  'Johanna',
  'Joni',
  'Lee',
  'Lidia',
  'Lynne',
  'Megan',
  'Miriam',
  'Nestor',
  'Patti',
  'Pradeep',
];
const FAMILY = [
  'Vance',
  'Wilber',
  'Siciliani',
  'Archie',
  'Mueller',
  'Langer',
  'Lorenz',
  'Sherman',
  'Gu',
  'Holloway',
  'Robbins',
  'Bowen',
  'Graham',
  'Wilke',
  'Fernandez',
  'Gupta',
];
const DEPARTMENTS = ['Sales', 'Finance', 'Engineering', 'Legal', 'Operations', 'Marketing', 'Support', 'HR'];
const TITLES = ['Analyst', 'Engineer', 'Manager', 'Director', 'Consultant', 'Specialist', 'Associate', 'Lead'];
const CITIES = ['London', 'Redmond', 'Dublin', 'Berlin', 'Lisbon', 'Toronto'];

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
const uuidFrom = (rnd: () => number): string => {
  const hex = Array.from({ length: 32 }, () => Math.floor(rnd() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
};
const mobileNumber = (rnd: () => number): string => `+44 7700 ${String(Math.floor(rnd() * 1e6)).padStart(6, '0')}`;
const streetAddress = (rnd: () => number): string => `${1 + Math.floor(rnd() * 200)} ${pick(rnd, ['High', 'Station', 'Church', 'Park', 'Mill'])} Street`;

/** A new directory user (key k); its manager, if any, is an earlier user. */
function newUser(k: number, rnd: () => number, existing: number[]): DirectoryUser {
  const givenName = pick(rnd, GIVEN);
  const familyName = pick(rnd, FAMILY);
  const roleCount = rnd() < 0.1 ? 0 : rnd() < 0.85 ? 1 : 2;
  const roles = [...new Set(Array.from({ length: roleCount }, () => pick(rnd, APP_ROLES)))].sort();
  return {
    key: k,
    userName: `user${k}@contoso.example`,
    externalId: uuidFrom(rnd),
    displayName: `${givenName} ${familyName}`,
    givenName,
    familyName,
    title: pick(rnd, TITLES),
    department: pick(rnd, DEPARTMENTS),
    employeeNumber: String(100000 + k),
    workEmail: `${givenName}.${familyName}.${k}@contoso.example`.toLowerCase(),
    ...(rnd() < 0.7 ? { mobile: mobileNumber(rnd) } : {}),
    ...(rnd() < 0.6 ? { workAddress: { streetAddress: streetAddress(rnd), locality: pick(rnd, CITIES), postalCode: `PC${k % 1000}`, country: 'GB' } } : {}),
    ...(existing.length && rnd() < 0.8 ? { managerKey: pick(rnd, existing) } : {}),
    roles,
    active: rnd() >= 0.02,
  };
}

export function buildDirectory(shape: DirectoryShape): Directory {
  const rnd = seededRandom(shape.seed);
  const users = new Map<number, DirectoryUser>();
  const keys: number[] = [];
  for (let k = 0; k < shape.users; k++) {
    const u = newUser(k, rnd, keys.slice(0, Math.max(1, Math.floor(k / 10))));
    if (rnd() < shape.importedShare) u.importedAs = rnd() < 0.5 ? u.userName : `legacy-${k}@product.example`;
    users.set(k, u);
    keys.push(k);
  }
  const groups: DirectoryGroup[] = Array.from({ length: shape.groups }, (_, g) => ({
    key: g,
    displayName: `${DEPARTMENTS[g % DEPARTMENTS.length]} Team ${g}`,
    externalId: uuidFrom(rnd),
    members: new Set<number>(),
  }));
  const perUser = Math.min(shape.membershipsPerUser, shape.groups);
  for (const k of keys) {
    const joined = new Set<number>();
    while (joined.size < perUser) joined.add(Math.floor(rnd() * shape.groups));
    for (const g of joined) groups[g].members.add(k);
  }
  return { users, groups };
}

export function cloneDirectory(d: Directory): Directory {
  return {
    users: new Map([...d.users].map(([k, u]) => [k, { ...u, roles: [...u.roles], ...(u.workAddress ? { workAddress: { ...u.workAddress } } : {}) }])),
    groups: d.groups.map((g) => ({ ...g, members: new Set(g.members) })),
  };
}

// ---- incremental cycle ----

/** One user's change in an incremental cycle: Entra sends it as one PATCH (or DELETE, or lookups + POST). */
export type UserChange =
  | { kind: 'title and department'; key: number; title: string; department: string }
  | { kind: 'mobile added'; key: number; mobile: string }
  | { kind: 'mobile changed'; key: number; mobile: string }
  | { kind: 'work address added'; key: number; streetAddress: string }
  | { kind: 'work email changed'; key: number; workEmail: string }
  | { kind: 'manager changed'; key: number; managerKey: number }
  | { kind: 'manager removed'; key: number }
  | { kind: 'disabled'; key: number }
  | { kind: 'roles changed'; key: number; roles: string[] }
  | { kind: 'deleted'; key: number }
  | { kind: 'created'; key: number; user: DirectoryUser };

export interface MembershipChange {
  group: number;
  added: number[];
  removed: number[];
}

export interface IncrementalPlan {
  users: UserChange[];
  memberships: MembershipChange[];
}

/** Shares of the directory's users each kind of change touches (disjoint users per kind). */
export const INCREMENTAL_SHARES = {
  'title and department': 0.08,
  'mobile added': 0.05,
  'mobile changed': 0.02,
  'work address added': 0.05,
  'work email changed': 0.02,
  'manager changed': 0.03,
  'manager removed': 0.01,
  disabled: 0.02,
  'roles changed': 0.04,
  deleted: 0.005,
  created: 0.01,
  /** of the memberships: removed, and as many added */
  memberships: 0.03,
};

/**
 * The changes of an incremental cycle, and the directory after them. Each user gets at most one kind of change, so
 * each request carries one kind and a failing kind is named by the report. Deleted users manage nobody; no change
 * points at a deleted user.
 */
export function planIncremental(before: Directory, seed: number): { plan: IncrementalPlan; after: Directory } {
  const rnd = seededRandom(seed ^ 0x9e3779b9);
  const after = cloneDirectory(before);
  const n = before.users.size;
  const count = (share: number) => Math.max(1, Math.round(n * share));
  const untouched = shuffle([...before.users.keys()], rnd);
  const take = (howMany: number, fits: (u: DirectoryUser) => boolean): DirectoryUser[] => {
    const out: DirectoryUser[] = [];
    for (let i = 0; i < untouched.length && out.length < howMany;) {
      const u = after.users.get(untouched[i])!;
      if (fits(u)) {
        out.push(u);
        untouched.splice(i, 1);
      } else i++;
    }
    return out;
  };
  const managers = new Set([...before.users.values()].flatMap((u) => (u.managerKey === undefined ? [] : [u.managerKey])));
  const deleted = take(count(INCREMENTAL_SHARES.deleted), (u) => !managers.has(u.key)).map((u) => u.key);
  const alive = [...before.users.keys()].filter((k) => !deleted.includes(k));
  const changes: UserChange[] = [];
  for (const u of take(count(INCREMENTAL_SHARES['title and department']), () => true))
    changes.push({ kind: 'title and department', key: u.key, title: `Senior ${u.title}`, department: pick(rnd, DEPARTMENTS) });
  for (const u of take(count(INCREMENTAL_SHARES['mobile added']), (x) => !x.mobile))
    changes.push({ kind: 'mobile added', key: u.key, mobile: mobileNumber(rnd) });
  for (const u of take(count(INCREMENTAL_SHARES['mobile changed']), (x) => !!x.mobile))
    changes.push({ kind: 'mobile changed', key: u.key, mobile: mobileNumber(rnd) });
  for (const u of take(count(INCREMENTAL_SHARES['work address added']), (x) => !x.workAddress))
    changes.push({ kind: 'work address added', key: u.key, streetAddress: streetAddress(rnd) });
  for (const u of take(count(INCREMENTAL_SHARES['work email changed']), () => true))
    changes.push({ kind: 'work email changed', key: u.key, workEmail: `${u.givenName}.${u.familyName}.${u.key}.new@contoso.example`.toLowerCase() });
  for (const u of take(count(INCREMENTAL_SHARES['manager changed']), () => true)) {
    const managerKey = pick(
      rnd,
      alive.filter((k) => k !== u.key && k !== u.managerKey),
    );
    if (managerKey !== undefined) changes.push({ kind: 'manager changed', key: u.key, managerKey });
  }
  for (const u of take(count(INCREMENTAL_SHARES['manager removed']), (x) => x.managerKey !== undefined)) changes.push({ kind: 'manager removed', key: u.key });
  for (const u of take(count(INCREMENTAL_SHARES.disabled), (x) => x.active)) changes.push({ kind: 'disabled', key: u.key });
  for (const u of take(count(INCREMENTAL_SHARES['roles changed']), () => true)) {
    const roles = APP_ROLES.filter((r) => !u.roles.includes(r)).slice(0, 1 + Math.floor(rnd() * 2));
    changes.push({ kind: 'roles changed', key: u.key, roles: roles.sort() });
  }
  const firstNew = Math.max(...before.users.keys()) + 1;
  for (let i = 0; i < count(INCREMENTAL_SHARES.created); i++) {
    const user = newUser(firstNew + i, rnd, alive);
    changes.push({ kind: 'created', key: user.key, user });
  }
  for (const key of deleted) changes.push({ kind: 'deleted', key });
  for (const c of changes) applyUserChange(after, c);

  // memberships: removes of existing ones (not of deleted users: the server drops those), adds of new ones
  const memberships = new Map<number, MembershipChange>();
  const changeOf = (group: number) => memberships.get(group) ?? memberships.set(group, { group, added: [], removed: [] }).get(group)!;
  const existing = after.groups.flatMap((g) => [...g.members].map((k) => [g.key, k] as const));
  const moves = Math.max(1, Math.round(existing.length * INCREMENTAL_SHARES.memberships));
  for (const [g, k] of shuffle(existing, rnd).slice(0, moves)) changeOf(g).removed.push(k);
  const newKeys = changes.flatMap((c) => (c.kind === 'created' ? [c.key] : []));
  const candidates = [...newKeys.flatMap((k) => [k, k]), ...alive];
  const wanted = moves + 2 * newKeys.length;
  for (let added = 0, tries = 0; added < wanted && tries < 20 * wanted; tries++) {
    const k = candidates[added < newKeys.length * 2 ? added : Math.floor(rnd() * candidates.length)];
    const g = after.groups[Math.floor(rnd() * after.groups.length)];
    if (g.members.has(k) || changeOf(g.key).removed.includes(k) || changeOf(g.key).added.includes(k)) continue;
    changeOf(g.key).added.push(k);
    added++;
  }
  for (const m of memberships.values()) {
    for (const k of m.removed) after.groups[m.group].members.delete(k);
    for (const k of m.added) after.groups[m.group].members.add(k);
  }
  return { plan: { users: changes, memberships: [...memberships.values()].filter((m) => m.added.length || m.removed.length) }, after };
}

function applyUserChange(d: Directory, c: UserChange): void {
  if (c.kind === 'created') {
    d.users.set(c.key, c.user);
    return;
  }
  if (c.kind === 'deleted') {
    d.users.delete(c.key);
    for (const g of d.groups) g.members.delete(c.key);
    return;
  }
  const u = d.users.get(c.key)!;
  switch (c.kind) {
    case 'title and department':
      u.title = c.title;
      u.department = c.department;
      break;
    case 'mobile added':
    case 'mobile changed':
      u.mobile = c.mobile;
      break;
    case 'work address added':
      u.workAddress = { streetAddress: c.streetAddress };
      break;
    case 'work email changed':
      u.workEmail = c.workEmail;
      break;
    case 'manager changed':
      u.managerKey = c.managerKey;
      break;
    case 'manager removed':
      delete u.managerKey;
      break;
    case 'disabled':
      u.active = false;
      break;
    case 'roles changed':
      u.roles = c.roles;
      break;
  }
}

function shuffle<T>(xs: T[], rnd: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

// ---- what Entra sends ----

export interface PatchOperation {
  op: 'Add' | 'Replace' | 'Remove';
  path: string;
  value?: unknown;
}

export const patchBody = (ops: PatchOperation[]) => ({ schemas: [PATCH_OP], Operations: ops });
/** Entra without `aadOptscim062020` sends booleans in PATCH values as the strings "True" and "False". */
const entraBoolean = (b: boolean) => (b ? 'True' : 'False');
/** AppRoleAssignmentsComplex: one complex value per assigned app role. */
const roleValues = (roles: string[]) => roles.map((r, i) => ({ primary: i === 0, type: 'WindowsAzureActiveDirectoryRole', display: r, value: r }));
const WORK_EMAIL = 'emails[type eq "work"].value';
const MOBILE = 'phoneNumbers[type eq "mobile"].value';
const workAddressPath = (sub: keyof WorkAddress) => `addresses[type eq "work"].${sub}`;
export const MANAGER_PATH = `${ENTERPRISE}:manager`;

export const userNameFilter = (u: DirectoryUser) => `userName eq "${u.userName}"`;
export const workEmailFilter = (u: DirectoryUser) => `${WORK_EMAIL} eq "${u.workEmail}"`;
export const groupNameFilter = (g: DirectoryGroup) => `displayName eq "${g.displayName}"`;

/** POST /Users: the user as Entra's default attribute mappings send it; `managerId` when the manager is provisioned. */
export function userResource(u: DirectoryUser, managerId?: string): Record<string, unknown> {
  return {
    schemas: [USER, ENTERPRISE],
    externalId: u.externalId,
    userName: u.userName,
    active: u.active,
    displayName: u.displayName,
    title: u.title,
    emails: [{ primary: true, type: 'work', value: u.workEmail }],
    name: { formatted: `${u.givenName} ${u.familyName}`, familyName: u.familyName, givenName: u.givenName },
    ...(u.mobile ? { phoneNumbers: [{ type: 'mobile', value: u.mobile }] } : {}),
    ...(u.workAddress ? { addresses: [{ type: 'work', ...u.workAddress }] } : {}),
    [ENTERPRISE]: { employeeNumber: u.employeeNumber, department: u.department, ...(managerId ? { manager: { value: managerId } } : {}) },
    ...(u.roles.length ? { roles: roleValues(u.roles) } : {}),
    meta: { resourceType: 'User' },
  };
}

/** What the product imported beforehand for a user Entra later matches by userName or work email. */
export function importedUser(u: DirectoryUser): Record<string, unknown> {
  return {
    userName: u.importedAs,
    displayName: `${u.familyName}, ${u.givenName}`,
    emails: [{ type: 'work', value: u.workEmail, primary: true }],
    name: { givenName: u.givenName, familyName: u.familyName },
  };
}

/**
 * The PATCH that updates a user Entra matched (by userName or work email) to the directory's values: one operation per
 * mapped attribute, filtered paths for the multi-valued ones (the product's user has no mobile or address yet).
 */
export function matchedUserPatch(u: DirectoryUser, managerId?: string): PatchOperation[] {
  const ops: PatchOperation[] = [
    { op: 'Replace', path: 'userName', value: u.userName },
    { op: 'Replace', path: 'active', value: entraBoolean(u.active) },
    { op: 'Replace', path: 'displayName', value: u.displayName },
    { op: 'Replace', path: 'title', value: u.title },
    { op: 'Replace', path: 'externalId', value: u.externalId },
    { op: 'Replace', path: 'name.givenName', value: u.givenName },
    { op: 'Replace', path: 'name.familyName', value: u.familyName },
    { op: 'Replace', path: 'name.formatted', value: `${u.givenName} ${u.familyName}` },
    { op: 'Replace', path: `${ENTERPRISE}:employeeNumber`, value: u.employeeNumber },
    { op: 'Replace', path: `${ENTERPRISE}:department`, value: u.department },
  ];
  if (u.mobile) ops.push({ op: 'Replace', path: MOBILE, value: u.mobile });
  if (u.workAddress)
    for (const [sub, value] of Object.entries(u.workAddress)) ops.push({ op: 'Replace', path: workAddressPath(sub as keyof WorkAddress), value });
  if (managerId) ops.push({ op: 'Replace', path: MANAGER_PATH, value: managerId });
  if (u.roles.length) ops.push({ op: 'Add', path: 'roles', value: roleValues(u.roles) });
  return ops;
}

export const managerPatch = (managerId: string): PatchOperation[] => [{ op: 'Replace', path: MANAGER_PATH, value: managerId }];

/** The PATCH of an incremental change that is one (`created` and `deleted` are not PATCHes); the users it names are provisioned. */
export function changePatch(c: Exclude<UserChange, { kind: 'created' | 'deleted' }>, idOf: (key: number) => string | undefined): PatchOperation[] {
  switch (c.kind) {
    case 'title and department':
      return [
        { op: 'Replace', path: 'title', value: c.title },
        { op: 'Replace', path: `${ENTERPRISE}:department`, value: c.department },
      ];
    case 'mobile added':
    case 'mobile changed':
      return [{ op: 'Replace', path: MOBILE, value: c.mobile }];
    case 'work address added':
      return [{ op: 'Replace', path: workAddressPath('streetAddress'), value: c.streetAddress }];
    case 'work email changed':
      return [{ op: 'Replace', path: WORK_EMAIL, value: c.workEmail }];
    case 'manager changed':
      return managerPatch(idOf(c.managerKey)!);
    case 'manager removed':
      return [{ op: 'Remove', path: MANAGER_PATH }];
    case 'disabled':
      return [{ op: 'Replace', path: 'active', value: entraBoolean(false) }];
    case 'roles changed':
      // AssertiveAppRoleAssignmentsComplex: the whole set of roles replaces the stored one
      return [{ op: 'Replace', path: 'roles', value: roleValues(c.roles) }];
  }
}

export const membersPatch = (op: 'Add' | 'Remove', ids: string[]): PatchOperation[] => [{ op, path: 'members', value: groupMembers(ids) }];

export const groupResource = (g: DirectoryGroup) => ({
  schemas: [GROUP],
  externalId: g.externalId,
  displayName: g.displayName,
  meta: { resourceType: 'Group' },
});

// ---- reading back ----

/** The attributes the consistency check compares, as the simulator means them and as the SCIM API shows them. */
export interface UserView {
  userName: string;
  externalId?: string;
  active: boolean;
  displayName?: string;
  givenName?: string;
  familyName?: string;
  title?: string;
  workEmail?: string;
  mobile?: string;
  workAddress?: WorkAddress;
  employeeNumber?: string;
  department?: string;
  managerId?: string;
  roles: string[];
}

export function intendedUser(u: DirectoryUser, managerId: (key: number) => string | undefined): UserView {
  return {
    userName: u.userName,
    externalId: u.externalId,
    active: u.active,
    displayName: u.displayName,
    givenName: u.givenName,
    familyName: u.familyName,
    title: u.title,
    workEmail: u.workEmail,
    mobile: u.mobile,
    workAddress: u.workAddress,
    employeeNumber: u.employeeNumber,
    department: u.department,
    managerId: u.managerKey === undefined ? undefined : managerId(u.managerKey),
    roles: [...u.roles].sort(),
  };
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function observedUser(r: Json): UserView {
  const typed = (xs: unknown, type: string): Json | undefined => (Array.isArray(xs) ? xs.find((x: Json) => x?.type === type) : undefined);
  const address = typed(r.addresses, 'work');
  const enterprise: Json = r[ENTERPRISE] ?? {};
  return {
    userName: r.userName,
    externalId: r.externalId,
    active: r.active,
    displayName: r.displayName,
    givenName: r.name?.givenName,
    familyName: r.name?.familyName,
    title: r.title,
    workEmail: typed(r.emails, 'work')?.value,
    mobile: typed(r.phoneNumbers, 'mobile')?.value,
    workAddress: address
      ? (Object.fromEntries(
          (['streetAddress', 'locality', 'postalCode', 'country'] as const).filter((k) => address[k] !== undefined).map((k) => [k, address[k]]),
        ) as unknown as WorkAddress)
      : undefined,
    employeeNumber: enterprise.employeeNumber,
    department: enterprise.department,
    managerId: enterprise.manager?.value,
    roles: (Array.isArray(r.roles) ? r.roles.map((x: Json) => (typeof x === 'string' ? x : x?.value)) : []).sort(),
  };
}

/** One way the read-back differs from the directory: of which user or group, in what (an attribute, members, …). */
export interface Difference {
  subject: string;
  what: string;
  detail: string;
}

/** Each attribute where the read-back user differs from the intended one. */
export function userDifferences(subject: string, intended: UserView, observed: UserView): Difference[] {
  const out: Difference[] = [];
  for (const k of Object.keys(intended) as (keyof UserView)[]) {
    const [a, b] = [JSON.stringify(intended[k]), JSON.stringify(observed[k])];
    if (a !== b) out.push({ subject, what: k, detail: `expected ${a ?? 'none'}, got ${b ?? 'none'}` });
  }
  return out;
}

/** How many differences of each kind (`what`), most frequent first. */
export function countByWhat(differences: Difference[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const d of differences) counts.set(d.what, (counts.get(d.what) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}

/** The members the directory means (by SCIM id) against those read back: which are missing and which are extra. */
export function memberDifferences(intended: Set<string>, observed: Set<string>): { missing: string[]; extra: string[] } {
  return { missing: [...intended].filter((id) => !observed.has(id)), extra: [...observed].filter((id) => !intended.has(id)) };
}
