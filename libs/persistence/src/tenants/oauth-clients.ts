import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { OAuthClient } from '../entities';
import { hashSecret, verifySecret } from './secret-token';
import { isUuid } from '../users/user-store';

export interface IssuedClientCredentials {
  clientId: string;
  /** shown once; only its scrypt hash is stored */
  clientSecret: string;
}

const CLIENT_ID = /^sfc_[a-z0-9]{24}$/;

function newClientId(): string {
  return `sfc_${randomBytes(24).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 24)}`;
}

/** 256 random bits; the prefix makes a leaked secret recognisable by secret scanners. */
function newClientSecret(): string {
  return `sfcs_${randomBytes(32).toString('base64url')}`;
}

/** Creates the tenant's OAuth client with a fresh secret (inside the tenant's creating transaction). */
export async function createOAuthClient(em: EntityManager, tenantId: string): Promise<IssuedClientCredentials> {
  const clientSecret = newClientSecret();
  const clientId = newClientId();
  await em.save(em.create(OAuthClient, { id: clientId, tenantId, secretHash: await hashSecret(clientSecret), secretCreatedAt: new Date() }));
  return { clientId, clientSecret };
}

/**
 * Verifying an unknown client costs as much as a known one, so timing does not tell which client
 * ids exist. (Computed once, lazily: scrypt is slow on purpose.)
 */
let decoyHash: Promise<string> | undefined;
const decoy = () => (decoyHash ??= hashSecret(newClientSecret()));

/** OAuth 2.0 clients of tenants: one per tenant, secret rotated in place, compared in constant time. */
export class OAuthClients {
  constructor(private readonly ds: DataSource) {}

  find(tenantId: string): Promise<OAuthClient | null> {
    if (!isUuid(tenantId)) return Promise.resolve(null);
    return this.ds.getRepository(OAuthClient).findOne({ where: { tenantId } });
  }

  /**
   * A new secret for the tenant's client (created if the tenant has none yet). The old secret stops
   * working at once; access tokens issued with it stay valid until they expire.
   */
  async rotateSecret(tenantId: string): Promise<IssuedClientCredentials> {
    const clientSecret = newClientSecret();
    const secretHash = await hashSecret(clientSecret);
    return this.ds.transaction(async (em) => {
      const existing = await em.findOne(OAuthClient, { where: { tenantId }, lock: { mode: 'pessimistic_write' } });
      if (!existing) {
        const clientId = newClientId();
        await em.save(em.create(OAuthClient, { id: clientId, tenantId, secretHash, secretCreatedAt: new Date() }));
        return { clientId, clientSecret };
      }
      await em.update(OAuthClient, { id: existing.id }, { secretHash, secretCreatedAt: new Date() });
      return { clientId: existing.id, clientSecret };
    });
  }

  /** Removes the secret: the client then authenticates only with federated assertions. */
  async removeSecret(tenantId: string): Promise<boolean> {
    if (!isUuid(tenantId)) return false;
    const result = await this.ds.getRepository(OAuthClient).update({ tenantId }, { secretHash: null, secretCreatedAt: null });
    return (result.affected ?? 0) > 0;
  }

  /** True only for this tenant's client with this secret. The same work is done whatever is wrong. */
  async verifySecret(tenantId: string, clientId: string, clientSecret: string): Promise<boolean> {
    const row = CLIENT_ID.test(clientId) ? await this.ds.getRepository(OAuthClient).findOne({ where: { id: clientId } }) : null;
    const hash = row?.secretHash ?? (await decoy());
    const matches = await verifySecret(clientSecret, hash);
    return matches && row !== null && row.secretHash !== null && row.tenantId === tenantId;
  }

  async markUsed(clientId: string): Promise<void> {
    await this.ds.getRepository(OAuthClient).update({ id: clientId }, { lastUsedAt: new Date() });
  }
}
