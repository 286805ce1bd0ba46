// The setup page's API (the customer's IT admin, authenticated by the setup link's token).

/** One line of the Entra attribute-mapping guidance shown to a customer's IT admin. */
export interface EntraMapping {
  /** the SCIM attribute (Entra's "customappsso Attribute") */
  target: string;
  /** what to map to it in Entra: an attribute or expression */
  source: string;
  note: string;
}

/** GET /console/api/setup: what to enter in Entra for the link's tenant. */
export interface SetupView {
  tenant: { name: string; profile: string; profileTitle: string };
  productName: string | null;
  /** an https URL */
  logoUrl: string | null;
  /** when the link stops working */
  expiresAt: string;
  scimBaseUrl: string;
  tokenUrl: string;
  authMethods: string[];
  /** CIDR blocks Entra must call from; [] = any address */
  allowedSourceIps: string[];
  mappings: EntraMapping[];
}

/** POST /console/api/setup/credentials: a new secret token, or a new client secret, shown once. */
export type SetupCredentialView = { token: string } | { tokenUrl: string; clientId: string; clientSecret: string };

export interface ConnectionCheck {
  at: string;
  sourceIp: string | null;
  method: string;
  path: string;
  status: number;
  passedAuth: boolean;
  passedAllowList: boolean;
  ok: boolean;
  /** the SCIM error's detail of a refused request; null when it succeeded */
  detail: string | null;
}

/** GET /console/api/setup/test-connection */
export interface TestConnectionView {
  lastRequest: ConnectionCheck | null;
}

export interface SyncCounts {
  users: number;
  groups: number;
  lastRequestAt: string | null;
  /** the newest provisioning action the reconciler applied or rejected (audit log) */
  lastCycleAt: string | null;
}

/** A recorded SCIM request of the tenant that failed, with the fix in plain words. */
export interface SetupFailureView {
  at: string;
  method: string;
  path: string;
  status: number;
  detail: string | null;
  hint: string;
}

/** GET /console/api/setup/status */
export interface SetupStatusView extends SyncCounts {
  /** newest first */
  recentFailures: SetupFailureView[];
}
