import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { SubscriptionView } from '@scimflow/contracts';
import { ScimError } from '@scimflow/scim';
import { eventTypeProblem, generateSecret, isWebhookSecret, SecretBox } from '@scimflow/webhooks';
import { StoredWebhookSecret, WebhookSubscription } from '../entities';

/** The answer to create and rotate: the one time the new secret is shown. */
export interface SubscriptionWithSecret {
  subscription: SubscriptionView;
  secret: string;
}

export interface NewSubscription {
  tenantId: string;
  url: string;
  /** CloudEvents types or `prefix.*`; empty or absent: every event */
  eventTypes?: string[];
  /** a `whsec_…` secret to use instead of a generated one (e.g. carried over from another system) */
  secret?: string;
}

export const DEFAULT_ROTATION_OVERLAP_MS = 24 * 3600 * 1000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Webhook subscriptions of tenants: the service behind `scimctl subscription …` and the admin API.
 * Invalid input is a ScimError (400 invalidValue, 404), so an HTTP caller renders it as it is.
 */
export class WebhookSubscriptions {
  constructor(
    private readonly ds: DataSource,
    private readonly box: SecretBox = SecretBox.fromConfig(undefined),
  ) {}

  /** `em`: to create inside a caller's transaction (a tenant with its webhooks). */
  async create(input: NewSubscription, em: EntityManager = this.ds.manager): Promise<SubscriptionWithSecret> {
    const url = validUrl(input.url);
    const eventTypes = validEventTypes(input.eventTypes ?? []);
    const secret = input.secret === undefined ? generateSecret() : validSecret(input.secret);
    if (!UUID.test(input.tenantId) || !(await em.query(`SELECT 1 FROM tenants WHERE id = $1`, [input.tenantId])).length)
      throw ScimError.notFound(`tenant ${input.tenantId} not found`);
    const now = new Date();
    const row = await em.save(
      em.create(WebhookSubscription, {
        id: randomUUID(),
        tenantId: input.tenantId,
        url,
        eventTypes,
        secrets: [{ value: this.box.seal(secret), createdAt: now.toISOString(), expiresAt: null }],
        enabled: true,
        disabledReason: null,
        createdAt: now,
        updatedAt: now,
      }),
    );
    return { subscription: view(row), secret };
  }

  async list(filter: { tenantId?: string } = {}): Promise<SubscriptionView[]> {
    if (filter.tenantId !== undefined && !UUID.test(filter.tenantId)) return [];
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

  /**
   * Issues a new secret that signs from now on; the current one keeps signing for `overlapMs` (two signatures
   * per request meanwhile), so receivers can switch without a window of rejected webhooks. A secret that was
   * already expiring is dropped: there are never more than two.
   */
  async rotateSecret(id: string, options: { overlapMs?: number; secret?: string } = {}): Promise<SubscriptionWithSecret> {
    const overlapMs = options.overlapMs ?? DEFAULT_ROTATION_OVERLAP_MS;
    if (!Number.isFinite(overlapMs) || overlapMs < 0) throw ScimError.badRequest('invalidValue', 'the overlap must be a duration ≥ 0');
    const secret = options.secret === undefined ? generateSecret() : validSecret(options.secret);
    return this.ds.transaction(async (em) => {
      const row = await this.row(em, id, true);
      const now = new Date();
      const current = active(row.secrets, now).find((s) => s.expiresAt === null) ?? active(row.secrets, now)[0];
      const secrets: StoredWebhookSecret[] = [{ value: this.box.seal(secret), createdAt: now.toISOString(), expiresAt: null }];
      if (current && overlapMs > 0) secrets.push({ ...current, expiresAt: new Date(now.getTime() + overlapMs).toISOString() });
      await em.update(WebhookSubscription, { id }, { secrets, updatedAt: now });
      return { subscription: view({ ...row, secrets, updatedAt: now }), secret };
    });
  }

  /** Deletes the subscription with its queued deliveries, delivery log and dead letters. */
  async delete(id: string): Promise<void> {
    const res = UUID.test(id) ? await this.ds.getRepository(WebhookSubscription).delete({ id }) : { affected: 0 };
    if (!res.affected) throw ScimError.notFound(`subscription ${id} not found`);
  }

  /** The secrets that sign now, readable: for the operator who has to hand them to the receiver. */
  async revealSecrets(id: string): Promise<{ secret: string; createdAt: string; expiresAt: string | null }[]> {
    const row = await this.row(this.ds.manager, id);
    return active(row.secrets, new Date()).map((s) => ({ secret: this.box.open(s.value), createdAt: s.createdAt, expiresAt: s.expiresAt }));
  }

  /** What signs a request now: every unexpired secret, newest first. */
  signingSecrets(stored: StoredWebhookSecret[], now = new Date()): string[] {
    return active(stored, now).map((s) => this.box.open(s.value));
  }

  /** The enabled subscriptions of a tenant, with their filters: where its events go. */
  async enabledFor(tenantId: string, em: EntityManager = this.ds.manager): Promise<{ id: string; eventTypes: string[] }[]> {
    if (!UUID.test(tenantId)) return [];
    const rows: { id: string; event_types: string[] }[] = await em.query(
      `SELECT id, event_types FROM webhook_subscriptions WHERE tenant_id = $1 AND enabled ORDER BY created_at, id`,
      [tenantId],
    );
    return rows.map((r) => ({ id: r.id, eventTypes: r.event_types }));
  }

  /** The enabled subscriptions of several tenants at once, by tenant id (a tenant without any is absent). */
  async enabledForTenants(tenantIds: string[], em: EntityManager = this.ds.manager): Promise<Map<string, { id: string; eventTypes: string[] }[]>> {
    const out = new Map<string, { id: string; eventTypes: string[] }[]>();
    const valid = [...new Set(tenantIds)].filter((t) => UUID.test(t));
    if (valid.length === 0) return out;
    const rows: { id: string; tenant_id: string; event_types: string[] }[] = await em.query(
      `SELECT id, tenant_id, event_types FROM webhook_subscriptions WHERE tenant_id = ANY($1::uuid[]) AND enabled ORDER BY created_at, id`,
      [valid],
    );
    for (const r of rows) {
      let list = out.get(r.tenant_id);
      if (!list) out.set(r.tenant_id, (list = []));
      list.push({ id: r.id, eventTypes: r.event_types });
    }
    return out;
  }

  private async row(em: EntityManager, id: string, lock = false): Promise<WebhookSubscription> {
    const row = UUID.test(id)
      ? await em.getRepository(WebhookSubscription).findOne({ where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) })
      : null;
    if (!row) throw ScimError.notFound(`subscription ${id} not found`);
    return row;
  }

  private async update(id: string, changes: Partial<Pick<WebhookSubscription, 'enabled' | 'disabledReason'>>): Promise<SubscriptionView> {
    const row = await this.row(this.ds.manager, id);
    const updatedAt = new Date();
    await this.ds.getRepository(WebhookSubscription).update({ id }, { ...changes, updatedAt });
    return view({ ...row, ...changes, updatedAt });
  }
}

function active(secrets: StoredWebhookSecret[], now: Date): StoredWebhookSecret[] {
  return secrets.filter((s) => s.expiresAt === null || Date.parse(s.expiresAt) > now.getTime());
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
    secrets: active(row.secrets, new Date()).map((s) => ({ createdAt: s.createdAt, expiresAt: s.expiresAt })),
  };
}

function validUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw ScimError.badRequest('invalidValue', `the webhook URL is not a URL: ${url}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw ScimError.badRequest('invalidValue', `the webhook URL must be http(s): ${url}`);
  if (parsed.username || parsed.password) throw ScimError.badRequest('invalidValue', 'the webhook URL must not carry credentials; the signature authenticates us');
  return url.trim();
}

function validEventTypes(types: string[]): string[] {
  for (const t of types) {
    const problem = eventTypeProblem(t);
    if (problem) throw ScimError.badRequest('invalidValue', problem);
  }
  return [...new Set(types)];
}

function validSecret(secret: string): string {
  if (!isWebhookSecret(secret)) throw ScimError.badRequest('invalidValue', 'a webhook secret is "whsec_" followed by 24 to 64 bytes in base64');
  return secret;
}
