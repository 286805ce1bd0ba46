/** The URLs a customer enters in Entra for one tenant: Tenant URL and Token Endpoint. */
export interface TenantEndpoints {
  scimBaseUrl: string;
  tokenUrl: string;
}

export function tenantEndpoints(publicBaseUrl: string, tenantId: string): TenantEndpoints {
  const base = publicBaseUrl.replace(/\/+$/, '');
  return { scimBaseUrl: `${base}/scim/v2/${tenantId}`, tokenUrl: `${base}/oauth/${tenantId}/token` };
}

/** The issuer of our access tokens: one authorization server for all tenants (`aud` names the tenant). */
export function accessTokenIssuer(publicBaseUrl: string): string {
  return publicBaseUrl.replace(/\/+$/, '');
}
