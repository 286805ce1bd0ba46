import { Injectable } from '@nestjs/common';
import { Request } from 'express';
import { Cidr, describeAddress, IpAddress, matchesAny, parseCidrList, resolveClientAddress, TokenBuckets } from '@scimflow/access';
import { IngressConfig } from '@scimflow/config';
import type { RateLimit } from '@scimflow/contracts';
import { TenantAdmin } from '@scimflow/persistence';
import { ScimError } from '@scimflow/scim';

/** How long Entra is asked to wait while a tenant's intake is paused (its retries come with its next cycles anyway). */
const PAUSED_RETRY_AFTER_SECONDS = 300;

interface Policy {
  active: boolean;
  intakePaused: boolean;
  allowed: Cidr[];
  rateLimit: RateLimit | null;
}

/**
 * What a tenant's valid credential may still not do: call while the tenant is disabled, call from
 * outside the tenant's allowed networks, or call faster than its rate limit. Checked after
 * authentication, so none of these answers tells an outsider whether a tenant exists.
 */
@Injectable()
export class TenantAccess {
  private readonly policies = new Map<string, { policy: Policy | undefined; until: number }>();
  private readonly buckets = new TokenBuckets();
  private readonly trustedProxies: Cidr[];

  constructor(
    private readonly tenants: TenantAdmin,
    private readonly config: IngressConfig,
  ) {
    this.trustedProxies = parseCidrList(config.TRUSTED_PROXIES);
  }

  clientAddress(req: Request): IpAddress | undefined {
    return resolveClientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], this.trustedProxies);
  }

  /** Throws the SCIM error for the first rule the request breaks: 401 (no such tenant), 403, 503 (intake paused) or 429, with Retry-After. */
  async enforce(tenantId: string, req: Request): Promise<void> {
    const policy = await this.policy(tenantId);
    // deleted since the credential was checked (or cached)
    if (!policy) throw new ScimError(401, 'Authentication required: a valid bearer token for this tenant');
    // RFC 7644 §3.12: the credential is valid, the operation is not permitted
    if (!policy.active) throw new ScimError(403, 'This tenant is disabled; ask the provider to enable it');
    if (policy.allowed.length > 0) {
      const client = this.clientAddress(req);
      if (!matchesAny(policy.allowed, client)) throw new ScimError(403, `Requests from ${describeAddress(client)} are not allowed for this tenant`);
    }
    if (policy.intakePaused)
      throw new ScimError(503, 'Provisioning for this tenant is paused by the provider; retry later', undefined, {
        'Retry-After': String(PAUSED_RETRY_AFTER_SECONDS),
      });
    const limit = policy.rateLimit ?? { perSecond: this.config.RATE_LIMIT_PER_SECOND, burst: this.config.RATE_LIMIT_BURST };
    const decision = this.buckets.take(tenantId, limit);
    if (!decision.allowed)
      throw new ScimError(429, `Too many requests for this tenant (limit ${limit.perSecond}/s); retry after ${decision.retryAfterSeconds} s`, undefined, {
        'Retry-After': String(decision.retryAfterSeconds),
      });
  }

  /** Drops the cached policy, so a change made through this process applies to the next request. */
  forget(tenantId: string): void {
    this.policies.delete(tenantId);
    this.buckets.forget(tenantId);
  }

  private async policy(tenantId: string): Promise<Policy | undefined> {
    const cached = this.policies.get(tenantId);
    if (cached && cached.until > Date.now()) return cached.policy;
    const stored = await this.tenants.accessPolicy(tenantId);
    const policy = stored && {
      active: stored.status === 'active',
      intakePaused: stored.intakePaused,
      allowed: parseCidrList(stored.allowedSourceIps),
      rateLimit: stored.rateLimit,
    };
    this.policies.set(tenantId, { policy, until: Date.now() + this.config.TENANT_CACHE_TTL_MS });
    return policy;
  }
}
