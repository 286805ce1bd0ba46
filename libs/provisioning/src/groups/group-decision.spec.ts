import { GroupChangedEvent, MembershipEventType, ProvisioningCommand, GroupCommand, readCommand } from '@scimflow/contracts';
import { asRead } from '../../../contracts/src/test-helpers';
import { MAX_RESOURCE_DOCUMENT_BYTES } from '@scimflow/contracts';
import { ENTRA_GROUP_EXTENSION, GROUP_SCHEMA, groupMembers, parsePatchRequest, ScimError } from '@scimflow/scim';
import {
  chunkMembershipDiff,
  decideGroupCommand,
  finalizeGroupChange,
  GroupDecision,
  groupOutcome,
  isEmptyDiff,
  MemberStep,
  memberIds,
  MembershipDiff,
  MembershipDiffBuilder,
  membershipEvents,
  normalizeGroup,
  splitGroupPatch,
  userDeletionEvents,
} from './group-decision';
import { GroupState } from './group-state';
import { SCIM_USER_LIFECYCLE, UserState } from '../users/user-state';

const TENANT = '4f0e0000-0000-4000-8000-000000000001';
const GROUP = '9a1b0000-0000-4000-8000-0000000000aa';
const U1 = '00000000-0000-4000-8000-000000000001';
const U2 = '00000000-0000-4000-8000-000000000002';
const U3 = '00000000-0000-4000-8000-000000000003';
const NOW = new Date('2026-11-22T10:00:00.000Z');
const EARLIER = new Date('2026-11-01T08:00:00.000Z');
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const record = (action: ProvisioningCommand['action'], payload?: unknown, extra: Partial<ProvisioningCommand> = {}) => ({
  v: 1,
  commandId: 'c0000000-0000-4000-8000-000000000001',
  tenantId: TENANT,
  resourceType: 'Group',
  resourceId: GROUP,
  action,
  payload,
  issuedAt: NOW.toISOString(),
  ...extra,
});
const command = (action: ProvisioningCommand['action'], payload?: unknown, extra: Partial<ProvisioningCommand> = {}) =>
  asRead<GroupCommand>(record(action, payload, extra));
/** A command of which only the envelope (ids, action) is read. */
const envelope = (action: ProvisioningCommand['action']) => record(action) as GroupCommand;
const patchCommand = (...Operations: object[]) => command('patch', { schemas: [PATCH_OP], Operations });
const ops = (...Operations: object[]) => parsePatchRequest({ schemas: [PATCH_OP], Operations });

const stored = (extra: Partial<GroupState> = {}): GroupState => ({
  id: GROUP,
  tenantId: TENANT,
  displayName: 'Ops',
  externalId: 'ext-ops',
  document: { schemas: [GROUP_SCHEMA], externalId: 'ext-ops', displayName: 'Ops' },
  version: 3,
  createdAt: EARLIER,
  updatedAt: EARLIER,
  ...extra,
});

function rejected(d: GroupDecision): ScimError {
  if (d.kind !== 'reject') throw new Error(`expected a rejection, got ${d.kind}`);
  return d.error;
}
function saved(d: GroupDecision): Extract<GroupDecision, { kind: 'save' }> {
  if (d.kind !== 'save') throw new Error(`expected save, got ${d.kind}${d.kind === 'reject' ? `: ${d.error.detail}` : ''}`);
  return d;
}
function errorOf(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ScimError) return e;
    throw e;
  }
  throw new Error('expected a ScimError');
}

describe('decideGroupCommand', () => {
  describe('create', () => {
    it("accepts Entra's create-group body: ADSCIM URN not stored, version 0 until finalized, no member steps", () => {
      const d = saved(
        decideGroupCommand(
          undefined,
          command('create', {
            schemas: [GROUP_SCHEMA, ENTRA_GROUP_EXTENSION],
            externalId: '8aa1',
            displayName: 'displayName',
            meta: { resourceType: 'Group' },
          }),
          NOW,
        ),
      );
      expect(d.before).toBeUndefined();
      expect(d.memberSteps).toEqual([]);
      expect(d.state).toEqual({
        id: GROUP,
        tenantId: TENANT,
        displayName: 'displayName',
        externalId: '8aa1',
        document: { schemas: [GROUP_SCHEMA], externalId: '8aa1', displayName: 'displayName' },
        version: 0,
        createdAt: NOW,
        updatedAt: NOW,
      });
    });

    it('splits members off the document into one add step', () => {
      const d = saved(
        decideGroupCommand(
          undefined,
          command('create', { schemas: [GROUP_SCHEMA], displayName: 'Ops', members: [{ value: U1 }, { value: U2.toUpperCase() }, { value: U1 }] }),
          NOW,
        ),
      );
      expect(d.state.document).toEqual({ schemas: [GROUP_SCHEMA], displayName: 'Ops' });
      expect(d.memberSteps).toEqual([{ op: 'add', userIds: [U1, U2] }]);
    });

    const invalid: [string, unknown, number, string | undefined][] = [
      ['no displayName', { schemas: [GROUP_SCHEMA] }, 400, 'invalidValue'],
      ['a nested group member', { schemas: [GROUP_SCHEMA], displayName: 'Ops', members: [{ value: U1, type: 'Group' }] }, 400, 'invalidValue'],
      ['a member value that is not a string', { schemas: [GROUP_SCHEMA], displayName: 'Ops', members: [{ value: 1 }] }, 400, 'invalidValue'],
    ];
    it.each(invalid)('rejects %s', (_name, payload, status, scimType) => {
      const e = rejected(decideGroupCommand(undefined, command('create', payload), NOW));
      expect([e.status, e.scimType]).toEqual([status, scimType]);
    });

    it('a record whose payload is not an object is not a command (readCommand)', () => {
      expect(readCommand(JSON.stringify(record('create', 'Ops')))).toBeUndefined();
    });

    it('ignores a member holding only readOnly display (RFC 7643 §2.2: readOnly input is ignored, the element is empty)', () => {
      const d = saved(decideGroupCommand(undefined, command('create', { schemas: [GROUP_SCHEMA], displayName: 'Ops', members: [{ display: 'x' }] }), NOW));
      expect(d.memberSteps).toEqual([]);
    });

    it('rejects a create whose id exists (409)', () => {
      const e = rejected(decideGroupCommand(stored(), command('create', { schemas: [GROUP_SCHEMA], displayName: 'Ops' }), NOW));
      expect([e.status, e.scimType]).toEqual([409, 'uniqueness']);
    });
  });

  describe('preconditions of replace, patch and delete', () => {
    const actions: [ProvisioningCommand['action'], unknown][] = [
      ['replace', { schemas: [GROUP_SCHEMA], displayName: 'Ops' }],
      ['patch', { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'x' }] }],
      ['delete', undefined],
    ];
    it.each(actions)('%s of a missing group is 404', (action, payload) => {
      expect(rejected(decideGroupCommand(undefined, command(action, payload), NOW)).status).toBe(404);
    });
    it.each(actions)('%s with a stale If-Match is 412', (action, payload) => {
      expect(rejected(decideGroupCommand(stored(), command(action, payload, { ifMatch: 'W/"2"' }), NOW)).status).toBe(412);
    });
    it.each(actions)('%s with the current If-Match or * goes ahead', (action, payload) => {
      expect(decideGroupCommand(stored(), command(action, payload, { ifMatch: 'W/"3"' }), NOW).kind).not.toBe('reject');
      expect(decideGroupCommand(stored(), command(action, payload, { ifMatch: '*' }), NOW).kind).not.toBe('reject');
    });
  });

  describe('replace (PUT)', () => {
    it('replaces the attributes and makes the members exactly the listed ones (none listed: none)', () => {
      const d = saved(decideGroupCommand(stored(), command('replace', { schemas: [GROUP_SCHEMA], displayName: 'Ops renamed' }), NOW));
      expect(d.before).toEqual(stored());
      expect(d.state).toMatchObject({
        id: GROUP,
        displayName: 'Ops renamed',
        externalId: null,
        version: 3,
        document: { schemas: [GROUP_SCHEMA], displayName: 'Ops renamed' },
      });
      expect(d.memberSteps).toEqual([{ op: 'replace', userIds: [] }]);
    });

    it('carries the listed members as one replace step', () => {
      const d = saved(
        decideGroupCommand(stored(), command('replace', { schemas: [GROUP_SCHEMA], displayName: 'Ops', members: [{ value: U2 }, { value: U1 }] }), NOW),
      );
      expect(d.memberSteps).toEqual([{ op: 'replace', userIds: [U2, U1] }]);
    });
  });

  describe('patch', () => {
    it("applies Entra's no-path replace of displayName that echoes the group id", () => {
      const d = saved(decideGroupCommand(stored(), patchCommand({ op: 'Replace', value: { id: GROUP, displayName: 'new' } }), NOW));
      expect(d.state.document).toEqual({ schemas: [GROUP_SCHEMA], externalId: 'ext-ops', displayName: 'new' });
      expect(d.state.displayName).toBe('new');
      expect(d.state.id).toBe(GROUP); // ids never change on rename
      expect(d.memberSteps).toEqual([]);
    });

    it('keeps the document untouched when only members are patched', () => {
      const d = saved(decideGroupCommand(stored(), patchCommand({ op: 'Add', path: 'members', value: [{ value: U1 }] }), NOW));
      expect(d.state.document).toEqual(stored().document);
      expect(d.memberSteps).toEqual([{ op: 'add', userIds: [U1] }]);
    });

    it('mixes attribute and member operations, steps in request order', () => {
      const d = saved(
        decideGroupCommand(
          stored(),
          patchCommand(
            { op: 'Remove', path: 'members' },
            { op: 'Replace', path: 'displayName', value: 'Ops 2' },
            { op: 'Add', path: 'members', value: [{ value: U3 }] },
          ),
          NOW,
        ),
      );
      expect(d.state.displayName).toBe('Ops 2');
      expect(d.memberSteps).toEqual([{ op: 'removeAll' }, { op: 'add', userIds: [U3] }]);
    });

    const invalid: [string, object, number, string][] = [
      ['removing the required displayName', { op: 'remove', path: 'displayName' }, 400, 'mutability'],
      ['an unknown attribute', { op: 'replace', path: 'userName', value: 'x' }, 400, 'invalidPath'],
      ['another group id in a no-path value', { op: 'replace', value: { id: U1, displayName: 'x' } }, 400, 'mutability'],
      ['a member sub-attribute path', { op: 'replace', path: 'members.display', value: 'x' }, 400, 'invalidPath'],
      ['replace of a filtered member', { op: 'replace', path: 'members[value eq "x"]', value: { value: 'y' } }, 400, 'invalidPath'],
      ['a filter on display', { op: 'remove', path: 'members[display eq "Ada"]' }, 400, 'invalidPath'],
      ['members inside the core-schema object', { op: 'add', value: { [GROUP_SCHEMA]: { members: [{ value: U1 }] } } }, 400, 'invalidPath'],
    ];
    it.each(invalid)('rejects %s', (_name, op, status, scimType) => {
      const e = rejected(decideGroupCommand(stored(), patchCommand(op), NOW));
      expect([e.status, e.scimType]).toEqual([status, scimType]);
    });

    it('a record with a malformed PatchOp envelope is not a command (readCommand)', () => {
      expect(readCommand(JSON.stringify(record('patch', { Operations: [] })))).toBeUndefined();
    });
  });

  it('delete keeps the current state as `before`', () => {
    expect(decideGroupCommand(stored(), command('delete'), NOW)).toEqual({ kind: 'delete', before: stored() });
  });
});

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

describe('MembershipDiffBuilder: the net effect of a command’s steps', () => {
  const cases: [string, (b: MembershipDiffBuilder) => void, MembershipDiff][] = [
    ['nothing', () => undefined, { added: [], removed: [] }],
    ['added', (b) => b.recordAdded([U2, U1]), { added: [U1, U2], removed: [] }],
    ['removed', (b) => b.recordRemoved([U3]), { added: [], removed: [U3] }],
    ['added then removed: no change', (b) => b.recordAdded([U1]).recordRemoved([U1]), { added: [], removed: [] }],
    ['removed then added back: no change', (b) => b.recordRemoved([U1]).recordAdded([U1]), { added: [], removed: [] }],
    ['replace: remove others, add new', (b) => b.recordRemoved([U1, U2]).recordAdded([U3]), { added: [U3], removed: [U1, U2] }],
    ['remove all then re-add one', (b) => b.recordRemoved([U1, U2, U3]).recordAdded([U2]), { added: [], removed: [U1, U3] }],
    ['added, removed, added again', (b) => b.recordAdded([U1]).recordRemoved([U1]).recordAdded([U1]), { added: [U1], removed: [] }],
    ['repeated reports are idempotent', (b) => b.recordAdded([U1]).recordAdded([U1]), { added: [U1], removed: [] }],
  ];
  it.each(cases)('%s', (_name, steps, diff) => {
    const b = new MembershipDiffBuilder();
    steps(b);
    expect(b.result()).toEqual(diff);
    expect(isEmptyDiff(b.result())).toBe(diff.added.length + diff.removed.length === 0);
  });
});

describe('chunkMembershipDiff', () => {
  const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(5, '0')}`);
  const cases: [string, MembershipDiff, number, number[][]][] = [
    ['empty: one empty part', { added: [], removed: [] }, 3, [[0, 0]]],
    ['fits', { added: ids('a', 2), removed: ids('r', 1) }, 3, [[2, 1]]],
    [
      'added spill into a second part',
      { added: ids('a', 4), removed: [] },
      3,
      [
        [3, 0],
        [1, 0],
      ],
    ],
    [
      'added first, then removed',
      { added: ids('a', 2), removed: ids('r', 3) },
      3,
      [
        [2, 1],
        [0, 2],
      ],
    ],
    [
      'exact multiple',
      { added: ids('a', 6), removed: [] },
      3,
      [
        [3, 0],
        [3, 0],
      ],
    ],
    ['50,000 removed at 1,000 per part', { added: [], removed: ids('r', 50_000) }, 1000, Array.from({ length: 50 }, () => [0, 1000])],
  ];
  it.each(cases)('%s', (_name, diff, max, shape) => {
    const parts = chunkMembershipDiff(diff, max);
    expect(parts.map((p) => [p.added.length, p.removed.length])).toEqual(shape);
    expect(parts.flatMap((p) => p.added)).toEqual(diff.added);
    expect(parts.flatMap((p) => p.removed)).toEqual(diff.removed);
  });
  it('rejects a non-positive size', () => {
    expect(() => chunkMembershipDiff({ added: [], removed: [] }, 0)).toThrow(RangeError);
  });
});

describe('finalizeGroupChange: versions and group-changed events', () => {
  const none: MembershipDiff = { added: [], removed: [] };
  const save = (cmd: GroupCommand, current?: GroupState) => saved(decideGroupCommand(current, cmd, NOW));

  it('create: version 1, one created event with the group and the added members', () => {
    const d = save(command('create', { schemas: [GROUP_SCHEMA], displayName: 'Ops', externalId: 'e' }));
    const change = finalizeGroupChange(d, { added: [U1, U2], removed: [] }, envelope('create'), NOW)!;
    expect(change.state).toMatchObject({ version: 1, createdAt: NOW, updatedAt: NOW });
    expect(change.events).toHaveLength(1);
    const [e] = change.events;
    expect(e).toMatchObject({
      specversion: '1.0',
      type: 'dev.scimflow.group.created.v1',
      source: '/scimflow/reconciler',
      subject: `tenants/${TENANT}/groups/${GROUP}`,
      dataschema: 'https://scimflow.dev/schemas/events/group-changed/v1.json',
      tenantid: TENANT,
      sequence: 1,
      time: NOW.toISOString(),
      data: {
        groupId: GROUP,
        displayName: 'Ops',
        externalId: 'e',
        members: { added: [U1, U2], removed: [] },
        memberCounts: { added: 2, removed: 0 },
        part: { index: 1, count: 1 },
        group: { id: GROUP, schemas: [GROUP_SCHEMA], displayName: 'Ops', externalId: 'e' },
      },
    });
    expect(e.data.changes).toEqual([
      { attribute: 'displayName', after: 'Ops' },
      { attribute: 'externalId', after: 'e' },
      { attribute: 'schemas', after: [GROUP_SCHEMA] },
    ]);
  });

  it('rename: one updated event with before/after, version +1', () => {
    const d = save(patchCommand({ op: 'Replace', path: 'displayName', value: 'Ops 2' }), stored());
    const change = finalizeGroupChange(d, none, envelope('patch'), NOW)!;
    expect(change.state).toMatchObject({ version: 4, displayName: 'Ops 2', createdAt: EARLIER, updatedAt: NOW, id: GROUP });
    expect(change.events.map((e) => [e.type, e.sequence])).toEqual([['dev.scimflow.group.updated.v1', 4]]);
    expect(change.events[0].data.changes).toEqual([{ attribute: 'displayName', before: 'Ops', after: 'Ops 2' }]);
    expect(change.events[0].data.members).toEqual(none);
  });

  it('membership-only change: updated event, no attribute changes', () => {
    const d = save(patchCommand({ op: 'Add', path: 'members', value: [{ value: U1 }] }), stored());
    const change = finalizeGroupChange(d, { added: [U1], removed: [] }, envelope('patch'), NOW)!;
    expect(change.events[0]).toMatchObject({
      type: 'dev.scimflow.group.updated.v1',
      sequence: 4,
      data: { changes: [], members: { added: [U1], removed: [] } },
    });
  });

  it('nothing changed (member already there, same name): no event, no new version', () => {
    const d = save(patchCommand({ op: 'Add', path: 'members', value: [{ value: U1 }] }, { op: 'Replace', path: 'displayName', value: 'Ops' }), stored());
    expect(finalizeGroupChange(d, none, envelope('patch'), NOW)).toBeUndefined();
  });

  it('a large diff is split: one event per part, each with its own sequence; version = last sequence', () => {
    const added = Array.from({ length: 2500 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const d = save(patchCommand({ op: 'Replace', path: 'displayName', value: 'Big' }), stored());
    const change = finalizeGroupChange(d, { added, removed: [U3] }, envelope('patch'), NOW)!;
    expect(change.events.map((e) => e.sequence)).toEqual([4, 5, 6]);
    expect(change.state!.version).toBe(6);
    expect(change.events.map((e) => e.data.part)).toEqual([
      { index: 1, count: 3 },
      { index: 2, count: 3 },
      { index: 3, count: 3 },
    ]);
    expect(change.events.map((e) => e.data.members.added.length + e.data.members.removed.length)).toEqual([1000, 1000, 501]);
    expect(change.events.every((e) => e.type === 'dev.scimflow.group.updated.v1')).toBe(true);
    expect(change.events.map((e) => e.data.changes.length)).toEqual([1, 0, 0]);
    expect(change.events.every((e) => e.data.memberCounts.added === 2500 && e.data.memberCounts.removed === 1)).toBe(true);
    expect(new Set(change.events.map((e) => e.id)).size).toBe(3);
  });

  it('delete: deleted event(s) listing the removed members, no group, sequences after the last version', () => {
    const d = decideGroupCommand(stored(), command('delete'), NOW) as Extract<GroupDecision, { kind: 'delete' }>;
    const removed = Array.from({ length: 1500 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const change = finalizeGroupChange(d, { added: [], removed }, command('delete'), NOW)!;
    expect(change.state).toBeUndefined();
    expect(change.events.map((e) => [e.type, e.sequence])).toEqual([
      ['dev.scimflow.group.deleted.v1', 4],
      ['dev.scimflow.group.deleted.v1', 5],
    ]);
    expect(change.events.every((e) => e.data.group === undefined && e.data.displayName === 'Ops')).toBe(true);
    expect(change.events.flatMap((e) => e.data.members.removed)).toEqual(removed);
  });

  it('delete of an empty group: one deleted event', () => {
    const d = decideGroupCommand(stored(), command('delete'), NOW) as Extract<GroupDecision, { kind: 'delete' }>;
    const change = finalizeGroupChange(d, none, command('delete'), NOW)!;
    expect(change.events.map((e: GroupChangedEvent) => [e.type, e.sequence, e.data.members])).toEqual([['dev.scimflow.group.deleted.v1', 4, none]]);
  });

  it('is deterministic: the same command gives the same event ids (replays de-duplicate)', () => {
    const d = save(patchCommand({ op: 'Replace', path: 'displayName', value: 'Ops 2' }), stored());
    const a = finalizeGroupChange(d, { added: [U1], removed: [] }, envelope('patch'), NOW)!;
    const b = finalizeGroupChange(d, { added: [U1], removed: [] }, envelope('patch'), NOW)!;
    expect(a.events.map((e) => e.id)).toEqual(b.events.map((e) => e.id));
  });
});

describe('membershipEvents: one per affected user, on the user’s sequence', () => {
  const group = { id: GROUP, displayName: 'Ops' };

  it('emits added and removed events with each user’s new version as sequence', () => {
    const events = membershipEvents(
      envelope('patch'),
      group,
      { added: [U1, U2], removed: [U3] },
      new Map([
        [U1, 5],
        [U2, 2],
        [U3, 9],
      ]),
      NOW,
    );
    expect(events.map((e) => [e.type, e.data.userId, e.sequence, e.subject])).toEqual([
      [MembershipEventType.added, U1, 5, `tenants/${TENANT}/users/${U1}`],
      [MembershipEventType.added, U2, 2, `tenants/${TENANT}/users/${U2}`],
      [MembershipEventType.removed, U3, 9, `tenants/${TENANT}/users/${U3}`],
    ]);
    expect(events[0]).toMatchObject({
      specversion: '1.0',
      dataschema: 'https://scimflow.dev/schemas/events/membership-changed/v1.json',
      tenantid: TENANT,
      data: { userId: U1, groupId: GROUP, groupDisplayName: 'Ops', commandId: envelope('patch').commandId },
    });
  });

  it('gives distinct ids to users that share type and sequence', () => {
    const events = membershipEvents(
      envelope('patch'),
      group,
      { added: [U1, U2], removed: [] },
      new Map([
        [U1, 2],
        [U2, 2],
      ]),
      NOW,
    );
    expect(events[0].id).not.toBe(events[1].id);
  });

  it('nothing for an empty diff', () => {
    expect(membershipEvents(envelope('patch'), group, { added: [], removed: [] }, new Map(), NOW)).toEqual([]);
  });

  it('refuses a user without a new version (the reconciler must advance every affected user)', () => {
    expect(() => membershipEvents(envelope('patch'), group, { added: [U1], removed: [] }, new Map(), NOW)).toThrow(/no new version/);
  });
});

describe('userDeletionEvents: leaving every group, then deleted', () => {
  const user: UserState = {
    id: U1,
    tenantId: TENANT,
    userName: 'ada@contoso.example',
    externalId: 'ada',
    active: true,
    document: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada@contoso.example' },
    version: 7,
    createdAt: EARLIER,
    updatedAt: EARLIER,
    workEmail: null,
    ...SCIM_USER_LIFECYCLE,
  };
  const del = { ...command('delete'), resourceType: 'User' as const, resourceId: U1 };

  it('without groups: just the deleted event at version + 1', () => {
    const { memberships, deleted } = userDeletionEvents(del, user, [], NOW);
    expect(memberships).toEqual([]);
    expect([deleted.type, deleted.sequence]).toEqual(['dev.scimflow.user.deleted.v1', 8]);
  });

  it('with groups: removed events (group id order) take the next sequences, deleted is last', () => {
    const G2 = 'ffff0000-0000-4000-8000-000000000000';
    const { memberships, deleted } = userDeletionEvents(
      del,
      user,
      [
        { id: G2, displayName: 'Zeta' },
        { id: GROUP, displayName: 'Ops' },
      ],
      NOW,
    );
    expect(memberships.map((e) => [e.type, e.data.groupId, e.data.groupDisplayName, e.sequence])).toEqual([
      [MembershipEventType.removed, GROUP, 'Ops', 8],
      [MembershipEventType.removed, G2, 'Zeta', 9],
    ]);
    expect([deleted.type, deleted.sequence, deleted.data.userId]).toEqual(['dev.scimflow.user.deleted.v1', 10, U1]);
  });
});

describe('groupOutcome', () => {
  it('answers 201/200 with the group (no members), 204 for delete, the error otherwise', () => {
    const cmd = envelope('create');
    const state = { ...stored(), version: 1 };
    expect(groupOutcome(cmd, { state, created: true })).toEqual({
      commandId: cmd.commandId,
      status: 201,
      resource: { id: GROUP, document: state.document, version: 1, created: EARLIER.toISOString(), lastModified: EARLIER.toISOString() },
    });
    expect(groupOutcome(cmd, { state, created: false }).status).toBe(200);
    expect(groupOutcome(cmd, { deleted: true })).toEqual({ commandId: cmd.commandId, status: 204 });
    expect(groupOutcome(cmd, { error: ScimError.conflict('taken') })).toEqual({
      commandId: cmd.commandId,
      status: 409,
      error: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '409', scimType: 'uniqueness', detail: 'taken' },
    });
  });
});

describe('decideGroupCommand: import of a product group', () => {
  const imp = (payload: unknown) => command('import', payload);
  it('creates the group without members, version 0 like a create', () => {
    const d = decideGroupCommand(undefined, imp({ document: { schemas: [GROUP_SCHEMA], displayName: 'Read Only' } }), NOW);
    expect(d.kind === 'save' && [d.state.displayName, d.state.version, d.memberSteps]).toEqual(['Read Only', 0, []]);
  });
  it('refuses members, a missing document and an existing id', () => {
    const withMembers = decideGroupCommand(undefined, imp({ document: { schemas: [GROUP_SCHEMA], displayName: 'X', members: [{ value: U1 }] } }), NOW);
    expect(withMembers.kind === 'reject' && withMembers.error.detail).toMatch(/no members/);
    expect(readCommand(JSON.stringify(record('import', undefined)))).toBeUndefined();
    const existing = decideGroupCommand(undefined, imp({ document: { schemas: [GROUP_SCHEMA], displayName: 'Y' } }), NOW);
    if (existing.kind !== 'save') throw new Error('expected save');
    const again = decideGroupCommand(existing.state, imp({ document: { schemas: [GROUP_SCHEMA], displayName: 'Y' } }), NOW);
    expect(again.kind === 'reject' && again.error.status).toBe(409);
  });
});

describe('document size', () => {
  it('a PATCH whose resulting group document is larger than MAX_RESOURCE_DOCUMENT_BYTES is rejected 413', () => {
    const created = saved(decideGroupCommand(undefined, command('create', { schemas: [GROUP_SCHEMA], displayName: 'Ops' }), NOW));
    const d = decideGroupCommand(created.state, patchCommand({ op: 'replace', path: 'displayName', value: 'x'.repeat(MAX_RESOURCE_DOCUMENT_BYTES) }), NOW);
    if (d.kind !== 'reject') throw new Error('expected reject');
    expect([d.error.status, d.error.detail]).toEqual([413, expect.stringMatching(/Group document is \d+ bytes/)]);
  });
});
