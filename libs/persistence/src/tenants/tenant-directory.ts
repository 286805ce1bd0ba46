import { randomUUID } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { Tenant, TenantToken, WebhookEndpoint } from '../entities';
import { issueToken, parseToken, tokenFingerprint, verifySecret } from './secret-token';

export interface CreatedTenant {
  tenant: Tenant;
  /** shown once; only its hash is stored */
  token: string;
  webhooks: WebhookEndpoint[];
}

export interface AuthenticatedTenant {
  tenantId: string;
  tokenId: string;
}

/** How long a verified token is trusted without re-checking the slow hash and the revocation state. */
const VERIFIED_TOKEN_TTL_MS = 30_000;

/** Tenants, their credentials and their webhook endpoints. */
export class TenantDirectory {
  private readonly verified = new Map<string, { auth: AuthenticatedTenant; until: number }>();

  constructor(private readonly ds: DataSource) {}

  async createTenant(name: string, webhookUrls: string[] = []): Promise<CreatedTenant> {
    const issued = await issueToken();
    return this.ds.transaction(async (em) => {
      const tenant = await em.save(em.create(Tenant, { id: randomUUID(), name, status: 'active' }));
      await em.save(em.create(TenantToken, { id: issued.id, tenantId: tenant.id, secretHash: issued.secretHash }));
      const webhooks: WebhookEndpoint[] = [];
      for (const url of webhookUrls) webhooks.push(await em.save(em.create(WebhookEndpoint, { id: randomUUID(), tenantId: tenant.id, url, enabled: true })));
      return { tenant, token: issued.token, webhooks };
    });
  }

  listTenants(): Promise<Tenant[]> {
    return this.ds.getRepository(Tenant).find({ order: { createdAt: 'ASC' }, relations: { webhooks: true } });
  }

  findTenant(id: string): Promise<Tenant | null> {
    return this.ds.getRepository(Tenant).findOne({ where: { id }, relations: { webhooks: true } });
  }

  async addWebhook(tenantId: string, url: string): Promise<WebhookEndpoint> {
    return this.ds.getRepository(WebhookEndpoint).save({ id: randomUUID(), tenantId, url, enabled: true });
  }

  enabledWebhooks(tenantId: string): Promise<WebhookEndpoint[]> {
    return this.ds.getRepository(WebhookEndpoint).find({ where: { tenantId, enabled: true }, order: { createdAt: 'ASC' } });
  }

  /** The tenant a bearer token belongs to, or undefined for an unknown, revoked or wrong token (one answer for all). */
  async authenticate(token: string): Promise<AuthenticatedTenant | undefined> {
    const fingerprint = tokenFingerprint(token);
    const cached = this.verified.get(fingerprint);
    if (cached && cached.until > Date.now()) return cached.auth;
    const parsed = parseToken(token);
    if (!parsed) return undefined;
    const row = await this.ds
      .getRepository(TenantToken)
      .findOne({ where: { id: parsed.id, revokedAt: IsNull() }, relations: { tenant: true } });
    if (!row || row.tenant?.status !== 'active') return undefined;
    if (!(await verifySecret(parsed.secret, row.secretHash))) return undefined;
    const auth = { tenantId: row.tenantId, tokenId: row.id };
    this.verified.set(fingerprint, { auth, until: Date.now() + VERIFIED_TOKEN_TTL_MS });
    await this.ds.getRepository(TenantToken).update({ id: row.id }, { lastUsedAt: new Date() });
    return auth;
  }
}
