/** A user as the reconciler keeps it: the SCIM document plus the columns derived from it. */
export interface UserState {
  id: string;
  tenantId: string;
  userName: string;
  externalId: string | null;
  active: boolean;
  /** every SCIM attribute but id and meta */
  document: Record<string, unknown>;
  /** per-user sequence number, ETag and event sequence */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** Derives the indexed columns from a normalized document. `active` defaults to true (RFC 7643 leaves it to the server). */
export function userColumns(document: Record<string, unknown>): Pick<UserState, 'userName' | 'externalId' | 'active'> {
  return {
    userName: String(document.userName),
    externalId: typeof document.externalId === 'string' ? document.externalId : null,
    active: document.active === undefined ? true : document.active === true,
  };
}

export function etag(version: number): string {
  return `W/"${version}"`;
}
