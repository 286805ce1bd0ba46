import { isInvalidDataFailure } from '@scimflow/messaging';
import { storableText } from '@scimflow/persistence';
import { DomainError, scimErrorOf } from '@scimflow/provisioning';
import { ScimError } from '@scimflow/scim';

/** The answer to a command that failed deterministically: the client's fault (400) or ours (500, with an id that is in the log). */
export function failureError(error: unknown, errorId: string): ScimError {
  if (error instanceof ScimError) return error;
  if (error instanceof DomainError) return scimErrorOf(error);
  if (isInvalidDataFailure(error))
    return ScimError.badRequest(
      'invalidValue',
      `a value of this request cannot be stored: ${storableText((error as Error).message, 500)} (error id ${errorId})`,
    );
  return new ScimError(500, `the request could not be applied because of an internal error; it will not be retried (error id ${errorId})`);
}
