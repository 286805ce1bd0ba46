import { GROUP_SCHEMA, PATCH_OP_SCHEMA } from '@scimflow/scim';
import { ProvisioningCommand } from '../commands';
import { WebhookDeadLetter } from '../dead-letters';
import { USER_CHANGED_DATASCHEMA } from '../events';
import { GROUP_CHANGED_DATASCHEMA, MEMBERSHIP_CHANGED_DATASCHEMA } from '../group-events';
import { CONTRACT_SCHEMAS } from './index';
import {
  contractValidator,
  TEST_NOW as NOW,
  TEST_TENANT as TENANT,
  TEST_USER as USER,
  testCommand as command,
  testPatch as patch,
  testRecord as record,
  testUserDoc as userDoc,
} from './test-helpers';

const v = contractValidator();

describe('contract schemas', () => {
  it('use draft 2020-12 and versioned ids that match the events dataschema', () => {
    for (const s of Object.values(CONTRACT_SCHEMAS)) {
      expect(s.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(s.$id).toMatch(/\/v\d+\.json$/);
    }
    expect([USER_CHANGED_DATASCHEMA, GROUP_CHANGED_DATASCHEMA, MEMBERSHIP_CHANGED_DATASCHEMA]).toEqual([
      CONTRACT_SCHEMAS.userChanged.$id,
      CONTRACT_SCHEMAS.groupChanged.$id,
      CONTRACT_SCHEMAS.membershipChanged.$id,
    ]);
  });

  describe('ProvisioningCommand v1', () => {
    it.each<[string, ProvisioningCommand]>([
      ['user create', command('User', 'create', userDoc())],
      ['user replace', command('User', 'replace', userDoc({ active: false }))],
      ['user patch', command('User', 'patch', patch({ op: 'replace', path: 'active', value: false }))],
      ['user delete', command('User', 'delete')],
      ['group create', command('Group', 'create', { schemas: [GROUP_SCHEMA], displayName: 'Ops', members: [{ value: USER }] })],
      ['legacy command without resourceType', { ...command('User', 'delete'), resourceType: undefined } as unknown as ProvisioningCommand],
      ['with ifMatch and requestId', { ...command('User', 'delete'), ifMatch: 'W/"3"', requestId: 'r-1' }],
    ])('accepts %s', (_, c) => expect(v.forTopic('commands', JSON.parse(JSON.stringify(c)))).toEqual([]));

    it.each<[string, object]>([
      ['another version', { ...command('User', 'delete'), v: 2 }],
      ['an unknown action', { ...command('User', 'delete'), action: 'upsert' }],
      ['an unknown resource type', { ...command('User', 'delete'), resourceType: 'Device' }],
      ['create without payload', record('User', 'create')],
      ['patch without Operations', record('User', 'patch', { schemas: [PATCH_OP_SCHEMA] })],
      ['a bad issuedAt', { ...command('User', 'delete'), issuedAt: 'yesterday' }],
      ['no commandId', { ...command('User', 'delete'), commandId: undefined }],
    ])('rejects %s', (_, c) => expect(v.forTopic('commands', JSON.parse(JSON.stringify(c))).length).toBeGreaterThan(0));
  });

  it('accept a dead letter and reject one without its event', () => {
    const letter: WebhookDeadLetter = {
      v: 1,
      deadLetterId: '42',
      subscriptionId: 's-1',
      tenantId: TENANT,
      url: 'https://hooks.example.com/scim',
      eventId: 'e-1',
      eventType: 'dev.scimflow.user.created.v1',
      orderingKey: `${TENANT}:${USER}`,
      attempts: 7,
      queuedAt: NOW.toISOString(),
      lastAttemptAt: NOW.toISOString(),
      deadAt: NOW.toISOString(),
      lastStatus: 503,
      lastResponseExcerpt: 'busy',
      event: { specversion: '1.0', id: 'e-1', type: 'dev.scimflow.user.created.v1' },
    };
    expect(v.forTopic('deadLetters', letter)).toEqual([]);
    expect(v.forTopic('deadLetters', { ...letter, event: undefined }).length).toBeGreaterThan(0);
  });
});
