import { randomUUID } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { Tenant, TenantToken } from '../entities';
import { SubscriptionWithSecret, WebhookSubscriptions } from '../webhooks/webhook-subscriptions';
import { issueToken, parseToken, tokenFingerprint, verifySecret } from './secret-token';
import { createOAuthClient, IssuedClientCredentials } from './oauth-clients';
import { NewTenantOptions, tenantColumns } from './tenant-admin';
import { TenantSchemaStore } from '../schemas/tenant-schema-store';

export interface CreatedTenant {
  tenant: Tenant;
  /** shown once; only its hash is stored */
  token: string;
  /** one webhook subscription per URL given; each signing secret is shown once */
  webhooks: SubscriptionWithSecret[];
  /** OAuth client credentials; the secret is shown once */
  client: IssuedClientCredentials;
}

export interface AuthenticatedTenant {
  tenantId: string;
  /** the secret token's id, or the access token's jti */
  tokenId: string;
}

/** How long a verified token is trusted without re-checking the slow hash and the revocation state. */
const VERIFIED_TOKEN_TTL_MS = 30_000;

/** Tenants and their credentials (webhook subscriptions: WebhookSubscriptions). */
export class TenantDirectory {
  /** By SHA-256 of the whole token: tokens proven against their slow hash, and until when to trust them unread. */
  private readonly verified = new Map<string, { auth: AuthenticatedTenant; until: number; secretHash: string }>();
  /**
   * Verifications under way, by fingerprint: the concurrent requests of a token not proven yet share one scrypt
   * (16 MiB and ~50 ms of CPU each) instead of each running their own, which filled the thread pool and grew the
   * ingress's native memory by tens of MB; those of a proven token whose trust ran out share one re-read.
   */
  private readonly verifying = new Map<string, Promise<AuthenticatedTenant | undefined>>();

  constructor(
    private readonly ds: DataSource,
    private readonly subscriptions = new WebhookSubscriptions(ds),
    private readonly verifiedTokenTtlMs = VERIFIED_TOKEN_TTL_MS,
  ) {}

  async createTenant(name: string, webhookUrls: string[] = [], options: NewTenantOptions = {}): Promise<CreatedTenant> {
    const issued = await issueToken();
    return this.ds.transaction(async (em) => {
      const tenant = await em.save(em.create(Tenant, { id: randomUUID(), name, status: 'active', ...tenantColumns(options) }));
      await em.save(em.create(TenantToken, { id: issued.id, tenantId: tenant.id, secretHash: issued.secretHash }));
      const client = await createOAuthClient(em, tenant.id);
      for (const schema of options.userSchemas ?? []) await new TenantSchemaStore(this.ds).register(tenant.id, schema, 'User', em);
      const webhooks: SubscriptionWithSecret[] = [];
      for (const url of webhookUrls) webhooks.push(await this.subscriptions.create({ tenantId: tenant.id, url }, em));
      return { tenant, token: issued.token, webhooks, client };
    });
  }

  listTenants(): Promise<Tenant[]> {
    return this.ds.getRepository(Tenant).find({ order: { createdAt: 'ASC' }, relations: { subscriptions: true } });
  }

  findTenant(id: string): Promise<Tenant | null> {
    return this.ds.getRepository(Tenant).findOne({ where: { id }, relations: { subscriptions: true } });
  }

  /** Drops a revoked token from the verification cache, so revocation through this process takes effect at once. */
  forgetToken(tokenId: string): void {
    for (const [fingerprint, v] of this.verified) if (v.auth.tokenId === tokenId) this.verified.delete(fingerprint);
  }

  /** The tenant a bearer token belongs to, or undefined for an unknown, revoked or wrong token (one answer for all). */
  async authenticate(token: string): Promise<AuthenticatedTenant | undefined> {
    const fingerprint = tokenFingerprint(token);
    const cached = this.verified.get(fingerprint);
    if (cached && cached.until > Date.now()) return cached.auth;
    const running = this.verifying.get(fingerprint);
    if (running) return running;
    const verification = (cached ? this.recheck(token, fingerprint, cached) : this.verify(token, fingerprint)).finally(() => this.verifying.delete(fingerprint));
    this.verifying.set(fingerprint, verification);
    return verification;
  }

  private async verify(token: string, fingerprint: string): Promise<AuthenticatedTenant | undefined> {
    const parsed = parseToken(token);
    if (!parsed) return undefined;
    const row = await this.ds
      .getRepository(TenantToken)
      .findOne({ where: { id: parsed.id, revokedAt: IsNull() } });
    // A disabled tenant's token still authenticates: the SCIM guard then answers 403 "tenant disabled".
    if (!row) return undefined;
    if (!(await verifySecret(parsed.secret, row.secretHash))) return undefined;
    const auth = { tenantId: row.tenantId, tokenId: row.id };
    this.verified.set(fingerprint, { auth, until: Date.now() + this.verifiedTokenTtlMs, secretHash: row.secretHash });
    await this.ds.getRepository(TenantToken).update({ id: row.id }, { lastUsedAt: new Date() });
    return auth;
  }

  /**
   * A token proven before (the same SHA-256 of the whole token) whose trust ran out: only its row is read again,
   * for revocation. Recomputing the slow hash would prove nothing new and, every 30 s, stall the requests that
   * wait for it (tens to hundreds of ms under load).
   */
  private async recheck(token: string, fingerprint: string, proven: { auth: AuthenticatedTenant; secretHash: string }): Promise<AuthenticatedTenant | undefined> {
    const row = await this.ds.getRepository(TenantToken).findOne({ where: { id: proven.auth.tokenId, revokedAt: IsNull() } });
    if (!row || row.secretHash !== proven.secretHash) {
      this.verified.delete(fingerprint);
      return row ? this.verify(token, fingerprint) : undefined;
    }
    this.verified.set(fingerprint, { ...proven, until: Date.now() + this.verifiedTokenTtlMs });
    await this.ds.getRepository(TenantToken).update({ id: row.id }, { lastUsedAt: new Date() });
    return proven.auth;
  }
}
