import { issueProductCredential, issueTenantCredentials, ProductCredentialVerifier } from '@scimflow/access';
import { PersistenceConfig, validateConfig } from '@scimflow/config';
import { useDatabase } from '../../../../test/support/medium/database';
import { createStores } from '../stores';

const db = useDatabase();

describe('ProductCredentials (Postgres)', () => {
  it("gives the verifier a credential with its tenant's state until it is revoked, and notes its use", async () => {
    const { tenantDirectory, tenantAdmin, productCredentials } = createStores(db(), validateConfig(PersistenceConfig, {}));
    const { tenant } = await tenantDirectory.createTenant({ name: 'events consumer', credentials: await issueTenantCredentials() });
    const issued = await issueProductCredential();
    expect(await productCredentials.create(tenant.id, issued, 'search index')).toMatchObject({
      id: issued.id,
      credential: issued.token,
      description: 'search index',
    });
    expect(await productCredentials.active(issued.id)).toEqual({ id: issued.id, tenantId: tenant.id, secretHash: issued.secretHash, tenantActive: true });

    const verifier = new ProductCredentialVerifier(productCredentials);
    expect(await verifier.authenticate(issued.token)).toEqual({ tenantId: tenant.id, credentialId: issued.id, tenantActive: true });
    expect((await productCredentials.list(tenant.id))[0].lastUsedAt).not.toBeNull();

    await tenantAdmin.setStatus(tenant.id, 'disabled');
    expect((await productCredentials.active(issued.id))?.tenantActive).toBe(false);
    expect(await productCredentials.revoke(tenant.id, issued.id)).toBe(true);
    expect(await productCredentials.active(issued.id)).toBeUndefined();
    verifier.forget(issued.id);
    expect(await verifier.authenticate(issued.token)).toBeUndefined();
  });
});
