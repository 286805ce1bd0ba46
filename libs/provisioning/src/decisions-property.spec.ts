/**
 * Property tests (fast-check) at the reconciler's decision level: whatever record reaches the reconciler (any
 * action, any JSON payload, any stored state or none; users with every profile's rules, and groups), reading it
 * (readCommand) never throws, and deciding a command it reads yields a decision or a rejection. It never throws, a rejection is a ScimError with a 4xx status, and what a
 * decision would store or publish is plain JSON (no `undefined`, no functions picked up from a prototype), so the
 * reconciler can always write it. Seeded: FUZZ_SEED=<n> reproduces a run; a failure prints its seed and path.
 */
import fc from 'fast-check';
import { CommandAction, GroupCommand, ProvisioningCommand, readCommand, UserCommand } from '@scimflow/contracts';
import { asRead } from '../../contracts/src/test-helpers';
import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  normalizeResource,
  ResourceTypeSchemas,
  ScimError,
  USER_SCHEMA,
  userResourceTypeFor,
  validateSchemaRegistration,
} from '@scimflow/scim';
import { decideGroupCommand, GroupDecision } from './groups/group-decision';
import { normalizeGroup } from './groups/group-document';
import { GroupState, groupColumns } from './groups/group-state';
import { applyProfileToDecision, PROFILE_EXTENSION_SCHEMAS, PROFILE_NAMES, ProfileName, ProfileSettings, resolveProfileSettings } from './profiles';
import { decideUserCommand, outcomeOf, UserClaim } from './users/user-decision';
import { SCIM_USER_LIFECYCLE, userColumns, UserState } from './users/user-state';

const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const RUNS = Number(process.env.FUZZ_RUNS ?? 2500);
const TENANT = '4f0e0000-0000-4000-8000-0000000000f1';
const RESOURCE = '00000000-0000-4000-8000-0000000000f2';
const NOW = new Date('2026-12-02T10:00:00.000Z');
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const FOLDERS = 'urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName';
const METADATA = 'urn:ietf:params:scim:schemas:extension:2.0:Metadata';
const ENTRA_GROUP = 'urn:ietf:params:scim:schemas:extension:entra:2.0:Group';

/** A tenant's User resource type as the reconciler builds it from the profile's registered extension schemas. */
const typesOf = (profile: ProfileName): ResourceTypeSchemas =>
  userResourceTypeFor(PROFILE_EXTENSION_SCHEMAS[profile].map((s) => validateSchemaRegistration(s)));
const TYPES = Object.fromEntries(PROFILE_NAMES.map((p) => [p, typesOf(p)])) as Record<ProfileName, ResourceTypeSchemas>;
const SETTINGS: { profile: ProfileName; settings: ProfileSettings }[] = [
  ...PROFILE_NAMES.map((profile) => ({ profile, settings: resolveProfileSettings(profile, {}) })),
  { profile: 'segura', settings: resolveProfileSettings('segura', { roles: { mode: 'map', productRoles: ['Admin', 'read-only'], unknownRoles: 'reject' } }) },
  { profile: 'segura', settings: resolveProfileSettings('segura', { roles: { mode: 'map', productRoles: ['Admin'], unknownRoles: 'record' } }) },
  { profile: 'custom', settings: resolveProfileSettings('custom', { userType: { mode: 'enum', values: ['A', 'B'], default: 'A' } }) },
  { profile: 'custom', settings: resolveProfileSettings('custom', { userType: { mode: 'groupDirective' } }) },
];

// ---- generators -------------------------------------------------------------------------------------------------

/** Names that are properties of every plain object (or special to it): as data they must stay data. */
const HOSTILE_NAMES = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  'toLocaleString',
  '__defineGetter__',
  'propertyIsEnumerable',
];
const hostileName = fc.constantFrom(...HOSTILE_NAMES);
const attributeName = fc.constantFrom(
  'userName',
  'active',
  'displayName',
  'name',
  'givenName',
  'familyName',
  'emails',
  'value',
  'type',
  'primary',
  'phoneNumbers',
  'roles',
  'userType',
  'title',
  'externalId',
  'id',
  'meta',
  'members',
  'groups',
  'manager',
  'department',
  'folders',
  'costCode',
  'schemas',
  'x',
  '',
);
const key = fc.oneof({ weight: 4, arbitrary: attributeName }, { weight: 3, arbitrary: hostileName }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }) });
const urn = fc.constantFrom(USER_SCHEMA, ENTERPRISE_USER_SCHEMA, FOLDERS, METADATA, GROUP_SCHEMA, ENTRA_GROUP, 'urn:x:y');
const oddString = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom('a\ud800', '\udc00b', 'nul\u0000', '\u0000', 'True', 'False', 'work', '00000000-0000-4000-8000-000000000001', 'Admin', 'A'),
);
const scalar = fc.oneof(oddString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));

/** An object built with own data properties (Object.fromEntries), so that `__proto__` is a key like JSON.parse makes it. */
const objectOf = (k: fc.Arbitrary<string>, v: fc.Arbitrary<unknown>, maxKeys = 4) =>
  fc.array(fc.tuple(k, v), { maxLength: maxKeys }).map((e) => Object.fromEntries(e));
const json: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    scalar,
    fc.array(tie('v'), { maxLength: 3 }),
    objectOf(
      fc.oneof(
        key,
        fc.tuple(urn, key).map(([u, k]) => `${u}:${k}`),
      ),
      tie('v'),
    ),
  ),
})).v;

const filter = fc.oneof(
  fc.tuple(key, fc.constantFrom('eq', 'ne', 'co', 'sw', 'pr'), oddString).map(([k, o, v]) => (o === 'pr' ? `${k} pr` : `${k} ${o} ${JSON.stringify(v)}`)),
  fc.string({ maxLength: 10 }),
);
const path = fc.oneof(
  key,
  fc.tuple(key, key).map(([a, b]) => `${a}.${b}`),
  fc.tuple(urn, key).map(([u, k]) => `${u}:${k}`),
  fc.tuple(urn, key, key).map(([u, a, b]) => `${u}:${a}.${b}`),
  fc.tuple(key, filter).map(([a, f]) => `${a}[${f}]`),
  fc.tuple(key, filter, key).map(([a, f, b]) => `${a}[${f}].${b}`),
  fc.constantFrom(
    'members',
    'members[value eq "u1"]',
    'emails[type eq "work"].value',
    `${METADATA}:costCode`,
    `${FOLDERS}:folders`,
    `${ENTERPRISE_USER_SCHEMA}:manager`,
  ),
  urn,
  fc.string({ maxLength: 12 }),
);
const opName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('add', 'replace', 'remove', 'Add', 'Replace', 'Remove') },
  { weight: 1, arbitrary: fc.constantFrom('move', '', 'test') },
);
/** Paths real clients write, with a hostile or random last name: where a prototype member could be taken for data. */
const targetedPath = fc
  .tuple(
    fc.oneof(hostileName, attributeName),
    fc.constantFrom('', `${METADATA}:`, `${FOLDERS}:`, `${ENTERPRISE_USER_SCHEMA}:`, `${USER_SCHEMA}:`, 'name.', 'emails[type eq "work"].', 'manager.'),
  )
  .map(([k, prefix]) => `${prefix}${k}`);
const operation = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: opName, path: targetedPath, value: fc.oneof(oddString, json) }, { requiredKeys: ['op', 'path'] }) },
  { weight: 4, arbitrary: fc.record({ op: opName, path, value: json }, { requiredKeys: ['op'] }) },
  { weight: 3, arbitrary: fc.record({ op: opName, value: objectOf(fc.oneof(targetedPath, key, path), fc.oneof(oddString, json)) }) },
  { weight: 1, arbitrary: json },
);
const patchBody = fc.oneof(
  { weight: 8, arbitrary: fc.record({ schemas: fc.constant([PATCH_OP]), Operations: fc.array(operation, { minLength: 1, maxLength: 3 }) }) },
  { weight: 1, arbitrary: json },
);

/** A SCIM document: plausible core attributes, a few random or hostile ones, extension data in both spellings. */
const resourceBody = (core: string, required: 'userName' | 'displayName') =>
  fc
    .record(
      {
        schemas: fc.oneof(fc.constant([core]), fc.constant([core, ENTERPRISE_USER_SCHEMA, METADATA, FOLDERS]), json),
        [required]: fc.oneof({ weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 8 }) }, { weight: 1, arbitrary: json }),
        active: fc.oneof(fc.boolean(), json),
        emails: fc.oneof(fc.constant([{ type: 'work', value: 'a@b.example', primary: true }]), json),
        members: fc.oneof(fc.constant([{ value: '00000000-0000-4000-8000-000000000001' }]), json),
        [METADATA]: objectOf(key, json),
        [FOLDERS]: json,
        [ENTERPRISE_USER_SCHEMA]: json,
      },
      { requiredKeys: ['schemas', required] },
    )
    .chain((doc) =>
      objectOf(
        fc.oneof(
          key,
          fc.tuple(urn, key).map(([u, k]) => `${u}:${k}`),
        ),
        json,
      ).map((extra) => ({ ...extra, ...doc })),
    );

const knownAction = fc.constantFrom<CommandAction>('create', 'replace', 'patch', 'delete', 'import', 'setLoginMethod');
/** An action with the payload it takes (mostly), or with any other payload, or an action no one knows. */
const actionAndPayload = (core: string, required: 'userName' | 'displayName') => {
  const body = resourceBody(core, required);
  const importPayload = fc.record(
    { document: fc.oneof(body, json), loginMethod: fc.oneof(fc.constantFrom('sso', 'builtIn'), json) },
    { requiredKeys: ['document'] },
  );
  const loginPayload = fc.record({ loginMethod: fc.oneof(fc.constantFrom('sso', 'builtIn'), json) });
  const anyPayload = fc.oneof(body, patchBody, importPayload, loginPayload, json, fc.constant(undefined));
  return fc.oneof(
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom<CommandAction>('create', 'replace'), body) },
    { weight: 4, arbitrary: fc.tuple(fc.constant<CommandAction>('patch'), patchBody) },
    { weight: 1, arbitrary: fc.tuple(fc.constant<CommandAction>('import'), importPayload) },
    { weight: 1, arbitrary: fc.tuple(fc.constant<CommandAction>('setLoginMethod'), loginPayload) },
    { weight: 1, arbitrary: fc.tuple(fc.constant<CommandAction>('delete'), fc.constant(undefined)) },
    { weight: 2, arbitrary: fc.tuple(knownAction, anyPayload) },
    { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 8 }) as fc.Arbitrary<CommandAction>, anyPayload) },
  );
};
/** A record as a producer writes it, and the command the reconciler reads from it (undefined: answered as malformed). */
const commandOf = <C extends ProvisioningCommand>(resourceType: C['resourceType'], core: string, required: 'userName' | 'displayName') =>
  fc
    .record({
      ap: actionAndPayload(core, required) as fc.Arbitrary<[CommandAction, unknown]>,
      ifMatch: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('*', 'W/"1"', 'W/"2"', '"x"', '') }),
    })
    .map(({ ap: [action, payload], ifMatch }) => {
      const record = {
        v: 1,
        commandId: 'c0000000-0000-4000-8000-000000000001',
        tenantId: TENANT,
        resourceType,
        resourceId: RESOURCE,
        action,
        payload,
        ...(ifMatch !== undefined ? { ifMatch } : {}),
        issuedAt: NOW.toISOString(),
      };
      return { record, command: readCommand(JSON.stringify(record)) as C | undefined };
    });

/** A stored document: usually one a create produced (what the store holds), sometimes arbitrary JSON. */
function storedUser(body: unknown, types: ResourceTypeSchemas): Record<string, unknown> | undefined {
  try {
    return normalizeResource(body, types, 'create');
  } catch {
    return undefined;
  }
}
const userState = (types: ResourceTypeSchemas) =>
  fc
    .record({
      document: fc.oneof(
        { weight: 4, arbitrary: resourceBody(USER_SCHEMA, 'userName').map((b) => storedUser(b, types) ?? { schemas: [USER_SCHEMA], userName: 'ada' }) },
        { weight: 1, arbitrary: objectOf(key, json, 6) },
      ),
      version: fc.integer({ min: 1, max: 3 }),
      loginMethod: fc.constantFrom('sso', 'builtIn') as fc.Arbitrary<'sso' | 'builtIn'>,
      linked: fc.boolean(),
      deleted: fc.boolean(),
      origin: fc.constantFrom('scim', 'import') as fc.Arbitrary<'scim' | 'import'>,
    })
    .map(({ document, version, loginMethod, linked, deleted, origin }): UserState => ({
      id: RESOURCE,
      tenantId: TENANT,
      ...safeColumns(() => userColumns(document), { userName: 'ada', externalId: null, active: true, workEmail: null }),
      document,
      version,
      createdAt: NOW,
      updatedAt: NOW,
      ...SCIM_USER_LIFECYCLE,
      loginMethod,
      origin,
      linked,
      deletedAt: deleted ? NOW : null,
    }));
const groupState = fc
  .oneof(
    { weight: 4, arbitrary: resourceBody(GROUP_SCHEMA, 'displayName').map((b) => storedGroup(b) ?? { schemas: [GROUP_SCHEMA], displayName: 'Ops' }) },
    { weight: 1, arbitrary: objectOf(key, json, 6) },
  )
  .map((document): GroupState => ({
    id: RESOURCE,
    tenantId: TENANT,
    ...safeColumns(() => groupColumns(document), { displayName: 'Ops', externalId: null }),
    document,
    version: 1,
    createdAt: NOW,
    updatedAt: NOW,
  }));
function storedGroup(body: unknown): Record<string, unknown> | undefined {
  try {
    return normalizeGroup(body, 'create').document;
  } catch {
    return undefined;
  }
}
function safeColumns<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}

// ---- properties -------------------------------------------------------------------------------------------------

/**
 * Throws (failing the property) unless `value` is what JSON.stringify writes without loss: no functions or class
 * instances (a prototype's member taken for data), no undefined in arrays, no NaN.
 */
function assertPlainJson(what: string, value: unknown): void {
  const text = JSON.stringify(value);
  if (text === undefined) throw new Error(`${what} is not JSON: ${String(value)}`);
  const problem = firstNonJson(value, what);
  if (problem) throw new Error(`${what} is not plain JSON at ${problem}`);
}
function firstNonJson(value: unknown, at: string): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${at} (${value})`;
  if (value instanceof Date) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = firstNonJson(value[i], `${at}[${i}]`);
      if (p) return p;
    }
    return undefined;
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return `${at} (an object with prototype ${proto?.constructor?.name})`;
    for (const k of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[k];
      // an undefined member is left out by JSON.stringify, which is how the reconciler writes documents and events
      if (v === undefined) continue;
      const p = firstNonJson(v, `${at}.${k}`);
      if (p) return p;
    }
    return undefined;
  }
  return `${at} (${typeof value}${typeof value === 'function' ? ` ${(value as { name: string }).name}` : ''})`;
}

/** What the reconciler does with a rejection: it answers it. Anything but a 4xx ScimError would be retried or a 500. */
function assertRejection(error: unknown): void {
  if (!(error instanceof ScimError)) throw new Error(`rejected with ${String(error)}, not a ScimError`);
  if (error.status < 400 || error.status >= 500) throw new Error(`rejected with status ${error.status}: ${error.message}`);
}

/** Runs `decide`; a throw fails the property with the error, so the counterexample shows what threw. */
function decided<T>(decide: () => T): T {
  try {
    return decide();
  } catch (e) {
    throw new Error(
      `the decision threw ${e instanceof ScimError ? `ScimError ${e.status}` : (e as Error)?.constructor?.name}: ${(e as Error)?.message ?? String(e)}`,
      { cause: e },
    );
  }
}

const params = { seed: SEED, numRuns: RUNS } as const;

/** Commands fuzzing found to throw (test/e2e/fuzz-findings.md), kept as fixed cases. */
const METADATA_STATE: UserState = {
  id: RESOURCE,
  tenantId: TENANT,
  userName: 'ada',
  externalId: null,
  active: true,
  workEmail: null,
  document: normalizeResource({ schemas: [USER_SCHEMA], userName: 'ada', [`${METADATA}:region`]: 'EMEA' }, TYPES.workforce, 'create'),
  version: 1,
  createdAt: NOW,
  updatedAt: NOW,
  ...SCIM_USER_LIFECYCLE,
};
const patchOf = (...Operations: object[]) => ({ schemas: [PATCH_OP], Operations });
const FOUND: [string, unknown][] = [
  ['replace Metadata:constructor', patchOf({ op: 'replace', path: `${METADATA}:constructor`, value: 'x' })],
  ['add Metadata:valueOf', patchOf({ op: 'add', path: `${METADATA}:valueOf`, value: 'x' })],
  ['remove Metadata:toString', patchOf({ op: 'remove', path: `${METADATA}:toString` })],
  ['no-path replace with a flat Metadata:hasOwnProperty key', patchOf({ op: 'replace', value: { [`${METADATA}:hasOwnProperty`]: 'x' } })],
  ['no-path replace with a Metadata object carrying constructor', patchOf({ op: 'replace', value: { [METADATA]: { constructor: 'x' } } })],
  ['replace of the Metadata container with toString', patchOf({ op: 'replace', path: METADATA, value: { toString: 'x' } })],
];

describe('the reconciler decides every command (never throws)', () => {
  it.each(FOUND)('a workforce user PATCH (%s) yields a decision or a 4xx rejection', (_name, payload) => {
    const command = asRead<UserCommand>({
      v: 1,
      commandId: 'c0000000-0000-4000-8000-000000000002',
      tenantId: TENANT,
      resourceType: 'User',
      resourceId: RESOURCE,
      action: 'patch',
      payload,
      issuedAt: NOW.toISOString(),
    });
    const decision = decided(() =>
      applyProfileToDecision(decideUserCommand(METADATA_STATE, command, NOW, TYPES.workforce), command, resolveProfileSettings('workforce', {}), NOW),
    );
    if (decision.kind === 'reject') assertRejection(decision.error);
    else if (decision.kind === 'save') assertPlainJson('the saved document', decision.state.document);
  });

  it("a user command, with any profile's rules and any current state or none, yields a decision or a 4xx rejection", () => {
    // half the runs on the workforce profile: its Metadata extension takes any key, hostile ones included
    const profiled = fc.oneof(fc.constantFrom(...SETTINGS), fc.constant(SETTINGS.find((s) => s.profile === 'workforce')!));
    const arbitrary = profiled.chain(({ profile, settings }) =>
      fc.record({
        profile: fc.constant(profile),
        settings: fc.constant(settings),
        read: commandOf<UserCommand>('User', USER_SCHEMA, 'userName'),
        current: fc.option(userState(TYPES[profile]), { nil: undefined, freq: 4 }),
        claim: fc.option(
          fc.record({ user: userState(TYPES[profile]), matchedBy: fc.constantFrom('userName', 'email') as fc.Arbitrary<'userName' | 'email'> }),
          { nil: undefined, freq: 2 },
        ),
      }),
    );
    fc.assert(
      fc.property(arbitrary, ({ profile, settings, read: { command }, current, claim }) => {
        if (!command) return; // answered as malformed, never decided
        const decision = decided(() =>
          applyProfileToDecision(decideUserCommand(current, command, NOW, TYPES[profile], claim as UserClaim | undefined), command, settings, NOW),
        );
        if (decision.kind === 'reject') return assertRejection(decision.error);
        if (decision.kind === 'save') {
          assertPlainJson('the saved document', decision.state.document);
          if (typeof decision.state.userName !== 'string') throw new Error(`userName column ${String(decision.state.userName)}`);
        }
        if (decision.kind !== 'unchanged') assertPlainJson('the change event', decision.event);
        assertPlainJson(
          'the outcome',
          decided(() => outcomeOf(command, decision)),
        );
      }),
      params,
    );
  });

  it('a group command, with any current state or none, yields a decision or a 4xx rejection', () => {
    const arbitrary = fc.record({ read: commandOf<GroupCommand>('Group', GROUP_SCHEMA, 'displayName'), current: fc.option(groupState, { nil: undefined }) });
    fc.assert(
      fc.property(arbitrary, ({ read: { command }, current }) => {
        if (!command) return; // answered as malformed, never decided
        const decision: GroupDecision = decided(() => decideGroupCommand(current, command, NOW));
        if (decision.kind === 'reject') return assertRejection(decision.error);
        if (decision.kind === 'save') {
          assertPlainJson('the saved document', decision.state.document);
          if (typeof decision.state.displayName !== 'string') throw new Error(`displayName column ${String(decision.state.displayName)}`);
          for (const step of decision.memberSteps)
            if ('userIds' in step && !step.userIds.every((id) => typeof id === 'string')) throw new Error(`member ids ${JSON.stringify(step.userIds)}`);
        }
      }),
      params,
    );
  });
});
