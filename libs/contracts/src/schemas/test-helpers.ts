import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { PATCH_OP_SCHEMA, USER_SCHEMA } from '@scimflow/scim';
import { ProvisioningCommand, UserCommand } from '../commands';
import { asRead } from '../test-helpers';
import { CONTRACT_SCHEMAS, TOPIC_SCHEMA_IDS } from './index';
import { TopicKey } from '../topics';

/** An ajv (draft 2020-12, strict, with formats) holding every contract schema; for unit and e2e tests. */
export function contractValidator(): { validate(schemaId: string, value: unknown): string[]; forTopic(topic: TopicKey, value: unknown): string[] } {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
  addFormats(ajv);
  for (const schema of Object.values(CONTRACT_SCHEMAS)) ajv.addSchema(schema);
  const compiled = new Map<string, ValidateFunction>();
  const validate = (schemaId: string, value: unknown): string[] => {
    const fn = compiled.get(schemaId) ?? ajv.getSchema(schemaId);
    if (!fn) throw new Error(`no contract schema ${schemaId}`);
    compiled.set(schemaId, fn);
    return fn(value) ? [] : (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
  };
  return {
    validate,
    forTopic: (topic, value) => validate(TOPIC_SCHEMA_IDS[topic]!, value),
  };
}

export const TEST_TENANT = '4f0e0000-0000-4000-8000-000000000001';
export const TEST_USER = '00000000-0000-4000-8000-000000000001';
export const TEST_GROUP = '9a1b0000-0000-4000-8000-0000000000aa';
export const TEST_NOW = new Date('2026-11-22T10:00:00.000Z');

let commands = 0;
/** A v1 command record of the test tenant on the test user or group, issued at TEST_NOW, with an id of its own. */
export const testRecord = (resourceType: 'User' | 'Group', action: ProvisioningCommand['action'], payload?: unknown) => ({
  v: 1 as const,
  commandId: `c0000000-0000-4000-8000-${String(++commands).padStart(12, '0')}`,
  tenantId: TEST_TENANT,
  resourceType,
  resourceId: resourceType === 'User' ? TEST_USER : TEST_GROUP,
  action,
  payload,
  issuedAt: TEST_NOW.toISOString(),
});

/** testRecord as the reconciler reads it (readCommand); throws for a record it would answer as malformed. */
export const testCommand = <C extends ProvisioningCommand = UserCommand>(
  resourceType: 'User' | 'Group',
  action: ProvisioningCommand['action'],
  payload?: unknown,
): C => asRead<C>(testRecord(resourceType, action, payload));

/** A user document as Entra creates one. */
export const testUserDoc = (extra: object = {}) => ({ schemas: [USER_SCHEMA], userName: 'ada@example.com', externalId: 'ext-1', active: true, ...extra });

/** A SCIM PatchOp message (RFC 7644 §3.5.2) with these operations, as a PATCH command's payload. */
export const testPatch = (...Operations: object[]) => ({ schemas: [PATCH_OP_SCHEMA], Operations });
