import { tenantEndpoints } from '@scimflow/access';
import { FederatedCredential, OAuthClient, Tenant, TenantToken } from '../entities';
import type { SigningKey } from './signing-keys';
import type {
  CreatedTenantView,
  FederatedCredentialView,
  OAuthClientView,
  SecretTokenView,
  SigningKeyState,
  SigningKeyView,
  TenantView,
} from '@scimflow/contracts';
import type { CreatedTenant } from './tenant-directory';

// The views of tenants and credentials (their shapes: @scimflow/contracts), the same in the admin API and in scimctl.

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

export function createdTenantView(c: CreatedTenant, publicBaseUrl: string): CreatedTenantView {
  const { scimBaseUrl, tokenUrl } = tenantEndpoints(publicBaseUrl, c.tenant.id);
  return { tenantId: c.tenant.id, scimBaseUrl, token: c.token, tokenUrl, clientId: c.client.clientId, clientSecret: c.client.clientSecret };
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

export function oauthClientView(c: OAuthClient, publicBaseUrl: string): OAuthClientView {
  return {
    clientId: c.id,
    hasSecret: c.secretHash !== null,
    secretCreatedAt: c.secretCreatedAt?.toISOString() ?? null,
    lastUsedAt: c.lastUsedAt?.toISOString() ?? null,
    tokenUrl: tenantEndpoints(publicBaseUrl, c.tenantId).tokenUrl,
  };
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

/** `signingKid`: the kid of the key that signs now (the newest active one). */
export function signingKeyView(k: SigningKey, signingKid: string | undefined, now = new Date()): SigningKeyView {
  const state: SigningKeyState = k.retiredAt ? 'retired' : k.verifyUntil && k.verifyUntil <= now ? 'expired' : k.kid === signingKid ? 'signing' : 'verifying';
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
