import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { IssuedClientCredentials, TenantCredentials } from '@scimflow/access';
import type { SubscriptionSettings } from '@scimflow/webhooks';
import { Tenant, TenantToken } from '../entities';
import { SubscriptionWithSecret, WebhookSubscriptions } from '../webhooks/webhook-subscriptions';
import { createOAuthClient } from './oauth-clients';
import { NewTenantOptions, tenantColumns } from './tenant-admin';
import { TenantSchemaStore } from '../schemas/tenant-schema-store';

/** A tenant to create, with what it starts with: credentials (issueTenantCredentials) and webhooks (subscriptionSettings). */
export interface NewTenant extends NewTenantOptions {
  name: string;
  credentials: TenantCredentials;
  webhooks?: readonly SubscriptionSettings[];
}

export interface CreatedTenant {
  tenant: Tenant;
  /** shown once; only its hash is stored */
  token: string;
  /** one webhook subscription per URL given; each signing secret is shown once */
  webhooks: SubscriptionWithSecret[];
  /** OAuth client credentials; the secret is shown once */
  client: IssuedClientCredentials;
}

/** Tenants with what they are created with: a secret token, an OAuth client, webhooks and the profile's schemas. */
export class TenantDirectory {
  constructor(
    private readonly ds: DataSource,
    private readonly subscriptions: WebhookSubscriptions,
    private readonly schemas: TenantSchemaStore,
  ) {}

  /** All of it in one transaction: a tenant is created whole or not at all. */
  async createTenant(t: NewTenant): Promise<CreatedTenant> {
    const { token, client } = t.credentials;
    return this.ds.transaction(async (em) => {
      const tenant = await em.save(em.create(Tenant, { id: randomUUID(), name: t.name, status: 'active', ...tenantColumns(t) }));
      await em.save(em.create(TenantToken, { id: token.id, tenantId: tenant.id, secretHash: token.secretHash }));
      const issued = await createOAuthClient(em, tenant.id, client);
      for (const schema of t.userSchemas ?? []) await this.schemas.register(tenant.id, schema, 'User', em);
      const webhooks: SubscriptionWithSecret[] = [];
      for (const settings of t.webhooks ?? []) webhooks.push(await this.subscriptions.create(tenant.id, settings, em));
      return { tenant, token: token.token, webhooks, client: issued };
    });
  }

  /** Every tenant with its webhook subscriptions, oldest first. */
  listTenants(): Promise<Tenant[]> {
    return this.ds.getRepository(Tenant).find({ order: { createdAt: 'ASC' }, relations: { subscriptions: true } });
  }
}
