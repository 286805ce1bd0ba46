import { MAX_RESOURCE_DOCUMENT_BYTES, readCommand } from '@scimflow/contracts';
import { USER_SCHEMA, userResourceTypeSchemas } from '@scimflow/scim';
import { applyProfileToDecision } from '../profiles/profiled-user-decision';
import { resolveProfileSettings } from '../profiles/profile-settings';
import { decideUserCommand, outcomeOf } from './user-decision';
import { userDeletionEvents } from './user-deletion-events';
import { command, doc, FRESH, imported, IMPORTED, LATER, NOW, record, saved, TENANT, valid } from './test-helpers';
import { testPatch } from '@scimflow/contracts/schemas/test-helpers';

describe('import: an existing product user, not linked to Entra yet', () => {
  it('is a new user of origin import, unlinked, SSO by default, announced as created', () => {
    const d = saved(decideUserCommand(undefined, command(IMPORTED, 'import', { document: doc('ada', 'ada@contoso.example') }), NOW, userResourceTypeSchemas));
    expect(d.isNew).toBe(true);
    expect(d.state).toMatchObject({
      id: IMPORTED,
      origin: 'import',
      linked: false,
      loginMethod: 'sso',
      workEmail: 'ada@contoso.example',
      version: 1,
      deletedAt: null,
    });
    expect(d.event.type).toBe('dev.scimflow.user.created.v1');
    expect(d.event.data).toMatchObject({ origin: 'import', linked: false, loginMethod: 'sso' });
    valid(d.event);
  });

  it('keeps a given login method; a record with an unknown one is not a command (readCommand)', () => {
    expect(imported('builtIn').loginMethod).toBe('builtIn');
    expect(readCommand(JSON.stringify(record(IMPORTED, 'import', { document: doc('ada'), loginMethod: 'password' })))).toBeUndefined();
  });

  it('refuses a document SCIM would refuse; a record without a document is not a command (readCommand)', () => {
    expect(readCommand(JSON.stringify(record(IMPORTED, 'import', {})))).toBeUndefined();
    const noUserName = decideUserCommand(undefined, command(IMPORTED, 'import', { document: { schemas: [USER_SCHEMA] } }), NOW, userResourceTypeSchemas);
    expect(noUserName.kind === 'reject' && noUserName.error.status).toBe(400);
  });

  it('conflicts with an existing id', () => {
    const again = decideUserCommand(imported(), command(IMPORTED, 'import', { document: doc('ada') }), NOW, userResourceTypeSchemas);
    expect(again.kind === 'reject' && again.error.status).toBe(409);
  });
});

describe('a SCIM create claiming an unlinked user', () => {
  const entra = doc('ada@contoso.example', 'ada@contoso.example', { displayName: 'Ada Lovelace', active: true });

  it.each(['userName', 'email'] as const)('matched by %s: keeps the id, version and login method, takes Entra document, links, answers 201', (matchedBy) => {
    const user = imported('builtIn');
    const d = saved(decideUserCommand(undefined, command(FRESH, 'create', entra), LATER, userResourceTypeSchemas, { user, matchedBy }));
    expect(d.isNew).toBe(false);
    expect(d.claimed).toBe(matchedBy);
    expect(d.before).toBe(user);
    expect(d.state).toMatchObject({
      id: IMPORTED,
      userName: 'ada@contoso.example',
      linked: true,
      origin: 'import',
      loginMethod: 'builtIn',
      version: 2,
      createdAt: NOW,
      updatedAt: LATER,
    });
    expect(d.state.document.displayName).toBe('Ada Lovelace');
    expect(d.event).toMatchObject({ type: 'dev.scimflow.user.updated.v1', sequence: 2, subject: `tenants/${TENANT}/users/${IMPORTED}` });
    expect(d.event.data).toMatchObject({ userId: IMPORTED, matchedBy, linked: true });
    expect(d.event.data.changes.map((c) => c.attribute)).toEqual(['active', 'displayName', 'emails', 'userName']);
    valid(d.event);
    const outcome = outcomeOf(command(FRESH, 'create', entra), d);
    expect([outcome.status, outcome.resource?.id]).toEqual([201, IMPORTED]);
  });

  it('a soft-deleted user comes back as created, continuing its sequence', () => {
    const user = imported();
    const gone = userDeletionEvents(command(IMPORTED, 'delete'), user, [], NOW, 'soft').kept!;
    const d = saved(decideUserCommand(undefined, command(FRESH, 'create', entra), LATER, userResourceTypeSchemas, { user: gone, matchedBy: 'userName' }));
    expect(d.state).toMatchObject({ id: IMPORTED, deletedAt: null, linked: true, active: true, version: gone.version + 1 });
    expect([d.event.type, d.event.sequence]).toEqual(['dev.scimflow.user.created.v1', gone.version + 1]);
    valid(d.event);
  });
});

describe('SCIM writes and the admin API on lifecycle fields', () => {
  it('a PATCH that changes something links an imported user', () => {
    const user = imported();
    const patch = command(IMPORTED, 'patch', testPatch({ op: 'replace', path: 'displayName', value: 'Ada' }));
    expect(saved(decideUserCommand(user, patch, LATER, userResourceTypeSchemas)).state.linked).toBe(true);
  });

  it('a PATCH that changes nothing leaves it unlinked (nothing written)', () => {
    const user = imported();
    const patch = command(IMPORTED, 'patch', testPatch({ op: 'replace', path: 'displayName', value: 'Ada (imported)' }));
    expect(decideUserCommand(user, patch, LATER, userResourceTypeSchemas).kind).toBe('unchanged');
  });

  it('setLoginMethod: a new version and an updated event with a loginMethod change; same method: unchanged', () => {
    const user = imported();
    const d = saved(decideUserCommand(user, command(IMPORTED, 'setLoginMethod', { loginMethod: 'builtIn' }), LATER, userResourceTypeSchemas));
    expect(d.state).toMatchObject({ loginMethod: 'builtIn', version: 2, linked: false });
    expect(d.event.data.changes).toEqual([{ attribute: 'loginMethod', before: 'sso', after: 'builtIn' }]);
    expect(d.event.type).toBe('dev.scimflow.user.updated.v1');
    valid(d.event);
    expect(decideUserCommand(d.state, command(IMPORTED, 'setLoginMethod', { loginMethod: 'builtIn' }), LATER, userResourceTypeSchemas).kind).toBe('unchanged');
    expect(readCommand(JSON.stringify(record(IMPORTED, 'setLoginMethod', { loginMethod: 'SSO ' })))).toBeUndefined();
  });

  it('a soft-deleted user is not found for every action but create', () => {
    const gone = userDeletionEvents(command(IMPORTED, 'delete'), imported(), [], NOW, 'soft').kept!;
    for (const [action, payload] of [
      ['patch', testPatch({ op: 'replace', path: 'displayName', value: 'x' })],
      ['replace', doc('ada')],
      ['delete', undefined],
      ['setLoginMethod', { loginMethod: 'builtIn' }],
    ] as const) {
      const d = decideUserCommand(gone, command(IMPORTED, action, payload), LATER, userResourceTypeSchemas);
      expect(d.kind === 'reject' && d.error.status).toBe(404);
    }
  });
});

describe('profile rules on lifecycle decisions', () => {
  const workforce = resolveProfileSettings('workforce', {});

  it('an import obeys the tenant rules (workforce: names and work email required, userType default)', () => {
    const c = command(IMPORTED, 'import', { document: doc('ada', 'ada@contoso.example') });
    const missing = applyProfileToDecision(decideUserCommand(undefined, c, NOW, userResourceTypeSchemas), c, workforce, NOW);
    expect(missing.kind === 'reject' && missing.error.detail).toMatch(/name.givenName, name.familyName/);
    const full = command(IMPORTED, 'import', { document: doc('ada', 'ada@contoso.example', { name: { givenName: 'Ada', familyName: 'Lovelace' } }) });
    const d = saved(applyProfileToDecision(decideUserCommand(undefined, full, NOW, userResourceTypeSchemas), full, workforce, NOW));
    expect(d.state.document.userType).toBe('Standard');
    expect(d.profile?.uniqueWorkEmail).toBe('ada@contoso.example');
  });

  it('a claim keeps matchedBy on the event rebuilt by the profile, and records unmatched roles on it', () => {
    const settings = resolveProfileSettings('segura', { roles: { mode: 'map', productRoles: ['Admin'], unknownRoles: 'record' } });
    const c = command(FRESH, 'create', doc('ada.legacy', undefined, { roles: [{ value: 'Auditor' }] }));
    const d = saved(
      applyProfileToDecision(decideUserCommand(undefined, c, LATER, userResourceTypeSchemas, { user: imported(), matchedBy: 'userName' }), c, settings, LATER),
    );
    expect(d.event.data).toMatchObject({ matchedBy: 'userName', unmatchedRoles: ['Auditor'], userId: IMPORTED });
    valid(d.event);
  });

  it('a claim of a soft-deleted user applies its userType directive afresh (its groups were left on delete)', () => {
    const surecloud = resolveProfileSettings('surecloud', {});
    const before = saved(
      decideUserCommand(undefined, command(IMPORTED, 'create', doc('ada', undefined, { userType: 'g1' })), NOW, userResourceTypeSchemas),
    ).state;
    const gone = userDeletionEvents(command(IMPORTED, 'delete'), before, [{ id: 'g1', displayName: 'A' }], NOW, 'soft').kept!;
    const c = command(FRESH, 'create', doc('ada', undefined, { userType: 'g1' }));
    const d = saved(
      applyProfileToDecision(decideUserCommand(undefined, c, LATER, userResourceTypeSchemas, { user: gone, matchedBy: 'userName' }), c, surecloud, LATER),
    );
    expect(d.profile?.directive).toEqual({ kind: 'exactly', groupIds: ['g1'] });
  });
});

describe('document size', () => {
  it(`a PATCH whose result is larger than MAX_RESOURCE_DOCUMENT_BYTES is rejected 413; a large body with a small result applies`, () => {
    const user = imported();
    const big = command(IMPORTED, 'patch', testPatch({ op: 'replace', path: 'title', value: 'x'.repeat(MAX_RESOURCE_DOCUMENT_BYTES) }));
    const d = decideUserCommand(user, big, LATER, userResourceTypeSchemas);
    if (d.kind !== 'reject') throw new Error('expected reject');
    expect([d.error.status, d.error.detail]).toEqual([413, expect.stringMatching(/User document is \d+ bytes; at most 262144 bytes/)]);
    const ops = [
      { op: 'replace', path: 'title', value: 'x'.repeat(200_000) },
      { op: 'replace', path: 'title', value: 'small' },
    ];
    expect(saved(decideUserCommand(user, command(IMPORTED, 'patch', testPatch(...ops)), LATER, userResourceTypeSchemas)).state.document.title).toBe('small');
  });
});
