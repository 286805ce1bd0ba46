import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AlreadyExists } from '@scimflow/provisioning';
import { FederatedCredential } from '../entities';
import { isUuid } from '@scimflow/contracts';

export interface NewFederatedCredential {
  issuer: string;
  jwksUrl: string;
  subject: string;
  audience: string;
  description?: string;
}

const UNIQUE_VIOLATION = '23505';

/** Per-tenant trust in external token issuers (workload identity federation). A trust given twice is AlreadyExists. */
export class FederatedCredentials {
  constructor(private readonly ds: DataSource) {}

  async add(tenantId: string, c: NewFederatedCredential): Promise<FederatedCredential> {
    const repo = this.ds.getRepository(FederatedCredential);
    try {
      return await repo.save(repo.create({ id: randomUUID(), tenantId, ...c, description: c.description ?? null }));
    } catch (e) {
      if ((e as { code?: string }).code === UNIQUE_VIOLATION) throw new AlreadyExists(`the tenant already trusts issuer ${c.issuer} for subject ${c.subject}`);
      throw e;
    }
  }

  list(tenantId: string): Promise<FederatedCredential[]> {
    if (!isUuid(tenantId)) return Promise.resolve([]);
    return this.ds.getRepository(FederatedCredential).find({ where: { tenantId }, order: { createdAt: 'ASC' } });
  }

  async remove(tenantId: string, id: string): Promise<boolean> {
    if (!isUuid(tenantId) || !isUuid(id)) return false;
    const result = await this.ds.getRepository(FederatedCredential).delete({ tenantId, id });
    return (result.affected ?? 0) > 0;
  }

  async markUsed(id: string): Promise<void> {
    await this.ds.getRepository(FederatedCredential).update({ id }, { lastUsedAt: new Date() });
  }
}
