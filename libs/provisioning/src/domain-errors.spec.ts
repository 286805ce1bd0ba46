import { ScimError } from '@scimflow/scim';
import { AlreadyExists, AlreadyTaken, DomainError, MissingReference, NotFound, scimErrorOf, StaleVersion } from './domain-errors';

describe('domain errors', () => {
  it.each([
    [new AlreadyTaken('userName is already taken'), 409, 'uniqueness'],
    [new AlreadyExists('User 1 already exists'), 409, 'uniqueness'],
    [new NotFound('tenant t does not exist'), 404, undefined],
    [new StaleVersion('the user changed'), 412, undefined],
    [new MissingReference('A member is not a User of this tenant'), 400, 'invalidValue'],
  ])('%p is answered %d', (error: DomainError, status: number, scimType: string | undefined) => {
    const scim = scimErrorOf(error);
    expect(scim).toBeInstanceOf(ScimError);
    expect([scim.status, scim.scimType, scim.detail]).toEqual([status, scimType, error.detail]);
  });

  it('names itself by its class, so logs say what went wrong', () => {
    expect(new NotFound('x').name).toBe('NotFound');
    expect(new NotFound('x')).toBeInstanceOf(DomainError);
  });
});
