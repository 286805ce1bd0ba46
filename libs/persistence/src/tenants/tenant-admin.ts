import { DataSource } from 'typeorm';
import { Tenant } from '../entities';
import { isUuid, RateLimit, TenantProfile, TenantStatus } from '@scimflow/contracts';

export interface NewTenantOptions {
  profile?: TenantProfile;
  settings?: Record<string, unknown>;
  /** CIDR blocks in canonical form (canonicalCidrs) */
  allowedSourceIps?: readonly string[];
  /** null or absent = the configured default */
  rateLimit?: RateLimit | null;
  /** User extension schemas registered with the tenant (a profile's, e.g. the workforce platform's folders and Metadata) */
  userSchemas?: readonly unknown[];
}

export function tenantColumns(o: NewTenantOptions): Partial<Tenant> {
  const columns: Partial<Tenant> = {};
  if (o.profile !== undefined) columns.profile = o.profile;
  if (o.settings !== undefined) columns.settings = o.settings;
  if (o.allowedSourceIps !== undefined) columns.allowedSourceIps = [...o.allowedSourceIps];
  if (o.rateLimit) Object.assign(columns, { rateLimitPerSecond: o.rateLimit.perSecond, rateLimitBurst: o.rateLimit.burst });
  return columns;
}

/** What the ingress needs to know about a tenant on every request. */
export interface TenantAccessPolicy {
  tenantId: string;
  status: TenantStatus;
  allowedSourceIps: string[];
  /** null = the configured default */
  rateLimit: RateLimit | null;
  intakePaused: boolean;
}

/** What an operator can pause for a tenant: Entra's requests, or the delivery of its change events downstream. */
export type TenantPause = 'intake' | 'delivery';

/** Tenant lifecycle and access settings, for the admin API and scimctl. Unknown or malformed ids read as "no such tenant". */
export class TenantAdmin {
  constructor(private readonly ds: DataSource) {}

  list(): Promise<Tenant[]> {
    return this.ds.getRepository(Tenant).find({ order: { createdAt: 'ASC' } });
  }

  get(tenantId: string): Promise<Tenant | null> {
    if (!isUuid(tenantId)) return Promise.resolve(null);
    return this.ds.getRepository(Tenant).findOne({ where: { id: tenantId } });
  }

  setStatus(tenantId: string, status: TenantStatus): Promise<Tenant | null> {
    return this.change(tenantId, { status });
  }

  /** `blocks`: canonical CIDR texts (canonicalCidrs). */
  setAllowedSourceIps(tenantId: string, blocks: readonly string[]): Promise<Tenant | null> {
    return this.change(tenantId, { allowedSourceIps: [...blocks] });
  }

  setRateLimit(tenantId: string, limit: RateLimit | null): Promise<Tenant | null> {
    return this.change(tenantId, { rateLimitPerSecond: limit?.perSecond ?? null, rateLimitBurst: limit?.burst ?? null });
  }

  /** Deletes the tenant and, by cascade, its credentials, users, groups, audit and request log. */
  async delete(tenantId: string): Promise<boolean> {
    if (!isUuid(tenantId)) return false;
    const result = await this.ds.getRepository(Tenant).delete({ id: tenantId });
    return (result.affected ?? 0) > 0;
  }

  async accessPolicy(tenantId: string): Promise<TenantAccessPolicy | undefined> {
    const t = await this.get(tenantId);
    if (!t) return undefined;
    return {
      tenantId: t.id,
      status: t.status,
      allowedSourceIps: t.allowedSourceIps,
      rateLimit: t.rateLimitPerSecond && t.rateLimitBurst ? { perSecond: t.rateLimitPerSecond, burst: t.rateLimitBurst } : null,
      intakePaused: t.intakePausedAt !== null,
    };
  }

  /** How many tenants have each pause on. */
  async pausedCounts(): Promise<Record<TenantPause, number>> {
    const counts = await this.ds
      .getRepository(Tenant)
      .createQueryBuilder('t')
      .select('count(t.intakePausedAt)::int', 'intake')
      .addSelect('count(t.deliveryPausedAt)::int', 'delivery')
      .getRawOne<Record<TenantPause, number>>();
    return counts!;
  }

  /** Pauses or resumes; pausing what is paused keeps its first pause time. Null when there is no such tenant. */
  async setPaused(tenantId: string, what: TenantPause, paused: boolean): Promise<Tenant | null> {
    if (!isUuid(tenantId)) return null;
    const since = paused ? () => `coalesce(${what}_paused_at, now())` : null;
    const result = await this.ds.getRepository(Tenant).update({ id: tenantId }, what === 'intake' ? { intakePausedAt: since } : { deliveryPausedAt: since });
    return result.affected ? this.get(tenantId) : null;
  }

  private async change(
    tenantId: string,
    columns: Partial<Pick<Tenant, 'status' | 'allowedSourceIps' | 'rateLimitPerSecond' | 'rateLimitBurst'>>,
  ): Promise<Tenant | null> {
    if (!isUuid(tenantId)) return null;
    const result = await this.ds.getRepository(Tenant).update({ id: tenantId }, columns);
    return result.affected ? this.get(tenantId) : null;
  }
}
