import fc from 'fast-check';
import { ProvisioningCommand, readCommand, UserCommand } from '@scimflow/contracts';
import { asRead } from '../../contracts/src/test-helpers';
import { USER_SCHEMA, userResourceTypeSchemas } from '@scimflow/scim';
import { DEFAULT_DEPROVISION_THRESHOLD, deprovisioningOf, exceedsThreshold, mayDeprovision, thresholdOff, validateThreshold } from './deprovisioning';
import { decideUserCommand } from './users/user-decision';
import { SCIM_USER_LIFECYCLE, UserState } from './users/user-state';

const TENANT = '4f0e0000-0000-4000-8000-000000000001';
const USER = '00000000-0000-4000-8000-00000000000a';
const NOW = new Date('2026-12-06T10:00:00.000Z');
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const record = (action: ProvisioningCommand['action'], payload?: unknown, resourceType: ProvisioningCommand['resourceType'] = 'User') => ({
  v: 1,
  commandId: 'c0000000-0000-4000-8000-000000000001',
  tenantId: TENANT,
  resourceType,
  resourceId: USER,
  action,
  payload,
  issuedAt: NOW.toISOString(),
});
const command = <C extends ProvisioningCommand = UserCommand>(...args: Parameters<typeof record>) => asRead<C>(record(...args));
const patch = (...Operations: object[]) => command('patch', { schemas: [PATCH_OP], Operations });
const user = (active: boolean, extra: Partial<UserState> = {}): UserState => ({
  id: USER,
  tenantId: TENANT,
  userName: 'ada@example.com',
  externalId: null,
  active,
  workEmail: null,
  document: { schemas: [USER_SCHEMA], userName: 'ada@example.com', active },
  version: 3,
  createdAt: NOW,
  updatedAt: NOW,
  ...SCIM_USER_LIFECYCLE,
  ...extra,
});
const decided = (current: UserState | undefined, c: UserCommand) => deprovisioningOf(current, decideUserCommand(current, c, NOW, userResourceTypeSchemas));

describe('mayDeprovision (no I/O: which commands are looked at)', () => {
  it.each([
    ['DELETE', command('delete')],
    ['PUT', command('replace', { schemas: [USER_SCHEMA], userName: 'ada@example.com', active: false })],
    ['Entra: Replace active "False"', patch({ op: 'Replace', path: 'active', value: 'False' })],
    ['replace active false', patch({ op: 'replace', path: 'active', value: false })],
    ['no path: {active: "False"}', patch({ op: 'Replace', value: { active: 'False' } })],
    ['no path, other members too', patch({ op: 'Replace', value: { displayName: 'A', Active: false } })],
    ['schema-qualified path', patch({ op: 'replace', path: `${USER_SCHEMA}:active`, value: false })],
    ['remove active', patch({ op: 'remove', path: 'active' })],
    ['a later op on active', patch({ op: 'replace', path: 'displayName', value: 'A' }, { op: 'Replace', path: 'active', value: 'False' })],
    ['reactivated, then deactivated', patch({ op: 'Replace', path: 'active', value: 'True' }, { op: 'Replace', path: 'active', value: 'False' })],
    ['PUT without active', command('replace', { schemas: [USER_SCHEMA], userName: 'ada@example.com' })],
    ['active with a value that is no boolean', patch({ op: 'Replace', path: 'active', value: 'yes' })],
  ])('%s: maybe', (_, c) => expect(mayDeprovision(c)).toBe(true));

  it.each([
    ['create', command('create', { schemas: [USER_SCHEMA], userName: 'x', active: false })],
    ['PATCH of other attributes', patch({ op: 'Replace', path: 'displayName', value: 'A' })],
    ['no path without active', patch({ op: 'Replace', value: { displayName: 'A' } })],
    ['a Group delete', command('delete', undefined, 'Group')],
    ['a PATCH whose path does not parse', patch({ op: 'replace', path: 'active[', value: false })],
    ['setLoginMethod', command('setLoginMethod', { loginMethod: 'sso' })],
    ['PUT of an active user', command('replace', { schemas: [USER_SCHEMA], userName: 'ada@example.com', active: true })],
    ['PUT, Entra\'s "True"', command('replace', { schemas: [USER_SCHEMA], userName: 'ada@example.com', Active: 'True' })],
    ['Entra: Replace active "True" (reactivation)', patch({ op: 'Replace', path: 'active', value: 'True' })],
    ['add active true', patch({ op: 'add', path: 'active', value: true })],
    ['no path: {active: true}', patch({ op: 'Replace', value: { displayName: 'A', active: 'True' } })],
  ])('%s: not', (_, c) => expect(mayDeprovision(c)).toBe(false));
});

describe('mayDeprovision never misses a deprovisioning', () => {
  const activeValue = fc.constantFrom<unknown>(true, false, 'True', 'False', 'true', 'FALSE', 'yes', null, 1, undefined);
  const op = fc.oneof(
    fc.record({
      op: fc.constantFrom('add', 'Replace', 'remove'),
      path: fc.constantFrom('active', 'Active', `${USER_SCHEMA}:active`, 'displayName'),
      value: activeValue,
    }),
    fc.record({ op: fc.constantFrom('add', 'Replace'), value: fc.dictionary(fc.constantFrom('active', 'ACTIVE', 'displayName'), activeValue) }),
  );
  const commands = fc.oneof(
    // only PATCHes the ingress lets through reach the reconciler
    fc
      .array(op, { minLength: 1, maxLength: 4 })
      .map((Operations) => readCommand(JSON.stringify(record('patch', { schemas: [PATCH_OP], Operations }))) as UserCommand | undefined)
      .filter((c): c is UserCommand => c !== undefined),
    fc.record({ active: activeValue }).map((doc) => command('replace', { schemas: [USER_SCHEMA], userName: 'ada@example.com', ...doc })),
    fc.constant(command('delete')),
  );

  it('whatever a command does to an active user, when it deactivates or deletes it mayDeprovision said so', () => {
    fc.assert(
      fc.property(commands, (c) => {
        if (decided(user(true), c) !== undefined) expect(mayDeprovision(c)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('deprovisioningOf (what the decided command does to the user)', () => {
  it('deactivating an active user (Entra form) is a deactivation', () => {
    expect(decided(user(true), patch({ op: 'Replace', path: 'active', value: 'False' }))).toBe('deactivate');
    expect(decided(user(true), patch({ op: 'Replace', value: { active: 'False' } }))).toBe('deactivate');
  });

  it('a PUT with active false of an active user is a deactivation', () => {
    expect(decided(user(true), command('replace', { schemas: [USER_SCHEMA], userName: 'ada@example.com', active: false }))).toBe('deactivate');
  });

  it('deleting an active user is a deletion', () => {
    expect(decided(user(true), command('delete'))).toBe('delete');
  });

  it('nothing for an inactive user, a reactivation, a missing or soft-deleted user', () => {
    expect(decided(user(false), patch({ op: 'Replace', path: 'active', value: 'False' }))).toBeUndefined();
    expect(decided(user(false), command('delete'))).toBeUndefined();
    expect(decided(user(false), patch({ op: 'Replace', path: 'active', value: 'True' }))).toBeUndefined();
    expect(decided(user(true), patch({ op: 'Replace', path: 'active', value: 'True' }))).toBeUndefined();
    expect(decided(undefined, command('delete'))).toBeUndefined();
    expect(decided(user(true, { deletedAt: NOW }), command('delete'))).toBeUndefined();
  });

  it('a PATCH that does not change active is none', () => {
    expect(decided(user(true), patch({ op: 'Replace', path: 'displayName', value: 'Ada' }))).toBeUndefined();
  });
});

describe('exceedsThreshold', () => {
  const users = (maxUsers: number) => ({ maxUsers, maxPercent: null, windowSeconds: 3600 });

  it('by users: up to maxUsers in the window pass, the next is held', () => {
    expect(exceedsThreshold(users(5), { inWindow: 4, activeUsers: 100 })).toBe(false);
    expect(exceedsThreshold(users(5), { inWindow: 5, activeUsers: 100 })).toBe(true);
    expect(exceedsThreshold(users(0), { inWindow: 0, activeUsers: 100 })).toBe(true);
  });

  it('by percent of the tenant at the window start (active now + deprovisioned in the window)', () => {
    const t = { maxUsers: null, maxPercent: 10, windowSeconds: 3600 };
    // 100 users at the start: 10 pass, the 11th is held
    expect(exceedsThreshold(t, { inWindow: 9, activeUsers: 91 })).toBe(false);
    expect(exceedsThreshold(t, { inWindow: 10, activeUsers: 90 })).toBe(true);
    expect(exceedsThreshold(t, { inWindow: 0, activeUsers: 0 })).toBe(false);
  });

  it('either limit holds', () => {
    const t = { maxUsers: 500, maxPercent: 20, windowSeconds: 3600 };
    expect(exceedsThreshold(t, { inWindow: 20, activeUsers: 80 })).toBe(true);
    expect(exceedsThreshold(t, { inWindow: 500, activeUsers: 1_000_000 })).toBe(true);
    expect(exceedsThreshold(t, { inWindow: 19, activeUsers: 81 })).toBe(false);
  });

  it('off passes everything', () => {
    const off = { maxUsers: null, maxPercent: null, windowSeconds: 3600 };
    expect(thresholdOff(off)).toBe(true);
    expect(exceedsThreshold(off, { inWindow: 1_000_000, activeUsers: 1 })).toBe(false);
  });
});

describe('validateThreshold', () => {
  it("defaults to Entra's: 500 users in 60 minutes", () => {
    expect(DEFAULT_DEPROVISION_THRESHOLD).toEqual({ maxUsers: 500, maxPercent: null, windowSeconds: 3600 });
    expect(validateThreshold({ maxUsers: 5 })).toEqual({ maxUsers: 5, maxPercent: null, windowSeconds: 3600 });
  });

  it.each([
    [{ maxUsers: -1 }],
    [{ maxUsers: 1.5 }],
    [{ maxUsers: '5' }],
    [{ maxPercent: 0 }],
    [{ maxPercent: 101 }],
    [{ maxUsers: 5, windowSeconds: 59 }],
    [{ maxUsers: 5, windowSeconds: 31 * 24 * 3600 }],
  ])('%j is refused with 400 invalidValue', (input) => {
    expect(() => validateThreshold(input)).toThrow(expect.objectContaining({ status: 400, scimType: 'invalidValue' }));
  });
});
