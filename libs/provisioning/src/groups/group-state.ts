/**
 * A group as the reconciler keeps it: the SCIM document without `members` (they live in their own table,
 * scim_group_members) plus the columns derived from it.
 */
export interface GroupState {
  id: string;
  tenantId: string;
  displayName: string;
  externalId: string | null;
  /** every SCIM attribute but id, meta and members */
  document: Record<string, unknown>;
  /** per-group sequence: ETag and the sequence of the group's last event */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export function groupColumns(document: Record<string, unknown>): Pick<GroupState, 'displayName' | 'externalId'> {
  return {
    displayName: String(document.displayName),
    externalId: typeof document.externalId === 'string' ? document.externalId : null,
  };
}
