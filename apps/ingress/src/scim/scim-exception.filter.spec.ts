import { DatabaseError } from 'pg-protocol';
import { QueryFailedError } from 'typeorm';
import { AlreadyExists, NotFound } from '@scimflow/provisioning';
import { toScimError } from './scim-exception.filter';

const pg = (code: string, message: string) => {
  const e = new DatabaseError(message, 0, 'error');
  e.code = code;
  return new QueryFailedError('SELECT …', [], e);
};

describe('toScimError', () => {
  it.each([
    ['a lock not granted in time', pg('55P03', 'canceling statement due to lock timeout')],
    ['Postgres shutting down', pg('57P01', 'terminating connection due to administrator command')],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
  ])('%s is 503 with Retry-After: the client should retry', (_, error) => {
    const e = toScimError(error);
    expect(e.status).toBe(503);
    expect(e.headers['Retry-After']).toBeDefined();
  });

  it('a domain error is answered as scimErrorOf decides', () => {
    expect(toScimError(new NotFound('dead letter d not found')).toBody()).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '404',
      detail: 'dead letter d not found',
    });
    expect([toScimError(new AlreadyExists('the tenant already trusts issuer i for subject s')).status, toScimError(new AlreadyExists('x')).scimType]).toEqual([
      409,
      'uniqueness',
    ]);
  });

  it('a bug is 500 without internals', () => {
    const e = toScimError(new TypeError('x is undefined'));
    expect(e.status).toBe(500);
    expect(e.detail).not.toContain('undefined');
  });
});
