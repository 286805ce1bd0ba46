/**
 * Property tests (fast-check) of a workforce tenant's user decisions with names drawn from prototype members
 * (`constructor`, `toString`, `__proto__`, …) mixed with real attribute names: the decision never throws anything but
 * a ScimError (the reconciler would retry a thrown command), and Metadata keys named like prototype members are
 * stored, rendered and announced as the customer's data.
 */
import { ProvisioningCommand, readCommand, UserCommand } from '@scimflow/contracts';
import { asRead } from '../../contracts/src/test-helpers';
import {
  ENTERPRISE_USER_SCHEMA,
  normalizeResource,
  projectResource,
  ScimError,
  USER_SCHEMA,
  userResourceTypeFor,
  validateSchemaRegistration,
} from '@scimflow/scim';
import fc from 'fast-check';
import { WORKFORCE_FOLDERS_SCHEMA, WORKFORCE_METADATA_SCHEMA } from './profiles/profile-schemas';
import { renderUser } from './users/user-render';
import { decideUserCommand, outcomeOf } from './users/user-decision';
import { UserState } from './users/user-state';

const TENANT = '4f0e0000-0000-4000-8000-0000000000e1';
const USER = '00000000-0000-4000-8000-0000000000e1';
const NOW = new Date('2026-12-02T10:00:00.000Z');
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const FOLDERS = WORKFORCE_FOLDERS_SCHEMA.id;
const METADATA = WORKFORCE_METADATA_SCHEMA.id;
const types = userResourceTypeFor([validateSchemaRegistration(WORKFORCE_FOLDERS_SCHEMA), validateSchemaRegistration(WORKFORCE_METADATA_SCHEMA)]);

/** Prototype members that are attribute names (data in an open schema), and names that are not (refused). */
const PROTOTYPE_NAMES = [
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  'toJSON',
];
const REFUSED_NAMES = ['__proto__', '__defineGetter__', '__lookupGetter__'];
const REAL_NAMES = [
  'userName',
  'displayName',
  'title',
  'active',
  'name',
  'givenName',
  'emails',
  'value',
  'type',
  'primary',
  'department',
  'manager',
  'folders',
  'costCode',
];

let n = 0;
const record = (action: ProvisioningCommand['action'], payload: unknown) => ({
  v: 1,
  commandId: `c0000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  tenantId: TENANT,
  resourceType: 'User',
  resourceId: USER,
  action,
  payload,
  issuedAt: NOW.toISOString(),
});
const command = (action: ProvisioningCommand['action'], payload: unknown) => asRead<UserCommand>(record(action, payload));

function created(): UserState {
  const document = normalizeResource(
    {
      schemas: [USER_SCHEMA],
      userName: 'ada@contoso.example',
      name: { givenName: 'Ada' },
      emails: [{ type: 'work', value: 'ada@contoso.example', primary: true }],
      [`${METADATA}:costCode`]: 42,
      [`${FOLDERS}:folders`]: ['f1'],
    },
    types,
    'create',
  );
  const d = decideUserCommand(undefined, command('create', document), NOW, types);
  if (d.kind !== 'save') throw new Error(`create: ${d.kind}`);
  return d.state;
}

// ---- generators ---------------------------------------------------------------------------------------------------

const name = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES, ...REFUSED_NAMES) },
  { weight: 2, arbitrary: fc.constantFrom(...REAL_NAMES) },
);
const urn = fc.constantFrom(USER_SCHEMA, ENTERPRISE_USER_SCHEMA, FOLDERS, METADATA);
const path = fc.oneof(
  name,
  fc.tuple(name, name).map(([a, b]) => `${a}.${b}`),
  fc.tuple(urn, name).map(([u, a]) => `${u}:${a}`),
  fc.tuple(urn, name, name).map(([u, a, b]) => `${u}:${a}.${b}`),
  fc.tuple(name, name).map(([a, b]) => `${a}[${b} eq "x"]`),
  fc.tuple(name, name, name).map(([a, b, c]) => `${a}[${b} eq "x"].${c}`),
  urn,
);
const scalar = fc.oneof(fc.constantFrom('x', 'X', '', 'True', 'work'), fc.integer(), fc.boolean(), fc.constant(null));
/** Objects keyed by the vocabulary, built from JSON text so `__proto__` is an own member as the body parser makes it. */
const keyed = <T>(key: fc.Arbitrary<string>, value: fc.Arbitrary<T>) =>
  fc
    .array(fc.tuple(key, value), { maxLength: 4 })
    .map((entries) => JSON.parse(`{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`) as Record<string, unknown>);
const value: fc.Arbitrary<unknown> = fc.oneof(
  scalar,
  keyed(name, scalar),
  fc.array(fc.oneof(scalar, keyed(name, scalar)), { maxLength: 3 }),
  keyed(path, fc.oneof(scalar, keyed(name, scalar))),
);
/** Operations on Metadata keys, which mostly succeed: the hostile names must reach the writes, not only the refusals. */
const metadataOperation = fc.oneof(
  fc.record({ op: fc.constantFrom('add', 'replace', 'Replace'), path: name.map((k) => `${METADATA}:${k}`), value: scalar }),
  fc.record({ op: fc.constantFrom('remove'), path: name.map((k) => `${METADATA}:${k}`) }),
  fc.record({
    op: fc.constantFrom('add', 'replace'),
    value: keyed(
      name.map((k) => `${METADATA}:${k}`),
      scalar,
    ),
  }),
  fc.record({ op: fc.constantFrom('add', 'replace'), path: fc.constant(METADATA), value: keyed(name, scalar) }),
);
const operation = fc.oneof(
  { weight: 4, arbitrary: metadataOperation },
  { weight: 1, arbitrary: fc.record({ op: fc.constantFrom('add', 'replace', 'Replace', 'remove'), path, value }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constantFrom('add', 'replace'), value: keyed(path, value) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constantFrom('remove'), path }) },
);
const patchBody = fc.array(operation, { minLength: 1, maxLength: 2 }).map((Operations) => ({ schemas: [PATCH_OP], Operations }));

/** Metadata keys → values, prototype-member names mixed with ordinary keys. */
const metadataKeys = fc.uniqueArray(fc.tuple(fc.constantFrom(...PROTOTYPE_NAMES, 'costCode', 'region', 'site'), fc.string({ minLength: 1, maxLength: 8 })), {
  minLength: 1,
  maxLength: 6,
  selector: ([k]) => k,
});

// ---- properties ---------------------------------------------------------------------------------------------------

describe('decideUserCommand with hostile names (workforce tenant)', () => {
  it('never throws: every PATCH is saved, unchanged or rejected with a 4xx ScimError; saved documents are plain JSON', () => {
    const kinds = { save: 0, unchanged: 0, reject: 0, unreadable: 0 };
    fc.assert(
      fc.property(fc.array(patchBody, { minLength: 1, maxLength: 3 }), (bodies) => {
        let state = created();
        for (const body of bodies) {
          const read = readCommand(JSON.stringify(record('patch', body)));
          if (!read) {
            kinds.unreadable++; // a malformed envelope: answered as malformed, never decided
            continue;
          }
          const d = decideUserCommand(state, read as UserCommand, NOW, types);
          if (d.kind in kinds) kinds[d.kind as keyof typeof kinds]++;
          if (d.kind === 'reject') {
            expect(d.error).toBeInstanceOf(ScimError);
            expect(d.error.status).toBeGreaterThanOrEqual(400);
            expect(d.error.status).toBeLessThan(500);
            continue;
          }
          expect(['save', 'unchanged']).toContain(d.kind);
          if (d.kind !== 'save') continue;
          // what Postgres and Kafka will hold: JSON round-trips, and the stored document is a valid PUT body again
          expect(JSON.parse(JSON.stringify(d.state.document))).toEqual(d.state.document);
          expect(normalizeResource(d.state.document, types, 'replace')).toEqual(d.state.document);
          expect(JSON.parse(JSON.stringify(d.event)).data.user).toEqual({ id: USER, ...d.state.document });
          state = d.state;
        }
      }),
      { numRuns: 300 },
    );
    // the vocabulary reaches the writes, not only the refusals
    expect(kinds.save).toBeGreaterThan(30);
    expect(kinds.reject).toBeGreaterThan(30);
  });

  it('names that are not attribute names (__proto__, __defineGetter__) are rejected wherever they appear', () => {
    fc.assert(
      fc.property(fc.constantFrom(...REFUSED_NAMES), fc.constantFrom('path', 'no-path key', 'extension object'), (bad, where) => {
        const op =
          where === 'path'
            ? { op: 'replace', path: `${METADATA}:${bad}`, value: 'x' }
            : where === 'no-path key'
              ? { op: 'replace', value: JSON.parse(`{"${METADATA}:${bad}":"x"}`) }
              : { op: 'replace', value: JSON.parse(`{"${METADATA}":{"${bad}":"x"}}`) };
        const d = decideUserCommand(created(), command('patch', { schemas: [PATCH_OP], Operations: [op] }), NOW, types);
        expect(d.kind === 'reject' && [d.error.status, d.error.scimType]).toEqual([400, 'invalidPath']);
      }),
    );
  });

  it('Metadata keys named like prototype members round-trip as data: stored, rendered, projected, in the event', () => {
    fc.assert(
      fc.property(metadataKeys, fc.constantFrom('path', 'no-path key', 'extension object'), (entries, form) => {
        const wanted = Object.fromEntries(entries);
        const Operations =
          form === 'path'
            ? entries.map(([k, v]) => ({ op: 'replace', path: `${METADATA}:${k}`, value: v }))
            : form === 'no-path key'
              ? [{ op: 'replace', value: Object.fromEntries(entries.map(([k, v]) => [`${METADATA}:${k}`, v])) }]
              : [{ op: 'replace', path: METADATA, value: wanted }];
        const before = created();
        const d = decideUserCommand(before, command('patch', { schemas: [PATCH_OP], Operations }), NOW, types);
        if (d.kind !== 'save') throw new Error(`expected save, got ${JSON.stringify(d)}`);
        const expected = { ...(before.document[METADATA] as object), ...wanted };
        const resource = outcomeOf(command('patch', { schemas: [PATCH_OP], Operations }), d).resource!;
        const rendered = JSON.parse(JSON.stringify(projectResource(renderUser(resource, 'https://scim.example/scim/v2/t'), types)));
        expect(rendered[METADATA]).toEqual(expected);
        for (const [k, v] of entries) expect(Object.hasOwn(rendered[METADATA], k) && rendered[METADATA][k]).toBe(v);
        const event = JSON.parse(JSON.stringify(d.event));
        expect(event.data.user[METADATA]).toEqual(expected);
        expect(event.data.changes).toEqual([expect.objectContaining({ attribute: METADATA, after: expected })]);
        // and the next write of the same user works on the stored document
        const next = decideUserCommand(
          d.state,
          command('patch', { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'Ada L.' }] }),
          NOW,
          types,
        );
        expect(next.kind === 'save' && next.state.document[METADATA]).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
