import type { LoginMethod } from '@scimflow/contracts';

/** Where a user came from: a SCIM create (Entra) or the product's bulk import. */
export type UserOrigin = 'scim' | 'import';

/** A user as the reconciler keeps it: the SCIM document plus the columns derived from it, and its product-side lifecycle. */
export interface UserState {
  id: string;
  tenantId: string;
  userName: string;
  externalId: string | null;
  active: boolean;
  /** `emails[type eq "work"].value`, lower-cased (looked up for uniqueness and matching) */
  workEmail: string | null;
  /** every SCIM attribute but id and meta */
  document: Record<string, unknown>;
  /** per-user sequence number, ETag and event sequence */
  version: number;
  createdAt: Date;
  updatedAt: Date;
  loginMethod: LoginMethod;
  origin: UserOrigin;
  /**
   * false for a user that an Entra create may still claim: imported and not yet written by SCIM, or soft-deleted.
   * A SCIM create whose userName (then work email) matches such a user takes it over instead of conflicting.
   */
  linked: boolean;
  /** set by a soft delete: the user is kept for the product but is gone for SCIM (404, not listed) */
  deletedAt: Date | null;
}

/** The lifecycle of a user created through SCIM. */
export const SCIM_USER_LIFECYCLE: Pick<UserState, 'loginMethod' | 'origin' | 'linked' | 'deletedAt'> = {
  loginMethod: 'sso',
  origin: 'scim',
  linked: true,
  deletedAt: null,
};

/** Derives the indexed columns from a normalized document. `active` defaults to true (RFC 7643 leaves it to the server). */
export function userColumns(document: Record<string, unknown>): Pick<UserState, 'userName' | 'externalId' | 'active' | 'workEmail'> {
  return {
    userName: String(document.userName),
    externalId: typeof document.externalId === 'string' ? document.externalId : null,
    active: document.active === undefined ? true : document.active === true,
    workEmail: workEmailOf(document)?.toLowerCase() ?? null,
  };
}

/** `emails[type eq "work"].value` (type compared case-insensitively), if the document has one. */
export function workEmailOf(doc: Record<string, unknown>): string | undefined {
  const emails = Array.isArray(doc.emails) ? (doc.emails as Record<string, unknown>[]) : [];
  const work = emails.find((e) => e && typeof e.type === 'string' && e.type.toLowerCase() === 'work' && typeof e.value === 'string' && e.value !== '');
  return work?.value as string | undefined;
}
