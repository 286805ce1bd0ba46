import { ScimError } from '@scimflow/scim';

/**
 * What went wrong, in the domain's words. Stores raise these (never driver codes or constraint names) and use cases
 * catch them by type; `scimErrorOf` is the one place that decides the SCIM answer for each. `detail` is the sentence
 * the client reads.
 */
export abstract class DomainError extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = new.target.name;
  }
}

/** A unique attribute's value is held by another resource of the tenant (userName, a group's displayName). */
export class AlreadyTaken extends DomainError {}

/** A resource with this id exists already. */
export class AlreadyExists extends DomainError {}

/** The resource (or its tenant) does not exist. */
export class NotFound extends DomainError {}

/** The resource changed since the version the caller read (an ETag, an expected version). */
export class StaleVersion extends DomainError {}

/** The request names something that does not exist where it must (a member that is not a user of the tenant). */
export class MissingReference extends DomainError {}

export function scimErrorOf(e: DomainError): ScimError {
  if (e instanceof AlreadyTaken || e instanceof AlreadyExists) return ScimError.conflict(e.detail);
  if (e instanceof NotFound) return ScimError.notFound(e.detail);
  if (e instanceof StaleVersion) return new ScimError(412, e.detail);
  if (e instanceof MissingReference) return ScimError.badRequest('invalidValue', e.detail);
  return new ScimError(500, e.detail);
}
