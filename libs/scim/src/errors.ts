/** SCIM error types of RFC 7644 §3.12 (the `scimType` member). */
export type ScimErrorType =
  'invalidFilter' | 'tooMany' | 'uniqueness' | 'mutability' | 'invalidSyntax' | 'invalidPath' | 'noTarget' | 'invalidValue' | 'invalidVers' | 'sensitive';

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

export interface ScimErrorBody {
  schemas: [typeof SCIM_ERROR_SCHEMA];
  status: string;
  scimType?: ScimErrorType;
  detail: string;
}

/**
 * The one error type of the system. Thrown anywhere (pure libs, ingress, reconciler);
 * the ingress exception filter renders it, the reconciler carries it back in a command outcome.
 */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: ScimErrorType,
    /** Extra response headers, e.g. Retry-After on 503/429. */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ScimError';
  }

  toBody(): ScimErrorBody {
    const body: ScimErrorBody = { schemas: [SCIM_ERROR_SCHEMA], status: String(this.status), detail: this.detail };
    if (this.scimType) body.scimType = this.scimType;
    return body;
  }

  static fromBody(body: { status: string | number; scimType?: ScimErrorType; detail?: string }): ScimError {
    return new ScimError(Number(body.status), body.detail ?? 'error', body.scimType);
  }

  static badRequest(scimType: ScimErrorType, detail: string): ScimError {
    return new ScimError(400, detail, scimType);
  }
  static notFound(detail: string): ScimError {
    return new ScimError(404, detail);
  }
  static conflict(detail: string): ScimError {
    return new ScimError(409, detail, 'uniqueness');
  }
  static unavailable(detail: string, retryAfterSeconds: number): ScimError {
    return new ScimError(503, detail, undefined, { 'Retry-After': String(retryAfterSeconds) });
  }
}
