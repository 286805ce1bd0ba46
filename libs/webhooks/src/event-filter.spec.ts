import { eventTypeProblem, matchesEventTypes } from './event-filter';
import { orderingKeyOf, readDeliverableEvent } from './deliverable-event';

describe('matchesEventTypes', () => {
  const created = 'dev.scimflow.user.created.v1';
  it.each([
    [[], created, true],
    [[created], created, true],
    [['dev.scimflow.user.deleted.v1'], created, false],
    [['dev.scimflow.user.*'], created, true],
    [['dev.scimflow.user.*'], 'dev.scimflow.group.created.v1', false],
    [['dev.scimflow.group.*', 'dev.scimflow.membership.*'], 'dev.scimflow.membership.added.v1', true],
    [['*'], 'anything', true],
    [['dev.scimflow.user.created'], created, false], // exact means exact: no silent version matching
  ])('%j receives %s: %s', (filter, type, expected) => {
    expect(matchesEventTypes(filter, type)).toBe(expected);
  });

  it.each(['dev.scimflow.user.created.v1', 'dev.scimflow.user.*', '*', 'user_created'])('accepts %s', (entry) => {
    expect(eventTypeProblem(entry)).toBeUndefined();
  });
  it.each(['', 'dev.scimflow.user*', 'dev..user', '.dev', 'dev.*.created', 'dev user', 'dev.'])('rejects %j', (entry) => {
    expect(eventTypeProblem(entry)).toMatch(/not an event type/);
  });
});

describe('readDeliverableEvent', () => {
  const event = { specversion: '1.0', id: 'e1', type: 't.v1', tenantid: 'T', subject: 'tenants/T/users/U', sequence: 3, data: {} };
  it('reads the attributes delivery needs', () => {
    expect(readDeliverableEvent(JSON.stringify(event))).toEqual({
      event: { id: 'e1', type: 't.v1', tenantid: 'T', subject: 'tenants/T/users/U', sequence: 3 },
    });
  });
  it.each([
    ['{', /not JSON/],
    ['[]', /not a JSON object/],
    [JSON.stringify({ ...event, id: undefined }), /"id"/],
    [JSON.stringify({ ...event, type: 5 }), /"type"/],
    [JSON.stringify({ ...event, tenantid: '' }), /"tenantid"/],
    [JSON.stringify({ ...event, id: 'a.b' }), /contains "."/],
  ])('%s is not deliverable', (value, problem) => {
    const read = readDeliverableEvent(value);
    expect('problem' in read && read.problem).toMatch(problem);
  });
  it('orders by the record key, else by subject, else alone', () => {
    const e = { id: 'e1', type: 't', tenantid: 'T', subject: 'tenants/T/users/U' };
    expect(orderingKeyOf('T:U', e)).toBe('T:U');
    expect(orderingKeyOf(null, e)).toBe('T:tenants/T/users/U');
    expect(orderingKeyOf(null, { ...e, subject: undefined })).toBe('T:event:e1');
  });
});
