import { MAX_RESOURCE_DOCUMENT_BYTES, ProvisioningCommand, readCommand } from '@scimflow/contracts';
import { ENTRA_GROUP_EXTENSION, GROUP_SCHEMA, ScimError } from '@scimflow/scim';
import { decideGroupCommand, groupOutcome } from './group-decision';
import { command, EARLIER, envelope, GROUP, NOW, patchCommand, record, rejected, saved, stored, TENANT, U1, U2, U3 } from './test-helpers';
import { testPatch } from '@scimflow/contracts/schemas/test-helpers';

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
      ['patch', testPatch({ op: 'replace', path: 'displayName', value: 'x' })],
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
