import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { isUuid, SubscriptionView } from '@scimflow/contracts';
import { NotFound } from '@scimflow/provisioning';
import { activeSecrets, rotatedSecrets, SecretBox, SecretRotation, StoredWebhookSecret, SubscriptionSettings } from '@scimflow/webhooks';
import { Tenant, WebhookSubscription } from '../entities';

/** The answer to create and rotate: the one time the new secret is shown. */
export interface SubscriptionWithSecret {
  subscription: SubscriptionView;
  secret: string;
}

/**
 * Webhook subscriptions of tenants, behind `scimctl subscription …` and the admin API. Settings and rotations come
 * checked (subscriptionSettings, secretRotation); secrets are stored sealed by the SecretBox. A subscription or
 * tenant that does not exist is NotFound.
 */
export class WebhookSubscriptions {
  constructor(
    private readonly ds: DataSource,
    private readonly box: SecretBox,
  ) {}

  /** `em`: to create inside a caller's transaction (a tenant with its webhooks). */
  async create(tenantId: string, settings: SubscriptionSettings, em: EntityManager = this.ds.manager): Promise<SubscriptionWithSecret> {
    if (!isUuid(tenantId) || !(await em.getRepository(Tenant).existsBy({ id: tenantId }))) throw new NotFound(`tenant ${tenantId} not found`);
    const now = new Date();
    const row = await em.save(
      em.create(WebhookSubscription, {
        id: randomUUID(),
        tenantId,
        url: settings.url,
        eventTypes: settings.eventTypes,
        secrets: [{ value: this.box.seal(settings.secret), createdAt: now.toISOString(), expiresAt: null }],
        enabled: true,
        disabledReason: null,
        createdAt: now,
        updatedAt: now,
      }),
    );
    return { subscription: view(row), secret: settings.secret };
  }

  async list(filter: { tenantId?: string } = {}): Promise<SubscriptionView[]> {
    if (filter.tenantId !== undefined && !isUuid(filter.tenantId)) return [];
    const rows = await this.ds.getRepository(WebhookSubscription).find({
      where: filter.tenantId ? { tenantId: filter.tenantId } : {},
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return rows.map(view);
  }

  async get(id: string): Promise<SubscriptionView> {
    return view(await this.row(this.ds.manager, id));
  }

  async enable(id: string): Promise<SubscriptionView> {
    return this.update(id, { enabled: true, disabledReason: null });
  }

  async disable(id: string, reason = 'disabled by an operator'): Promise<SubscriptionView> {
    return this.update(id, { enabled: false, disabledReason: reason });
  }

  /** Stores the secrets after the rotation (rotatedSecrets); answers the new secret, once. */
  async rotateSecret(id: string, rotation: SecretRotation): Promise<SubscriptionWithSecret> {
    return this.ds.transaction(async (em) => {
      const row = await this.row(em, id, true);
      const now = new Date();
      const secrets = rotatedSecrets(row.secrets, this.box.seal(rotation.secret), now, rotation.overlapMs);
      await em.update(WebhookSubscription, { id }, { secrets, updatedAt: now });
      return { subscription: view({ ...row, secrets, updatedAt: now }), secret: rotation.secret };
    });
  }

  /** Deletes the subscription with its queued deliveries, delivery log and dead letters. */
  async delete(id: string): Promise<void> {
    const res = isUuid(id) ? await this.ds.getRepository(WebhookSubscription).delete({ id }) : { affected: 0 };
    if (!res.affected) throw new NotFound(`subscription ${id} not found`);
  }

  /** The secrets that sign now, readable: for the operator who has to hand them to the receiver. */
  async revealSecrets(id: string): Promise<{ secret: string; createdAt: string; expiresAt: string | null }[]> {
    const row = await this.row(this.ds.manager, id);
    return activeSecrets(row.secrets, new Date()).map((s) => ({ secret: this.box.open(s.value), createdAt: s.createdAt, expiresAt: s.expiresAt }));
  }

  /** What signs a request now: every unexpired secret, newest first. */
  signingSecrets(stored: StoredWebhookSecret[], now = new Date()): string[] {
    return activeSecrets(stored, now).map((s) => this.box.open(s.value));
  }

  /** The enabled subscriptions of several tenants at once, with their filters, by tenant id (a tenant without any is absent). */
  async enabledForTenants(tenantIds: string[], em: EntityManager = this.ds.manager): Promise<Map<string, { id: string; eventTypes: string[] }[]>> {
    const out = new Map<string, { id: string; eventTypes: string[] }[]>();
    const valid = [...new Set(tenantIds)].filter((t) => isUuid(t));
    if (valid.length === 0) return out;
    const rows = await em.getRepository(WebhookSubscription).find({
      select: { id: true, tenantId: true, eventTypes: true },
      where: { tenantId: In(valid), enabled: true },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    for (const r of rows) {
      let list = out.get(r.tenantId);
      if (!list) out.set(r.tenantId, (list = []));
      list.push({ id: r.id, eventTypes: r.eventTypes });
    }
    return out;
  }

  private async row(em: EntityManager, id: string, lock = false): Promise<WebhookSubscription> {
    const row = isUuid(id)
      ? await em.getRepository(WebhookSubscription).findOne({ where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) })
      : null;
    if (!row) throw new NotFound(`subscription ${id} not found`);
    return row;
  }

  private async update(id: string, changes: Partial<Pick<WebhookSubscription, 'enabled' | 'disabledReason'>>): Promise<SubscriptionView> {
    const row = await this.row(this.ds.manager, id);
    const updatedAt = new Date();
    await this.ds.getRepository(WebhookSubscription).update({ id }, { ...changes, updatedAt });
    return view({ ...row, ...changes, updatedAt });
  }
}

function view(row: WebhookSubscription): SubscriptionView {
  return {
    id: row.id,
    tenantId: row.tenantId,
    url: row.url,
    eventTypes: row.eventTypes,
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    secrets: activeSecrets(row.secrets, new Date()).map((s) => ({ createdAt: s.createdAt, expiresAt: s.expiresAt })),
  };
}
