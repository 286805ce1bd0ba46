import { DataSource, IsNull } from 'typeorm';
import type { CredentialRecords, IssuedToken, StoredSecretToken } from '@scimflow/access';
import { TenantToken } from '../entities';
import { isUuid } from '@scimflow/contracts';

export interface CreatedSecretToken {
  id: string;
  /** shown once; only its hash is stored */
  token: string;
  description: string | null;
  createdAt: Date;
}

/**
 * A tenant's long-lived secret tokens (issued by issueToken, only their hashes stored). Several may be active at once,
 * so a token is rotated by creating the new one, entering it in Entra, then revoking the old one.
 */
export class SecretTokens implements CredentialRecords<StoredSecretToken> {
  constructor(private readonly ds: DataSource) {}

  async create(tenantId: string, issued: IssuedToken, description?: string): Promise<CreatedSecretToken> {
    const repo = this.ds.getRepository(TenantToken);
    const row = await repo.save(repo.create({ id: issued.id, tenantId, secretHash: issued.secretHash, description: description ?? null }));
    return { id: row.id, token: issued.token, description: row.description, createdAt: row.createdAt };
  }

  list(tenantId: string): Promise<TenantToken[]> {
    if (!isUuid(tenantId)) return Promise.resolve([]);
    return this.ds.getRepository(TenantToken).find({ where: { tenantId }, order: { createdAt: 'ASC' } });
  }

  /** Revokes a token of this tenant (never another tenant's). False if there is no such active token. */
  async revoke(tenantId: string, tokenId: string): Promise<boolean> {
    if (!isUuid(tenantId)) return false;
    const result = await this.ds.getRepository(TenantToken).update({ id: tokenId, tenantId, revokedAt: IsNull() }, { revokedAt: new Date() });
    return (result.affected ?? 0) > 0;
  }

  /** The token with this id, unless it is revoked (whatever its tenant's state). */
  async active(id: string): Promise<StoredSecretToken | undefined> {
    const row = await this.ds.getRepository(TenantToken).findOne({ where: { id, revokedAt: IsNull() } });
    return row ? { id: row.id, tenantId: row.tenantId, secretHash: row.secretHash } : undefined;
  }

  async markUsed(id: string): Promise<void> {
    await this.ds.getRepository(TenantToken).update({ id }, { lastUsedAt: new Date() });
  }
}
