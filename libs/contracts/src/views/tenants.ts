/** The product a tenant stands behind (../shared/product-profiles.md); its rules come with the profile. */
export const TENANT_PROFILES = ['segura', 'appsec', 'workforce', 'surecloud', 'custom'] as const;
export type TenantProfile = (typeof TENANT_PROFILES)[number];

export type TenantStatus = 'active' | 'disabled';

export interface RateLimit {
  /** sustained requests per second (tokens added per second) */
  perSecond: number;
  /** bucket size: how many requests may arrive at once after a quiet period */
  burst: number;
}

/**
 * The JSON shapes of tenants and credentials, the same in the admin API and in scimctl.
 * Secrets appear only in the answers that create them.
 */
export interface TenantView {
  tenantId: string;
  name: string;
  profile: TenantProfile;
  status: TenantStatus;
  createdAt: string;
  scimBaseUrl: string;
  tokenUrl: string;
  allowedSourceIps: string[];
  /** null: the configured default applies */
  rateLimit: RateLimit | null;
  settings: Record<string, unknown>;
  /** when an operator paused Entra's requests (answered 503 + Retry-After), null while running */
  intakePausedAt: string | null;
  /** when an operator paused downstream delivery (events wait in order), null while running */
  deliveryPausedAt: string | null;
}

/** POST /admin/tenants */
export interface CreateTenantRequest {
  name: string;
  profile?: TenantProfile;
  webhooks?: string[];
  allowedSourceIps?: string[];
  rateLimit?: RateLimit;
  settings?: Record<string, unknown>;
}

/** What a customer needs to connect Entra, printed once at creation. */
export interface CreatedTenantView {
  tenantId: string;
  scimBaseUrl: string;
  token: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
}

/** The admin API's answer to POST /admin/tenants: the credentials shown once, with the tenant's name and profile. */
export interface CreatedTenantAdminView extends CreatedTenantView, Pick<TenantView, 'name' | 'profile'> {}

export interface SecretTokenView {
  id: string;
  description: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** POST /admin/tenants/{id}/tokens: the token, shown this once. */
export interface CreatedSecretTokenView {
  id: string;
  /** shown once; only its hash is stored */
  token: string;
  description: string | null;
  createdAt: string;
}

export interface OAuthClientView {
  clientId: string;
  hasSecret: boolean;
  secretCreatedAt: string | null;
  lastUsedAt: string | null;
  tokenUrl: string;
}

/** POST /admin/tenants/{id}/client/secret: the new client secret, shown this once. */
export interface ClientSecretView {
  clientId: string;
  clientSecret: string;
  tokenUrl: string;
}

/** An issuer whose JWT assertions the tenant's token endpoint trusts. */
export interface FederatedCredentialView {
  id: string;
  issuer: string;
  jwksUrl: string;
  subject: string;
  audience: string;
  description: string | null;
  createdAt: string;
  lastUsedAt: string | null;
}

export type SigningKeyState = 'signing' | 'verifying' | 'expired' | 'retired';

/** A key that signs and verifies the access tokens the token endpoints issue. */
export interface SigningKeyView {
  kid: string;
  algorithm: string;
  state: SigningKeyState;
  createdAt: string;
  verifyUntil: string | null;
  retiredAt: string | null;
}
