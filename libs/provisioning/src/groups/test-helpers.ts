import { GroupCommand, ProvisioningCommand } from '@scimflow/contracts';
import { GROUP_SCHEMA, parsePatchRequest, ScimError } from '@scimflow/scim';
import { asRead } from '../../../contracts/src/test-helpers';
import { TEST_GROUP, TEST_NOW, TEST_TENANT, TEST_USER, testPatch } from '@scimflow/contracts/schemas/test-helpers';
import { GroupDecision } from './group-decision';
import { GroupState } from './group-state';

// Fixtures of the group specs: the contract specs' tenant, group and user (U1), two more users.
export const TENANT = TEST_TENANT;
export const GROUP = TEST_GROUP;
export const U1 = TEST_USER;
export const U2 = '00000000-0000-4000-8000-000000000002';
export const U3 = '00000000-0000-4000-8000-000000000003';
export const NOW = TEST_NOW;
export const EARLIER = new Date('2026-11-01T08:00:00.000Z');

export const record = (action: ProvisioningCommand['action'], payload?: unknown, extra: Partial<ProvisioningCommand> = {}) => ({
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
export const command = (action: ProvisioningCommand['action'], payload?: unknown, extra: Partial<ProvisioningCommand> = {}) =>
  asRead<GroupCommand>(record(action, payload, extra));
/** A command of which only the envelope (ids, action) is read. */
export const envelope = (action: ProvisioningCommand['action']) => record(action) as GroupCommand;
export const patchCommand = (...Operations: object[]) => command('patch', testPatch(...Operations));
export const ops = (...Operations: object[]) => parsePatchRequest(testPatch(...Operations));

export const stored = (extra: Partial<GroupState> = {}): GroupState => ({
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

export function rejected(d: GroupDecision): ScimError {
  if (d.kind !== 'reject') throw new Error(`expected a rejection, got ${d.kind}`);
  return d.error;
}
export function saved(d: GroupDecision): Extract<GroupDecision, { kind: 'save' }> {
  if (d.kind !== 'save') throw new Error(`expected save, got ${d.kind}${d.kind === 'reject' ? `: ${d.error.detail}` : ''}`);
  return d;
}
export function errorOf(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ScimError) return e;
    throw e;
  }
  throw new Error('expected a ScimError');
}
