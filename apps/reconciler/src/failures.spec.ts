import { DatabaseError } from 'pg-protocol';
import { QueryFailedError } from 'typeorm';
import { AlreadyTaken } from '@scimflow/provisioning';
import { ScimError } from '@scimflow/scim';
import { failureError } from './failures';

const pg = (code: string, message: string) => {
  const e = new DatabaseError(message, 0, 'error');
  e.code = code;
  return new QueryFailedError('INSERT …', [], e);
};

describe('failureError (the answer to a command that failed deterministically)', () => {
  it('keeps a SCIM error as it is', () => {
    const e = ScimError.conflict('taken');
    expect(failureError(e, 'id')).toBe(e);
  });

  it('answers a domain error as its SCIM error', () => {
    const answer = failureError(new AlreadyTaken('userName is already taken by another user of this tenant'), 'id');
    expect([answer.status, answer.scimType, answer.detail]).toEqual([409, 'uniqueness', 'userName is already taken by another user of this tenant']);
  });

  it('answers 400 invalidValue for a value Postgres cannot store, with the error id', () => {
    const answer = failureError(pg('22P05', 'unsupported Unicode escape sequence'), 'e-1');
    expect(answer.status).toBe(400);
    expect(answer.scimType).toBe('invalidValue');
    expect(answer.detail).toBe('a value of this request cannot be stored: unsupported Unicode escape sequence (error id e-1)');
  });

  it('answers 500 naming the error id, without internals, for a bug', () => {
    const answer = failureError(new TypeError("Cannot read properties of undefined (reading 'x')"), 'e-2');
    expect(answer.status).toBe(500);
    expect(answer.detail).toContain('error id e-2');
    expect(answer.detail).not.toContain('Cannot read');
  });

  it('a detail Postgres could not store is made storable', () => {
    const answer = failureError(pg('22021', 'invalid byte sequence \u0000 \ud800'), 'e-3');
    // eslint-disable-next-line no-control-regex -- NUL is what must not come back
    expect(answer.detail).not.toMatch(/\u0000|\ud800/);
  });
});
