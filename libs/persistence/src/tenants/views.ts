import { RateLimit, tenantEndpoints } from '@scimflow/access';
import { FederatedCredential, OAuthClient, Tenant, TenantProfile, TenantStatus, TenantToken } from '../entities';
import type { SigningKey } from './signing-keys';
import type { CreatedTenant } from './tenant-directory';

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

export function tenantView(t: Tenant, publicBaseUrl: string): TenantView {
  return {
    tenantId: t.id,
    name: t.name,
    profile: t.profile,
    status: t.status,
    createdAt: t.createdAt.toISOString(),
    ...tenantEndpoints(publicBaseUrl, t.id),
    allowedSourceIps: t.allowedSourceIps,
    rateLimit: t.rateLimitPerSecond && t.rateLimitBurst ? { perSecond: t.rateLimitPerSecond, burst: t.rateLimitBurst } : null,
    settings: t.settings,
    intakePausedAt: t.intakePausedAt?.toISOString() ?? null,
    deliveryPausedAt: t.deliveryPausedAt?.toISOString() ?? null,
  };
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

export function createdTenantView(c: CreatedTenant, publicBaseUrl: string): CreatedTenantView {
  const { scimBaseUrl, tokenUrl } = tenantEndpoints(publicBaseUrl, c.tenant.id);
  return { tenantId: c.tenant.id, scimBaseUrl, token: c.token, tokenUrl, clientId: c.client.clientId, clientSecret: c.client.clientSecret };
}

export interface SecretTokenView {
  id: string;
  description: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function secretTokenView(t: TenantToken): SecretTokenView {
  return {
    id: t.id,
    description: t.description,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}

export interface OAuthClientView {
  clientId: string;
  hasSecret: boolean;
  secretCreatedAt: string | null;
  lastUsedAt: string | null;
  tokenUrl: string;
}

export function oauthClientView(c: OAuthClient, publicBaseUrl: string): OAuthClientView {
  return {
    clientId: c.id,
    hasSecret: c.secretHash !== null,
    secretCreatedAt: c.secretCreatedAt?.toISOString() ?? null,
    lastUsedAt: c.lastUsedAt?.toISOString() ?? null,
    tokenUrl: tenantEndpoints(publicBaseUrl, c.tenantId).tokenUrl,
  };
}

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

export function federatedCredentialView(c: FederatedCredential): FederatedCredentialView {
  return {
    id: c.id,
    issuer: c.issuer,
    jwksUrl: c.jwksUrl,
    subject: c.subject,
    audience: c.audience,
    description: c.description,
    createdAt: c.createdAt.toISOString(),
    lastUsedAt: c.lastUsedAt?.toISOString() ?? null,
  };
}

export type SigningKeyState = 'signing' | 'verifying' | 'expired' | 'retired';

export interface SigningKeyView {
  kid: string;
  algorithm: string;
  state: SigningKeyState;
  createdAt: string;
  verifyUntil: string | null;
  retiredAt: string | null;
}

/** `signingKid`: the kid of the key that signs now (the newest active one). */
export function signingKeyView(k: SigningKey, signingKid: string | undefined, now = new Date()): SigningKeyView {
  const state: SigningKeyState = k.retiredAt
    ? 'retired'
    : k.verifyUntil && k.verifyUntil <= now
      ? 'expired'
      : k.kid === signingKid
        ? 'signing'
        : 'verifying';
  return {
    kid: k.kid,
    algorithm: k.algorithm,
    state,
    createdAt: k.createdAt.toISOString(),
    verifyUntil: k.verifyUntil?.toISOString() ?? null,
    retiredAt: k.retiredAt?.toISOString() ?? null,
  };
}

/** Views of all keys (newest first, as SigningKeys.list returns them). */
export function signingKeyViews(keys: SigningKey[], now = new Date()): SigningKeyView[] {
  const signing = keys.find((k) => !k.verifyUntil && !k.retiredAt)?.kid;
  return keys.map((k) => signingKeyView(k, signing, now));
}
