import { DataSource, EntityManager } from 'typeorm';
import type { IssuedClientCredentials, NewClientCredentials } from '@scimflow/access';
import { OAuthClient } from '../entities';
import { isUuid } from '@scimflow/contracts';

/** Creates the tenant's OAuth client with issued credentials (inside the tenant's creating transaction). */
export async function createOAuthClient(em: EntityManager, tenantId: string, issued: NewClientCredentials): Promise<IssuedClientCredentials> {
  await em.save(em.create(OAuthClient, { id: issued.clientId, tenantId, secretHash: issued.secretHash, secretCreatedAt: new Date() }));
  return { clientId: issued.clientId, clientSecret: issued.clientSecret };
}

/** OAuth 2.0 clients of tenants: one per tenant, secret rotated in place; only the secret's hash is stored. */
export class OAuthClients {
  constructor(private readonly ds: DataSource) {}

  find(tenantId: string): Promise<OAuthClient | null> {
    if (!isUuid(tenantId)) return Promise.resolve(null);
    return this.ds.getRepository(OAuthClient).findOne({ where: { tenantId } });
  }

  /** The client with this id, whichever tenant's. */
  byId(clientId: string): Promise<OAuthClient | null> {
    return this.ds.getRepository(OAuthClient).findOne({ where: { id: clientId } });
  }

  /**
   * A new secret for the tenant's client; a tenant without a client gets one with the issued id. The old secret stops
   * working at once; access tokens issued with it stay valid until they expire.
   */
  async rotateSecret(tenantId: string, issued: NewClientCredentials): Promise<IssuedClientCredentials> {
    return this.ds.transaction(async (em) => {
      const existing = await em.findOne(OAuthClient, { where: { tenantId }, lock: { mode: 'pessimistic_write' } });
      if (!existing) return createOAuthClient(em, tenantId, issued);
      await em.update(OAuthClient, { id: existing.id }, { secretHash: issued.secretHash, secretCreatedAt: new Date() });
      return { clientId: existing.id, clientSecret: issued.clientSecret };
    });
  }

  /** Removes the secret: the client then authenticates only with federated assertions. */
  async removeSecret(tenantId: string): Promise<boolean> {
    if (!isUuid(tenantId)) return false;
    const result = await this.ds.getRepository(OAuthClient).update({ tenantId }, { secretHash: null, secretCreatedAt: null });
    return (result.affected ?? 0) > 0;
  }

  async markUsed(clientId: string): Promise<void> {
    await this.ds.getRepository(OAuthClient).update({ id: clientId }, { lastUsedAt: new Date() });
  }
}
