import { ProvisioningCommand, UserCommand } from '@scimflow/contracts';
import { contractValidator } from '@scimflow/contracts/schemas/test-helpers';
import { USER_SCHEMA, userResourceTypeSchemas } from '@scimflow/scim';
import { asRead } from '../../../contracts/src/test-helpers';
import { decideUserCommand, UserDecision } from './user-decision';
import { UserState } from './user-state';

// Fixtures of the user specs: an imported (unlinked) user, and the id a fresh SCIM create gives.
export const TENANT = '4f0e0000-0000-4000-8000-000000000001';
export const IMPORTED = '00000000-0000-4000-8000-00000000000a';
export const FRESH = '00000000-0000-4000-8000-00000000000b';
export const NOW = new Date('2026-11-23T10:00:00.000Z');
export const LATER = new Date('2026-11-23T11:00:00.000Z');
const v = contractValidator();

let n = 0;
export const record = (resourceId: string, action: ProvisioningCommand['action'], payload?: unknown) => ({
  v: 1,
  commandId: `c0000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  tenantId: TENANT,
  resourceType: 'User',
  resourceId,
  action,
  payload,
  issuedAt: NOW.toISOString(),
});
export const command = (resourceId: string, action: ProvisioningCommand['action'], payload?: unknown) =>
  asRead<UserCommand>(record(resourceId, action, payload));
export const doc = (userName: string, email?: string, extra: object = {}) => ({
  schemas: [USER_SCHEMA],
  userName,
  ...(email ? { emails: [{ type: 'work', value: email, primary: true }] } : {}),
  ...extra,
});

export function saved<D extends UserDecision>(d: D): Extract<D, { kind: 'save' }> {
  if (d.kind !== 'save') throw new Error(`expected save, got ${d.kind}: ${JSON.stringify(d)}`);
  return d as Extract<D, { kind: 'save' }>;
}
/** The event is valid against the user-changed contract schema. */
export const valid = (e: unknown) => expect(v.forTopic('userChanged', JSON.parse(JSON.stringify(e)))).toEqual([]);

export function imported(loginMethod?: 'sso' | 'builtIn'): UserState {
  const payload = { document: doc('ada.legacy', 'Ada@Contoso.example', { displayName: 'Ada (imported)' }), ...(loginMethod ? { loginMethod } : {}) };
  return saved(decideUserCommand(undefined, command(IMPORTED, 'import', payload), NOW, userResourceTypeSchemas)).state;
}
