import type { ScimErrorBody } from '@scimflow/scim/errors';

export type AuditOutcome = 'success' | 'failure';

/** One provisioning action as the reconciler decided it, like a line of Entra's provisioning logs. */
export interface AuditView {
  id: string;
  tenantId: string;
  commandId: string;
  requestId?: string | null;
  resourceType: string;
  resourceId: string;
  action: string;
  /** the HTTP status answered */
  status: number;
  outcome: AuditOutcome;
  /** the SCIM error body of a rejection */
  error?: ScimErrorBody;
  /** what changed: attribute changes, memberships added/removed, unmatched roles */
  diff?: Record<string, unknown>;
  at: string;
}
