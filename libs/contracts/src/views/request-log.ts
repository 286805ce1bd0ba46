/** One SCIM or token request of a tenant as the request log shows it; bodies redacted and capped. */
export interface RequestLogView {
  id: string;
  tenantId: string;
  at: string;
  requestId: string | null;
  sourceIp: string | null;
  method: string;
  /** path and query, credentials in the query redacted */
  path: string;
  status: number;
  latencyMs: number;
  requestBody: string | null;
  requestTruncated: boolean;
  responseBody: string | null;
  responseTruncated: boolean;
  /** the Entra-dialect normalisations scimflow applied to the request */
  notes: string[];
}
