import { DataSource, IsNull } from 'typeorm';
import { TenantToken } from '../entities';
import { isUuid } from '../users/user-store';
import { issueToken } from './secret-token';

export interface CreatedSecretToken {
  id: string;
  /** shown once; only its hash is stored */
  token: string;
  description: string | null;
  createdAt: Date;
}

/**
 * A tenant's long-lived secret tokens. Several may be active at once, so a token is rotated by
 * creating the new one, entering it in Entra, then revoking the old one.
 */
export class SecretTokens {
  constructor(private readonly ds: DataSource) {}

  async create(tenantId: string, description?: string): Promise<CreatedSecretToken> {
    const issued = await issueToken();
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
}
