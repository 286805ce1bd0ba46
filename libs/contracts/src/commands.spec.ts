import { decideUserCommand, UserState } from '@scimflow/provisioning';
import { PATCH_OP_SCHEMA, userResourceTypeSchemas } from '@scimflow/scim';
import { readCommand, UserCommand } from './commands';

const TENANT = '4f0e0000-0000-4000-8000-000000000001';
const USER = '00000000-0000-4000-8000-00000000000a';
const GROUP = '9a1b0000-0000-4000-8000-0000000000aa';
const envelope = { v: 1, commandId: 'c0000000-0000-4000-8000-000000000001', tenantId: TENANT, resourceId: USER, issuedAt: '2026-12-06T10:00:00.000Z' };
const read = (record: object) => readCommand(JSON.stringify(record));

/**
 * A record as the ingress wrote it before command payloads were typed: no resourceType (User commands predate
 * Groups), and Entra's PATCH body as received (capitalised ops, a string boolean, a path-less value).
 */
const LEGACY_PATCH_RECORD =
  '{"v":1,"commandId":"7d1c0000-0000-4000-8000-000000000001","tenantId":"4f0e0000-0000-4000-8000-000000000001",' +
  '"resourceId":"00000000-0000-4000-8000-00000000000a","action":"patch","payload":{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],' +
  '"Operations":[{"op":"Replace","path":"active","value":"False"},{"op":"Add","value":{"title":"Countess"}}]},"issuedAt":"2026-11-22T10:00:00.000Z"}';

describe('readCommand', () => {
  it('reads a record written before payloads were typed, and it still applies as it did', () => {
    const command = readCommand(Buffer.from(LEGACY_PATCH_RECORD)) as UserCommand;
    expect(command).toMatchObject({ resourceType: 'User', action: 'patch', resourceId: USER });
    expect(command.payload).toEqual({
      schemas: [PATCH_OP_SCHEMA],
      Operations: [
        { op: 'replace', path: 'active', value: 'False' },
        { op: 'add', value: { title: 'Countess' } },
      ],
    });
    const ada: UserState = {
      id: USER,
      tenantId: TENANT,
      userName: 'ada',
      externalId: null,
      active: true,
      workEmail: null,
      document: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada', active: true },
      version: 1,
      createdAt: new Date(0),
      updatedAt: new Date(0),
      loginMethod: 'sso',
      origin: 'scim',
      linked: true,
      deletedAt: null,
    };
    const d = decideUserCommand(ada, command, new Date('2026-11-22T10:00:01.000Z'), userResourceTypeSchemas);
    expect(d.kind === 'save' && [d.state.active, d.state.document.title, d.state.version, d.event.type]).toEqual([
      false,
      'Countess',
      2,
      'dev.scimflow.user.deactivated.v1',
    ]);
  });

  it('keeps a PATCH the ingress validated as it is', () => {
    const payload = { schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'remove', path: 'members[value eq "x"]' }] };
    const command = read({ ...envelope, resourceType: 'Group', resourceId: GROUP, action: 'patch', payload });
    expect(command?.payload).toEqual(payload);
  });

  it.each<[string, object]>([
    ['a User create', { resourceType: 'User', action: 'create', payload: { schemas: ['x'], userName: 'a' } }],
    ['a User delete', { resourceType: 'User', action: 'delete' }],
    ['a User import', { resourceType: 'User', action: 'import', payload: { document: { userName: 'a' }, loginMethod: 'builtIn' } }],
    ['a setLoginMethod', { resourceType: 'User', action: 'setLoginMethod', payload: { loginMethod: 'sso' } }],
    ['a Group replace', { resourceType: 'Group', action: 'replace', payload: { schemas: ['x'], displayName: 'g' } }],
    ['a Group import', { resourceType: 'Group', action: 'import', payload: { document: { displayName: 'g' } } }],
  ])('reads %s', (_, body) => expect(read({ ...envelope, ...body })).toMatchObject(body));

  it.each<[string, unknown]>([
    ['not JSON', '{"v":1'],
    ['null', 'null'],
    ['another version', JSON.stringify({ ...envelope, v: 2, action: 'delete' })],
    ['an id that is not a UUID', JSON.stringify({ ...envelope, commandId: 'c1', action: 'delete' })],
    ['an unknown resource type', JSON.stringify({ ...envelope, resourceType: 'Device', action: 'delete' })],
    ['an unknown action', JSON.stringify({ ...envelope, action: 'upsert' })],
    ['a create without a document', JSON.stringify({ ...envelope, action: 'create', payload: 'ada' })],
    ['a PATCH that does not validate', JSON.stringify({ ...envelope, action: 'patch', payload: { schemas: [PATCH_OP_SCHEMA], Operations: [] } })],
    ['an import without a document', JSON.stringify({ ...envelope, action: 'import', payload: {} })],
    ['an import with an unknown login method', JSON.stringify({ ...envelope, action: 'import', payload: { document: {}, loginMethod: 'password' } })],
    ['a setLoginMethod with an unknown login method', JSON.stringify({ ...envelope, action: 'setLoginMethod', payload: { loginMethod: 'SSO ' } })],
    ['a Group setLoginMethod', JSON.stringify({ ...envelope, resourceType: 'Group', action: 'setLoginMethod', payload: { loginMethod: 'sso' } })],
  ])('does not read %s (answered as malformed)', (_, value) => expect(readCommand(value as string)).toBeUndefined());
});
